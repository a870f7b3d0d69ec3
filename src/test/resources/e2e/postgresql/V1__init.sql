-- Initial schema of the order-management service.

CREATE OR REPLACE FUNCTION set_updated_at() RETURNS trigger AS $$
BEGIN
    NEW.updated_at = now();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TABLE countries (
    code        char(2) PRIMARY KEY,
    name        varchar(100) NOT NULL
);

CREATE TABLE currencies (
    code        char(3) PRIMARY KEY,
    name        varchar(50) NOT NULL,
    minor_units smallint NOT NULL DEFAULT 2
);

CREATE TABLE tenants (
    id          bigserial PRIMARY KEY,
    name        varchar(200) NOT NULL,
    country     char(2) NOT NULL REFERENCES countries (code),
    currency    char(3) NOT NULL REFERENCES currencies (code),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id            bigserial PRIMARY KEY,
    tenant_id     bigint NOT NULL,
    email         varchar(320) NOT NULL,
    password_hash varchar(100) NOT NULL,
    display_name  varchar(100),
    last_login_at timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT uq_users_email UNIQUE (tenant_id, email)
);

CREATE TABLE roles (
    id    serial PRIMARY KEY,
    name  varchar(50) NOT NULL UNIQUE
);

CREATE TABLE user_roles (
    user_id bigint NOT NULL,
    role_id int NOT NULL,
    PRIMARY KEY (user_id, role_id)
);

CREATE TABLE customers (
    id          bigserial PRIMARY KEY,
    tenant_id   bigint NOT NULL,
    email       varchar(320) NOT NULL,
    first_name  varchar(100),
    last_name   varchar(100),
    legacy_code varchar(20),
    country     char(2),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE addresses (
    id          bigserial PRIMARY KEY,
    customer_id bigint NOT NULL,
    line1       varchar(200) NOT NULL,
    line2       varchar(200),
    city        varchar(100) NOT NULL,
    postal_code varchar(20),
    country     char(2) NOT NULL,
    is_default  boolean NOT NULL DEFAULT false
);

CREATE TABLE categories (
    id          bigserial PRIMARY KEY,
    tenant_id   bigint NOT NULL,
    parent_id   bigint,
    name        varchar(100) NOT NULL,
    slug        varchar(100) NOT NULL
);

CREATE TABLE suppliers (
    id          bigserial PRIMARY KEY,
    tenant_id   bigint NOT NULL,
    name        varchar(200) NOT NULL,
    email       varchar(320),
    country     char(2)
);

CREATE TABLE products (
    id          bigserial PRIMARY KEY,
    tenant_id   bigint NOT NULL,
    category_id bigint,
    supplier_id bigint,
    sku         varchar(64) NOT NULL,
    name        varchar(200) NOT NULL,
    description varchar(2000),
    price_cents bigint NOT NULL,
    currency    char(3) NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE warehouses (
    id          bigserial PRIMARY KEY,
    tenant_id   bigint NOT NULL,
    name        varchar(100) NOT NULL,
    country     char(2) NOT NULL
);

CREATE TABLE orders (
    id                  bigserial PRIMARY KEY,
    tenant_id           bigint NOT NULL,
    customer_id         bigint NOT NULL,
    shipping_address_id bigint,
    billing_address_id  bigint,
    total_cents         bigint NOT NULL DEFAULT 0,
    currency            char(3) NOT NULL,
    placed_at           timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE order_lines (
    id          bigserial PRIMARY KEY,
    order_id    bigint NOT NULL,
    product_id  bigint NOT NULL,
    quantity    int NOT NULL,
    unit_cents  bigint NOT NULL
);

CREATE TABLE payments (
    id          bigserial PRIMARY KEY,
    order_id    bigint NOT NULL,
    amount_cents bigint NOT NULL,
    currency    char(3) NOT NULL,
    provider    varchar(30) NOT NULL,
    provider_ref varchar(100),
    status      varchar(20) NOT NULL DEFAULT 'pending',
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE invoices (
    id          bigserial PRIMARY KEY,
    order_id    bigint NOT NULL,
    number      varchar(30) NOT NULL,
    issued_at   timestamptz NOT NULL DEFAULT now(),
    total_cents bigint NOT NULL
);

CREATE TABLE shipments (
    id           bigserial PRIMARY KEY,
    order_id     bigint NOT NULL,
    warehouse_id bigint NOT NULL,
    carrier      varchar(50),
    tracking_no  varchar(100),
    shipped_at   timestamptz
);

CREATE TABLE product_reviews (
    id          bigserial PRIMARY KEY,
    product_id  bigint NOT NULL,
    customer_id bigint NOT NULL,
    rating      smallint NOT NULL,
    body        text,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE import_staging (
    id          bigserial PRIMARY KEY,
    tenant_id   bigint NOT NULL,
    payload     text NOT NULL,
    imported_at timestamptz NOT NULL DEFAULT now()
);

-- Foreign keys
ALTER TABLE users ADD CONSTRAINT fk_users_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id);
ALTER TABLE user_roles ADD CONSTRAINT fk_user_roles_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE;
ALTER TABLE user_roles ADD CONSTRAINT fk_user_roles_role FOREIGN KEY (role_id) REFERENCES roles (id);
ALTER TABLE customers ADD CONSTRAINT fk_customers_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id);
ALTER TABLE customers ADD CONSTRAINT fk_customers_country FOREIGN KEY (country) REFERENCES countries (code);
ALTER TABLE addresses ADD CONSTRAINT fk_addresses_customer FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE;
ALTER TABLE addresses ADD CONSTRAINT fk_addresses_country FOREIGN KEY (country) REFERENCES countries (code);
ALTER TABLE categories ADD CONSTRAINT fk_categories_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id);
ALTER TABLE categories ADD CONSTRAINT fk_categories_parent FOREIGN KEY (parent_id) REFERENCES categories (id);
ALTER TABLE suppliers ADD CONSTRAINT fk_suppliers_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id);
ALTER TABLE products ADD CONSTRAINT fk_products_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id);
ALTER TABLE products ADD CONSTRAINT fk_products_category FOREIGN KEY (category_id) REFERENCES categories (id);
ALTER TABLE products ADD CONSTRAINT fk_products_supplier FOREIGN KEY (supplier_id) REFERENCES suppliers (id);
ALTER TABLE products ADD CONSTRAINT fk_products_currency FOREIGN KEY (currency) REFERENCES currencies (code);
ALTER TABLE warehouses ADD CONSTRAINT fk_warehouses_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id);
ALTER TABLE orders ADD CONSTRAINT fk_orders_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id);
ALTER TABLE orders ADD CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id);
ALTER TABLE orders ADD CONSTRAINT fk_orders_shipping_address FOREIGN KEY (shipping_address_id) REFERENCES addresses (id);
ALTER TABLE orders ADD CONSTRAINT fk_orders_billing_address FOREIGN KEY (billing_address_id) REFERENCES addresses (id);
ALTER TABLE orders ADD CONSTRAINT fk_orders_currency FOREIGN KEY (currency) REFERENCES currencies (code);
ALTER TABLE order_lines ADD CONSTRAINT fk_order_lines_order FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE;
ALTER TABLE order_lines ADD CONSTRAINT fk_order_lines_product FOREIGN KEY (product_id) REFERENCES products (id);
ALTER TABLE payments ADD CONSTRAINT fk_payments_order FOREIGN KEY (order_id) REFERENCES orders (id);
ALTER TABLE payments ADD CONSTRAINT fk_payments_currency FOREIGN KEY (currency) REFERENCES currencies (code);
ALTER TABLE invoices ADD CONSTRAINT fk_invoices_order FOREIGN KEY (order_id) REFERENCES orders (id);
ALTER TABLE shipments ADD CONSTRAINT fk_shipments_order FOREIGN KEY (order_id) REFERENCES orders (id);
ALTER TABLE shipments ADD CONSTRAINT fk_shipments_warehouse FOREIGN KEY (warehouse_id) REFERENCES warehouses (id);
ALTER TABLE product_reviews ADD CONSTRAINT fk_reviews_product FOREIGN KEY (product_id) REFERENCES products (id) ON DELETE CASCADE;
ALTER TABLE product_reviews ADD CONSTRAINT fk_reviews_customer FOREIGN KEY (customer_id) REFERENCES customers (id);
ALTER TABLE import_staging ADD CONSTRAINT fk_import_staging_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id);

-- Indexes
CREATE INDEX idx_users_tenant ON users (tenant_id);
CREATE INDEX idx_user_roles_role ON user_roles (role_id);
CREATE INDEX idx_customers_tenant ON customers (tenant_id);
CREATE UNIQUE INDEX uq_customers_tenant_email ON customers (tenant_id, email);
CREATE INDEX idx_addresses_customer ON addresses (customer_id);
CREATE INDEX idx_categories_parent ON categories (parent_id);
CREATE UNIQUE INDEX uq_categories_slug ON categories (tenant_id, slug);
CREATE INDEX idx_products_category ON products (category_id);
CREATE INDEX idx_products_supplier ON products (supplier_id);
CREATE UNIQUE INDEX uq_products_sku ON products (tenant_id, sku);
CREATE INDEX idx_orders_customer ON orders (customer_id);
CREATE INDEX idx_orders_tenant_placed ON orders (tenant_id, placed_at DESC);
CREATE INDEX idx_order_lines_order ON order_lines (order_id);
CREATE INDEX idx_order_lines_product ON order_lines (product_id);
CREATE INDEX idx_payments_order ON payments (order_id);
CREATE INDEX idx_invoices_order ON invoices (order_id);
CREATE UNIQUE INDEX uq_invoices_number ON invoices (number);
CREATE INDEX idx_shipments_order ON shipments (order_id);
CREATE INDEX idx_reviews_product ON product_reviews (product_id);

CREATE TRIGGER trg_tenants_updated_at BEFORE UPDATE ON tenants FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER trg_customers_updated_at BEFORE UPDATE ON customers FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER trg_products_updated_at BEFORE UPDATE ON products FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER trg_orders_updated_at BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION set_updated_at();
