UPDATE orders SET source = 'web' WHERE source IS NULL;
ALTER TABLE orders ALTER COLUMN source SET DEFAULT 'web';
ALTER TABLE products ADD COLUMN is_active boolean NOT NULL DEFAULT true;
ALTER TABLE customers ADD COLUMN marketing_opt_in boolean DEFAULT false;
