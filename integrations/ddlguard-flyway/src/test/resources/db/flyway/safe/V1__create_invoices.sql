CREATE TABLE ddlguard_it_fw_invoices (id bigint PRIMARY KEY, total numeric(10, 2));
