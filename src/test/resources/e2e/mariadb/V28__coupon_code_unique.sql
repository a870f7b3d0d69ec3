ALTER TABLE coupons ADD UNIQUE KEY uq_coupons_code (tenant_id, code);
