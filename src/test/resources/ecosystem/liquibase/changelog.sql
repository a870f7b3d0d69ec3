--liquibase formatted sql

--changeset eco:1
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);

--changeset eco:2 runInTransaction:false
CREATE INDEX orders_customer_idx ON orders (customer_id);
