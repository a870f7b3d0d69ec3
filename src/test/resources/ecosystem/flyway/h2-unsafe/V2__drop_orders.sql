-- a transactional migration: the guard blocks the DROP, so the CREATE before it must be rolled back too
CREATE TABLE notes (id bigint);
DROP TABLE orders;
