--liquibase formatted sql

--changeset ddlguard:2
DROP TABLE ddlguard_it_lq_customers;
