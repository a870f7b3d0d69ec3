ALTER TABLE payments ADD INDEX idx_payments_status (status), ALGORITHM=INPLACE, LOCK=NONE;
