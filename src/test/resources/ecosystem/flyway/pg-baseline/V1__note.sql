-- an old script, written before the team adopted ddlguard
ALTER TABLE orders ADD COLUMN note varchar(100);
