-- Flyway runs this script in a transaction, so CONCURRENTLY is not possible here.
CREATE INDEX orders_customer_idx ON orders (customer_id);
