-- ddlguard rewrites this to CREATE INDEX CONCURRENTLY (PostgreSQL), which needs no transaction: see the .conf
CREATE INDEX orders_customer_idx ON orders (customer_id);
