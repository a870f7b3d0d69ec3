DROP VIEW IF EXISTS customer_summary;
CREATE VIEW customer_summary AS
SELECT c.id AS customer_id, c.tenant_id, COUNT(o.id) AS order_count, COALESCE(SUM(o.total_cents), 0) AS revenue_cents
FROM customers c LEFT JOIN orders o ON o.customer_id = c.id
GROUP BY c.id, c.tenant_id;
