CREATE VIEW order_totals AS
SELECT o.id AS order_id, o.tenant_id, o.customer_id, SUM(l.quantity * l.unit_cents) AS lines_cents
FROM orders o JOIN order_lines l ON l.order_id = o.id
GROUP BY o.id, o.tenant_id, o.customer_id;

CREATE VIEW customer_summary AS
SELECT c.id AS customer_id, c.tenant_id, COUNT(o.id) AS order_count
FROM customers c LEFT JOIN orders o ON o.customer_id = c.id
GROUP BY c.id, c.tenant_id;
