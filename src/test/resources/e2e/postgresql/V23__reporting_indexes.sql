CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_orders_created ON orders (created_at);
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_payments_status ON payments (status) WHERE status <> 'settled';
