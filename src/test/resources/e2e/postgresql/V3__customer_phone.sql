ALTER TABLE customers ADD COLUMN phone varchar(32);
CREATE INDEX idx_customers_phone ON customers (phone);
