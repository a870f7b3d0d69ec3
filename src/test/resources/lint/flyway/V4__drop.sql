DROP TABLE legacy_orders;

-- ddlguard:allow drop-table archived to cold storage in OPS-412
DROP TABLE legacy_invoices;
