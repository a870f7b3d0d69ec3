ALTER TABLE products RENAME COLUMN sku TO product_code;
