ALTER TABLE orders MODIFY COLUMN status ENUM('new', 'paid', 'shipped', 'delivered', 'cancelled', 'refunded') NOT NULL DEFAULT 'new';
