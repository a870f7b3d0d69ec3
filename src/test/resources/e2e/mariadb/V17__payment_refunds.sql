ALTER TABLE payments ADD COLUMN refund_of BIGINT NULL;
ALTER TABLE payments ADD CONSTRAINT fk_payments_refund_of FOREIGN KEY (refund_of) REFERENCES payments (id);
