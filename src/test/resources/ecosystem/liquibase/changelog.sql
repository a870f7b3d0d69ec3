--liquibase formatted sql

--changeset eco:1
-- orders exists before this run, with rows (the test creates it)
ALTER TABLE orders ADD COLUMN note varchar(100);

--changeset eco:2 runInTransaction:false
CREATE INDEX orders_customer_idx ON orders (customer_id);
