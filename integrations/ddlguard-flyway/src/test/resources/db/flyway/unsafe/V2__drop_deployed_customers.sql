DROP TABLE ddlguard_it_fw_customers;
