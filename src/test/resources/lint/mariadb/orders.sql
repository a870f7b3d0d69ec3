ALTER TABLE orders ADD INDEX orders_customer_idx (customer_id);

ALTER TABLE orders MODIFY total BIGINT;
