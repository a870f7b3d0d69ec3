-- Built without blocking writes; Flyway runs this script outside a transaction (V3__index_customer.sql.conf).
CREATE INDEX CONCURRENTLY orders_customer_idx ON orders (customer_id);
