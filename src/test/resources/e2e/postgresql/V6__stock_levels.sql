CREATE TABLE stock_levels (
    warehouse_id bigint NOT NULL REFERENCES warehouses (id),
    product_id   bigint NOT NULL REFERENCES products (id),
    on_hand      int NOT NULL DEFAULT 0,
    reserved     int NOT NULL DEFAULT 0,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (warehouse_id, product_id)
);
CREATE INDEX idx_stock_levels_product ON stock_levels (product_id);
