--liquibase formatted sql

--changeset alice:orders-status
-- Liquibase runs this changeset in a transaction.
CREATE INDEX orders_status_idx ON orders (status);
--rollback DROP INDEX orders_status_idx;

--changeset alice:orders-total runInTransaction:false
CREATE INDEX orders_total_idx ON orders (total);
--rollback DROP INDEX orders_total_idx;
