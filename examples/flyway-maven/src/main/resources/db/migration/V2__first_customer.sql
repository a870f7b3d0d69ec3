INSERT INTO ddlguard_fm_customers VALUES (1, 'Ada');
