ALTER TABLE products ADD COLUMN search_text TEXT NULL;
UPDATE products SET search_text = LOWER(CONCAT(name, ' ', COALESCE(description, '')));
ALTER TABLE products ADD FULLTEXT INDEX ft_products_search (search_text);
