ALTER TABLE stock_levels ALTER COLUMN on_hand TYPE bigint, ALTER COLUMN reserved TYPE bigint;
