BEGIN;
CREATE INDEX CONCURRENTLY orders_note_idx ON orders (note);
COMMIT;

CREATE INDEX CONCURRENTLY orders_region_idx ON orders (region);
