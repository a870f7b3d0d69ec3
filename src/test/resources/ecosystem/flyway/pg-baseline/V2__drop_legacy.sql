-- an old script: ddlguard.baseline=2 lets it run as written (audited)
DROP TABLE legacy;
