CREATE TABLE shipment_events (
    id          bigserial PRIMARY KEY,
    shipment_id bigint NOT NULL REFERENCES shipments (id) ON DELETE CASCADE,
    code        varchar(30) NOT NULL,
    happened_at timestamptz NOT NULL,
    details     jsonb
);
CREATE INDEX idx_shipment_events_shipment ON shipment_events (shipment_id, happened_at);
