ALTER TABLE orders ADD COLUMN source VARCHAR(20) NULL;
CREATE INDEX idx_orders_source ON orders (source);
