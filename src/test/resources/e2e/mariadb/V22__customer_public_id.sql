ALTER TABLE customers ADD COLUMN public_id CHAR(36) NULL;
UPDATE customers SET public_id = UUID() WHERE public_id IS NULL;
ALTER TABLE customers ADD UNIQUE INDEX uq_customers_public_id (public_id);
