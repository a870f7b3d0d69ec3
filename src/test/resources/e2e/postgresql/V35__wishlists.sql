CREATE TABLE wishlists (
    id          bigserial PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    name        varchar(100) NOT NULL DEFAULT 'Wishlist',
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE wishlist_items (
    wishlist_id bigint NOT NULL REFERENCES wishlists (id) ON DELETE CASCADE,
    product_id  bigint NOT NULL REFERENCES products (id),
    added_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (wishlist_id, product_id)
);
CREATE INDEX idx_wishlists_customer ON wishlists (customer_id);
CREATE INDEX idx_wishlist_items_product ON wishlist_items (product_id);
