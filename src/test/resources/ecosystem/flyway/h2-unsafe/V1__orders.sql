-- orders exists before this run, with rows (the test creates it): adding a column keeps it an old table
ALTER TABLE orders ADD COLUMN note varchar(100);
