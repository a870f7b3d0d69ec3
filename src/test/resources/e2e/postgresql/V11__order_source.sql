ALTER TABLE orders ADD COLUMN source varchar(20);
CREATE INDEX idx_orders_source ON orders (source);
