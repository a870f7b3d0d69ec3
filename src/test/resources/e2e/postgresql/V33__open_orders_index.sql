CREATE INDEX idx_orders_open ON orders (customer_id) WHERE status IN ('new', 'paid');
