ALTER TABLE coupons ADD CONSTRAINT uq_coupons_code UNIQUE (tenant_id, code);
