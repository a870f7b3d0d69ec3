ALTER TABLE orders ADD COLUMN status ENUM('new', 'paid', 'shipped', 'delivered', 'cancelled') NOT NULL DEFAULT 'new';
ALTER TABLE orders ADD INDEX idx_orders_status (status);
