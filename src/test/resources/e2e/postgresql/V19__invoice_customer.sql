ALTER TABLE invoices ADD COLUMN customer_id bigint;
UPDATE invoices i SET customer_id = o.customer_id FROM orders o WHERE o.id = i.order_id;
ALTER TABLE invoices ADD CONSTRAINT fk_invoices_customer FOREIGN KEY (customer_id) REFERENCES customers (id);
CREATE INDEX idx_invoices_customer ON invoices (customer_id);
