CREATE TABLE audit_log (
    id          bigserial PRIMARY KEY,
    tenant_id   bigint NOT NULL REFERENCES tenants (id),
    actor_id    bigint REFERENCES users (id),
    action      varchar(50) NOT NULL,
    entity      varchar(50) NOT NULL,
    entity_id   bigint,
    details     jsonb,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_audit_log_entity ON audit_log (entity, entity_id);
CREATE INDEX idx_audit_log_details ON audit_log USING gin (details);
CREATE INDEX idx_audit_log_created ON audit_log (created_at);
