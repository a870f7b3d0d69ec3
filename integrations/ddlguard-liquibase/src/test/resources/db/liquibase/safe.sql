--liquibase formatted sql

--changeset ddlguard:1
CREATE TABLE ddlguard_it_lq_invoices (id bigint PRIMARY KEY, total numeric(10, 2));
