-- Reviews get a tenant and a title: rebuild the table and swap it in.
CREATE TABLE product_reviews_new (
    id          bigserial PRIMARY KEY,
    tenant_id   bigint NOT NULL REFERENCES tenants (id),
    product_id  bigint NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    customer_id bigint NOT NULL REFERENCES customers (id),
    rating      smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
    title       varchar(200),
    body        text,
    created_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO product_reviews_new (id, tenant_id, product_id, customer_id, rating, body, created_at)
SELECT r.id, p.tenant_id, r.product_id, r.customer_id, greatest(1, least(5, r.rating)), r.body, r.created_at
FROM product_reviews r JOIN products p ON p.id = r.product_id;
SELECT setval(pg_get_serial_sequence('product_reviews_new', 'id'), coalesce((SELECT max(id) FROM product_reviews_new), 0) + 1, false);
CREATE INDEX idx_product_reviews_new_product ON product_reviews_new (product_id, created_at DESC);
ALTER TABLE product_reviews RENAME TO product_reviews_old;
ALTER TABLE product_reviews_new RENAME TO product_reviews;
