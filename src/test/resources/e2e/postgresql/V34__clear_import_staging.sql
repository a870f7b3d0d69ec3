TRUNCATE TABLE import_staging;
ALTER TABLE import_staging ADD COLUMN source_file varchar(255);
