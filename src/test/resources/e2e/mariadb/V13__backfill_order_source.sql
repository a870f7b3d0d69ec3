UPDATE orders SET source = 'web' WHERE source IS NULL;
ALTER TABLE orders ALTER COLUMN source SET DEFAULT 'web';
ALTER TABLE products ADD COLUMN is_active TINYINT(1) NOT NULL DEFAULT 1;
ALTER TABLE customers ADD COLUMN marketing_opt_in TINYINT(1) DEFAULT 0;
