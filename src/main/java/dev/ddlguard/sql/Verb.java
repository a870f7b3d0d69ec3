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
    RUNSCRIPT,
    /** PostgreSQL's LOCK TABLE, MySQL's LOCK TABLES: a table lock taken by hand (not DDL, as lock-heavy). */
    LOCK,
    /** MySQL's FLUSH TABLES … WITH READ LOCK | FOR EXPORT. */
    FLUSH,
    /** PostgreSQL's REASSIGN OWNED BY a TO b: ALTER … OWNER TO of every object a role owns. */
    REASSIGN,
    /** MySQL's SET GLOBAL | PERSIST and SET PASSWORD; a session's SET is not DDL ({@link ServerSettings}). */
    SET,
    /** MySQL's INSTALL PLUGIN | SONAME | COMPONENT: loads code into the server. */
    INSTALL,
    /** MySQL's UNINSTALL PLUGIN | SONAME | COMPONENT. */
    UNINSTALL,
    /** MySQL's SHUTDOWN: stops the server. */
    SHUTDOWN,
    /** MySQL's RESET MASTER | BINARY LOGS | SLAVE | REPLICA (PostgreSQL's RESET of a setting is not DDL). */
    RESET,
    /** MySQL's PURGE BINARY | MASTER LOGS: deletes binary logs. */
    PURGE,
    /** MySQL's CHANGE MASTER | REPLICATION SOURCE | REPLICATION FILTER. */
    CHANGE,
    /** MySQL's STOP SLAVE | REPLICA | ALL SLAVES | GROUP_REPLICATION. */
    STOP,
    /** MariaDB's DELETE HISTORY FROM a system-versioned table only; any other DELETE is DML, never read. */
    DELETE,
    /** MariaDB's BACKUP STAGE stage and BACKUP LOCK t: a server-wide or table backup lock taken by hand. */
    BACKUP,
    /** MySQL's BINLOG 'base64': binary-log events replayed, which write any table, the mysql schema's too. */
    BINLOG,
    /** MySQL's REPAIR TABLE: an exclusive metadata lock, then (MyISAM, Aria) a rebuild that blocks writes. */
    REPAIR,
    /** MySQL's CALL of a procedure of the sys or mysql schema, which may run SQL it builds from its arguments. */
    CALL
}
