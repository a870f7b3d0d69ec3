INSERT INTO countries (code, name) VALUES ('DE', 'Germany'), ('FR', 'France'), ('GB', 'United Kingdom'), ('US', 'United States');
INSERT INTO currencies (code, name) VALUES ('EUR', 'Euro'), ('GBP', 'Pound sterling'), ('USD', 'US dollar');
INSERT INTO currencies (code, name, minor_units) VALUES ('JPY', 'Yen', 0);
INSERT INTO roles (name) VALUES ('admin'), ('manager'), ('clerk');
