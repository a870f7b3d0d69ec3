ALTER TABLE products ADD COLUMN search_text text;
CREATE INDEX idx_products_name_lower ON products (lower(name));
UPDATE products SET search_text = lower(name || ' ' || coalesce(description, ''));
