DROP INDEX idx_customers_phone;
