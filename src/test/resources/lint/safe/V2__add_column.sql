-- A nullable column without a default only touches the catalog.
ALTER TABLE invoices ADD COLUMN paid_at timestamptz;
