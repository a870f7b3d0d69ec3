CREATE TABLE shipment_events (
    id          BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    shipment_id BIGINT NOT NULL,
    code        VARCHAR(30) NOT NULL,
    happened_at DATETIME NOT NULL,
    details     TEXT,
    KEY idx_shipment_events_shipment (shipment_id, happened_at),
    CONSTRAINT fk_shipment_events_shipment FOREIGN KEY (shipment_id) REFERENCES shipments (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
