CREATE TABLE customers (
    id   bigint PRIMARY KEY,
    name varchar(100) NOT NULL
);

CREATE TABLE orders (
    id          bigint PRIMARY KEY,
    customer_id bigint NOT NULL,
    total       numeric(10, 2)
);
