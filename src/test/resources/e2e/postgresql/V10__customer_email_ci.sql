CREATE UNIQUE INDEX uq_customers_email_lower ON customers (tenant_id, lower(email));
DROP INDEX uq_customers_tenant_email;
