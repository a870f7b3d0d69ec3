CREATE TABLE orders (
    id          bigint PRIMARY KEY,
    customer_id bigint NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
