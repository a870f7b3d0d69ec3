DROP TABLE ddlguard_fm_customers;
