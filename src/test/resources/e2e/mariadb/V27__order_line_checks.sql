ALTER TABLE order_lines ADD CONSTRAINT chk_order_lines_quantity CHECK (quantity > 0);
