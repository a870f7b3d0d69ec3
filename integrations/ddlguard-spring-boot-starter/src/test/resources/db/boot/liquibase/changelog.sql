--liquibase formatted sql

--changeset ddlguard:1
CREATE TABLE ddlguard_it_boot_invoices (id bigint PRIMARY KEY, total numeric(10, 2));

--changeset ddlguard:2
DROP TABLE ddlguard_it_boot_customers;
