CREATE TABLE order_notes (
    id         bigserial PRIMARY KEY,
    order_id   bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    author_id  bigint REFERENCES users (id),
    body       text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_order_notes_order ON order_notes (order_id);
COMMENT ON TABLE order_notes IS 'Free-text notes the support team keeps on an order';
INSERT INTO order_notes (order_id, body) SELECT id, 'migrated from orders.placed_at' FROM orders WHERE placed_at IS NULL;
