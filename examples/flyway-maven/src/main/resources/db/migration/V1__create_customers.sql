CREATE TABLE ddlguard_fm_customers (id bigint PRIMARY KEY, name varchar(100) NOT NULL);
