-- Reviews get a tenant and a title: rebuild the table and swap it in.
CREATE TABLE product_reviews_new (
    id          BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    tenant_id   BIGINT NOT NULL,
    product_id  BIGINT NOT NULL,
    customer_id BIGINT NOT NULL,
    rating      SMALLINT NOT NULL CHECK (rating BETWEEN 1 AND 5),
    title       VARCHAR(200) NULL,
    body        TEXT,
    created_at  DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    KEY idx_product_reviews_product (product_id, created_at),
    CONSTRAINT fk_product_reviews_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id),
    CONSTRAINT fk_product_reviews_product FOREIGN KEY (product_id) REFERENCES products (id) ON DELETE CASCADE,
    CONSTRAINT fk_product_reviews_customer FOREIGN KEY (customer_id) REFERENCES customers (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
INSERT INTO product_reviews_new (id, tenant_id, product_id, customer_id, rating, body, created_at)
SELECT r.id, p.tenant_id, r.product_id, r.customer_id, GREATEST(1, LEAST(5, r.rating)), r.body, r.created_at
FROM product_reviews r JOIN products p ON p.id = r.product_id;
RENAME TABLE product_reviews TO product_reviews_old, product_reviews_new TO product_reviews;
