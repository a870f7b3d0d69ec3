ALTER TABLE invoices ADD COLUMN customer_id BIGINT NULL;
UPDATE invoices i JOIN orders o ON o.id = i.order_id SET i.customer_id = o.customer_id;
CREATE INDEX idx_invoices_customer ON invoices (customer_id);
ALTER TABLE invoices ADD CONSTRAINT fk_invoices_customer FOREIGN KEY (customer_id) REFERENCES customers (id);
