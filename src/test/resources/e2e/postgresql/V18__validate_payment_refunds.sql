ALTER TABLE payments VALIDATE CONSTRAINT fk_payments_refund_of;
