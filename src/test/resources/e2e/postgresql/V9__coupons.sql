CREATE TABLE coupons (
    id          bigserial PRIMARY KEY,
    tenant_id   bigint NOT NULL REFERENCES tenants (id),
    code        varchar(40) NOT NULL,
    percent_off smallint,
    valid_until date
);
ALTER TABLE orders ADD COLUMN coupon_id bigint REFERENCES coupons (id);
CREATE INDEX idx_orders_coupon ON orders (coupon_id);
