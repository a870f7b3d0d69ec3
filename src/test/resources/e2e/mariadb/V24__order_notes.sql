CREATE TABLE order_notes (
    id         BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    order_id   BIGINT NOT NULL,
    author_id  BIGINT NULL,
    body       TEXT NOT NULL,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT fk_order_notes_order FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE,
    CONSTRAINT fk_order_notes_author FOREIGN KEY (author_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='Free-text notes the support team keeps on an order';
CREATE INDEX idx_order_notes_created ON order_notes (created_at);
INSERT INTO order_notes (order_id, body) SELECT id, 'migrated from orders.placed_at' FROM orders WHERE placed_at IS NULL;
