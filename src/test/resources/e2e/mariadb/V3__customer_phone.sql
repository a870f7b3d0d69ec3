ALTER TABLE customers ADD COLUMN phone VARCHAR(32) NULL AFTER last_name;
CREATE INDEX idx_customers_phone ON customers (phone);
