CREATE OR REPLACE VIEW order_totals AS
SELECT o.id AS order_id, o.tenant_id, o.customer_id, sum(l.quantity * l.unit_cents) AS lines_cents, o.currency
FROM orders o JOIN order_lines l ON l.order_id = o.id
GROUP BY o.id, o.tenant_id, o.customer_id, o.currency;
