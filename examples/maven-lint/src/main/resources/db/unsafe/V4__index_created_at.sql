-- Looks harmless, but Flyway runs it in a transaction: a plain CREATE INDEX blocks every write to orders
-- for the whole build, and CONCURRENTLY cannot be used inside the transaction.
CREATE INDEX orders_created_idx ON orders (created_at);
