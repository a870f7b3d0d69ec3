ALTER TABLE customers DROP INDEX idx_customers_email, ADD UNIQUE INDEX uq_customers_email (tenant_id, email);
