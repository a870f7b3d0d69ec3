package dev.ddlguard.sql;

/** The leading keyword of a DDL statement. */
public enum Verb {
    CREATE,
    ALTER,
    DROP,
    TRUNCATE,
    RENAME,
    COMMENT,
    REINDEX,
    CLUSTER,
    VACUUM,
    OPTIMIZE,
    DO,
    REFRESH,
    IMPORT,
    GRANT,
    REVOKE,
    SECURITY,
    EXECUTE,
    PREPARE,
    COPY,
    RUNSCRIPT
}
