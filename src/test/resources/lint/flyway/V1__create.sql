-- Orders and their customers.
CREATE TABLE customers (
    id   bigint PRIMARY KEY,
    name text NOT NULL
);

CREATE TABLE orders (
    id          bigint PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers (id),
    created_at  timestamptz NOT NULL DEFAULT now()
);
