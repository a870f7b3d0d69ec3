TRUNCATE TABLE import_staging;
ALTER TABLE import_staging ADD COLUMN source_file VARCHAR(255) NULL;
