-- ddlguard rewrites this to ADD CONSTRAINT … NOT VALID, then VALIDATE CONSTRAINT (PostgreSQL); the two must
-- commit separately, so this script runs outside a transaction (see the .conf)
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);
