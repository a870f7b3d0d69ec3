CREATE TABLE ddlguard_it_boot_invoices (id bigint PRIMARY KEY, total numeric(10, 2));
