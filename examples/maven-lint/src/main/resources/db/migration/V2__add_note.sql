-- A nullable column without a default: metadata only, no rewrite of the table.
ALTER TABLE orders ADD COLUMN note text;
