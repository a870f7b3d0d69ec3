ALTER TABLE products ALTER COLUMN name TYPE varchar(255);
ALTER TABLE products ALTER COLUMN description TYPE text;
COMMENT ON COLUMN products.description IS 'Markdown, shown on the product page';
