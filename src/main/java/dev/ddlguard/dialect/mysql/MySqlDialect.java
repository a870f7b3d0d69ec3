package dev.ddlguard.dialect.mysql;

import dev.ddlguard.dialect.Catalog;
import dev.ddlguard.dialect.CatalogQuery;
import dev.ddlguard.dialect.Dialect;
import dev.ddlguard.dialect.FreeSpace;
import dev.ddlguard.dialect.LockImpact;
import dev.ddlguard.rules.PlanHint;
import dev.ddlguard.rules.Rule;
import dev.ddlguard.sql.AlterAction;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.Verb;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * MySQL and MariaDB: their lexical rules, metadata-lock and statement timeouts, catalog questions and
 * rule pack ({@link MySqlRules}: ALGORITHM/LOCK from the online-DDL matrix, measured per server).
 */
public final class MySqlDialect implements Dialect {

    /** ER_LOCK_WAIT_TIMEOUT, also raised when lock_wait_timeout expires on a metadata lock. */
    private static final int LOCK_WAIT_TIMEOUT = 1205;

    /** Judging for a server without being connected to it assumes these: MariaDB 10.11 LTS, MySQL 8.4 LTS. */
    static final int DEFAULT_MARIADB = OnlineDdlMatrix.MARIADB_10_11;
    static final int DEFAULT_MYSQL = OnlineDdlMatrix.MYSQL_8_4;

    private final String name;
    private final OnlineDdlMatrix.Flavour flavour;
    private final int version;
    private final List<Rule> rules;

    public MySqlDialect(boolean mariadb) {
        this(mariadb, 0);
    }

    /** @param version the server's version in the matrix encoding (major*10000+minor*100+patch), 0 for the default */
    public MySqlDialect(boolean mariadb, int version) {
        this.name = mariadb ? "mariadb" : "mysql";
        this.flavour = mariadb ? OnlineDdlMatrix.Flavour.MARIADB : OnlineDdlMatrix.Flavour.MYSQL;
        this.version = version != 0 ? version : mariadb ? DEFAULT_MARIADB : DEFAULT_MYSQL;
        this.rules = MySqlRules.forFlavour(flavour, this.version);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public SqlSyntax syntax() {
        return SqlSyntax.MYSQL;
    }

    @Override
    public List<Rule> rules() {
        return rules;
    }

    @Override
    public int defaultServerVersion() {
        return version;
    }

    @Override
    public int serverVersion(Connection connection) {
        return version;   // read from DatabaseMetaData when the dialect was chosen
    }

    @Override
    public LockImpact lockImpact(DdlStatement statement) {
        return MySqlLockModel.of(statement, flavour, version, Catalog.OFFLINE);
    }

    @Override
    public LockImpact lockImpact(DdlStatement statement, Catalog catalog) {
        return MySqlLockModel.of(statement, flavour, version, catalog);
    }

    /**
     * The column in one line (see {@link MySqlColumn}): COLUMN_TYPE, its character set and collation
     * (a VARCHAR's length prefix depends on the first, whether a MODIFY is a collation change on the
     * second), nullability, whether an index covers it or starts with it, and the table's default
     * collation (what a MODIFY without COLLATE gives the column).
     */
    @Override
    public String columnType(Connection connection, QualifiedName table, Identifier column) throws SQLException {
        // Every information_schema table is filtered by constant schema and table names, never by correlation:
        // MariaDB then opens only this table, where a correlated filter opens every table of every schema and
        // waits behind any other session's metadata lock (seen: max_statement_time exceeded).
        String where = " WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?";
        String sql = "SELECT CONCAT(COLUMN_TYPE, IFNULL(CONCAT(' character set ', CHARACTER_SET_NAME), ''),"
                + " IFNULL(CONCAT(' collate ', COLLATION_NAME), ''), IF(IS_NULLABLE = 'NO', ' not null', ''),"
                + " IF(EXISTS (SELECT 1 FROM information_schema.STATISTICS" + where + " AND COLUMN_NAME = ?), ' indexed', ''),"
                + " IF(EXISTS (SELECT 1 FROM information_schema.STATISTICS" + where + " AND COLUMN_NAME = ? AND SEQ_IN_INDEX = 1),"
                + " ' leads index', ''),"
                + " IFNULL((SELECT CONCAT(' table collate ', TABLE_COLLATION) FROM information_schema.TABLES" + where + "), ''))"
                + " FROM information_schema.COLUMNS" + where + " AND COLUMN_NAME = ?";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setQueryTimeout(2);
            String schema = table.schema() == null ? null : table.schema().text();
            int i = 1;
            for (int part = 0; part < 4; part++) {   // indexed, leads index, table collation, the column itself
                ps.setString(i++, schema);
                ps.setString(i++, table.name().text());
                if (part != 2) {
                    ps.setString(i++, column.text());
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    @Override
    public Set<String> columnCharsets(Connection connection, QualifiedName table) throws SQLException {
        String sql = "SELECT DISTINCT LOWER(CHARACTER_SET_NAME) FROM information_schema.COLUMNS"
                + " WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ? AND CHARACTER_SET_NAME IS NOT NULL";
        Set<String> charsets = new HashSet<>();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setQueryTimeout(2);
            ps.setString(1, table.schema() == null ? null : table.schema().text());
            ps.setString(2, table.name().text());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    charsets.add(rs.getString(1));
                }
            }
            failOnWarning(ps, table);
        }
        return charsets;
    }

    @Override
    public String setting(Connection connection, String name) throws SQLException {
        if (!name.matches("[A-Za-z_]+")) {
            return null;
        }
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT @@SESSION." + name)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Override
    public Set<String> indexTypes(Connection connection, QualifiedName table) throws SQLException {
        Set<String> types = new HashSet<>();
        String sql = "SELECT DISTINCT INDEX_TYPE FROM information_schema.STATISTICS"
                + " WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setQueryTimeout(2);
            ps.setString(1, table.schema() == null ? null : table.schema().text());
            ps.setString(2, table.name().text());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    types.add(rs.getString(1).toUpperCase(Locale.ROOT));
                }
            }
            failOnWarning(ps, table);
        }
        return types;
    }

    @Override
    public List<Catalog.Session> queuedBehind(DdlStatement statement,
                                                                            Catalog catalog) {
        return MySqlRules.holders(statement, catalog);
    }

    /**
     * MariaDB's information_schema.DISKS (the DISKS plugin, MariaDB 10.1.32+; not loaded by default, and it lists
     * disks only to a user with the FILE privilege) gives the free kilobytes of each mounted volume: the one whose
     * path is the longest prefix of {@code @@datadir} holds the tables. MySQL has no such table.
     */
    @Override
    public FreeSpace freeSpace(Connection connection) throws SQLException {
        String datadir = CatalogQuery.one(connection, "SELECT @@datadir", rs -> rs.getString(1), null);
        if (flavour != OnlineDdlMatrix.Flavour.MARIADB) {
            return FreeSpace.unknown(datadir, "MySQL reports no free disk space over SQL: check the volume of "
                    + (datadir != null ? datadir : "@@datadir") + " on the server itself");
        }
        // Asked first rather than caught: a query on a missing information_schema table is an error the driver logs.
        boolean loaded = CatalogQuery.one(connection, "SELECT COUNT(*) FROM information_schema.PLUGINS"
                + " WHERE PLUGIN_NAME = 'DISKS' AND PLUGIN_STATUS = 'ACTIVE'", rs -> rs.getLong(1) > 0, false);
        if (!loaded) {
            return FreeSpace.unknown(datadir, "MariaDB's information_schema.DISKS is not available (the DISKS"
                    + " plugin is not loaded: INSTALL SONAME 'disks'): check the volume of "
                    + (datadir != null ? datadir : "@@datadir") + " on the server itself");
        }
        List<String[]> disks = CatalogQuery.all(connection, "SELECT Path, Available FROM information_schema.DISKS",
                rs -> new String[]{rs.getString(1), rs.getString(2)});
        String[] best = null;
        for (String[] disk : disks) {
            if (datadir != null && disk[0] != null && datadir.startsWith(disk[0]) && (best == null || disk[0].length() > best[0].length())) {
                best = disk;
            }
        }
        if (best == null || best[1] == null) {
            return FreeSpace.unknown(datadir, "information_schema.DISKS lists no volume for " + datadir
                    + " (it shows disks only to a user with the FILE privilege): check it on the server itself");
        }
        return new FreeSpace(Long.parseLong(best[1].trim()) * 1024, best[0], null);   // DISKS counts 1 KiB blocks
    }

    /**
     * Transactions that may hold the table's metadata lock: performance_schema.metadata_locks when it is
     * enabled, else every open InnoDB transaction (a transaction keeps the lock of every table it touched).
     */
    @Override
    public List<Catalog.Session> lockHolders(Connection connection, QualifiedName table)
            throws SQLException {
        List<Catalog.Session> sessions = new ArrayList<>();
        String sql = "SELECT p.ID, p.COMMAND, TIMESTAMPDIFF(SECOND, t.trx_started, NOW()), p.USER, IFNULL(p.INFO, t.trx_query)"
                + " FROM information_schema.INNODB_TRX t JOIN information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id"
                + " WHERE p.ID <> CONNECTION_ID()"
                // Without the metadata_lock_info plugin the server does not say who holds the table: an open
                // transaction of a session in the table's own schema, or one whose statement names the table,
                // may. Transactions of other schemas were all listed before, a warning on every DDL of a busy server.
                + " AND (p.DB <=> COALESCE(?, DATABASE()) OR IFNULL(p.INFO, t.trx_query) LIKE CONCAT('%', ?, '%'))"
                + " ORDER BY t.trx_started LIMIT 10";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setQueryTimeout(2);
            ps.setString(1, table.schema() == null ? null : table.schema().text());
            ps.setString(2, table.name().text().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_"));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sessions.add(new Catalog.Session(rs.getInt(1),
                            "open transaction, " + rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5), null));
                }
            }
        }
        return sessions;
    }

    /**
     * The server refused every online clause the guard tried: the change has no online path on this
     * server. Says exactly what the server answered to each, and what to do instead.
     */
    @Override
    public SQLException explainFailure(SQLException failure, DdlStatement executed, List<String> refused) {
        if (!MySqlClauses.isRefusal(failure.getErrorCode())) {
            return null;
        }
        List<String> answers = new ArrayList<>(refused);
        String last = describeRefusal(failure, executed);
        if (answers.isEmpty() || !answers.get(answers.size() - 1).equals(last)) {
            answers.add(last);
        }
        MySqlStatement m = MySqlStatement.of(executed, flavour, version, Catalog.OFFLINE);
        String clause = clauseOf(m);
        String weaker = clause == null ? null : OnlineDdlMatrix.weakerOnlineClause(flavour, clause);
        if (weaker != null) {
            // Not every online form was tried: a prepared statement's SQL is fixed, it cannot be sent with another clause.
            return new dev.ddlguard.BlockedStatementException("ddlguard blocked " + executed.summary() + ".\n"
                    + "[require-online-ddl] the server refused the online clause the guard added (" + String.join("; then ", answers)
                    + "), and a prepared statement cannot be sent again with the next weaker online clause, " + weaker
                    + ". Nothing was changed. Instead: write " + weaker + " in the statement yourself, or run it through a"
                    + " plain Statement, with which the guard tries the weaker online clauses itself.",
                    List.of("require-online-ddl"));
        }
        String asWritten = withoutClause(m);
        StringBuilder text = new StringBuilder("ddlguard blocked ").append(executed.summary()).append(".\n")
                .append("[require-online-ddl] the server refused every online form of it (")
                .append(String.join("; then ", answers))
                .append("): it has no online path on this server, only forms that block writes while they run (LOCK=SHARED,"
                        + " or a table copy). Nothing was changed. Instead: ").append(MySqlRules.ALTERNATIVES).append('.');
        if (asWritten != null && executed.actions().stream()
                .anyMatch(a -> a.kind() == AlterAction.Kind.ALTER_COLUMN_TYPE)) {
            text.append("\nThe expand-contract plan, phase by phase: ").append(PlanHint.command(name, asWritten));
        }
        text.append("\nIf it is safe here (a maintenance window), add /* ddlguard:allow require-online-ddl <reason> */"
                + " to the statement.");
        return new dev.ddlguard.BlockedStatementException(text.toString(), List.of("require-online-ddl"));
    }

    /** The statement without the clause the guard appended (for the plan command), or null when it is not found. */
    private String withoutClause(MySqlStatement m) {
        String sql = m.ddl().text().source();
        String clause = clauseOf(m);
        if (clause == null || !MySqlClauses.acceptsClause(m.kind(), flavour)) {
            return null;
        }
        String rendered = (m.kind() == MySqlClauses.StatementKind.ALTER_TABLE ? ", " : " ")
                + MySqlClauses.render(m.kind(), flavour, clause);
        int at = sql.lastIndexOf(rendered);
        return at < 0 ? null : (sql.substring(0, at) + sql.substring(at + rendered.length())).strip();
    }

    /** {@code ALGORITHM=INSTANT, LOCK=NONE: ERROR 1845 "ALGORITHM=INSTANT is not supported … Try ALGORITHM=INPLACE"}. */
    @Override
    public String describeRefusal(SQLException failure, DdlStatement executed) {
        if (!MySqlClauses.isRefusal(failure.getErrorCode())) {
            return null;
        }
        MySqlStatement m = MySqlStatement.of(executed, flavour, version, Catalog.OFFLINE);
        String clause = clauseOf(m);
        return (clause == null ? "the clause" : clause) + ": ERROR " + failure.getErrorCode() + " \""
                + String.valueOf(failure.getMessage()).strip() + "\"";
    }

    /**
     * The server refused the online clause the guard added: the same string with the next weaker
     * online clause in its place (INSTANT, then NOCOPY, then INPLACE, always LOCK=NONE), or null
     * when there is none. The clause is the one the guard rendered, so it is found as rendered, the
     * last time it occurs (the guard put it after the statement's last code token).
     */
    @Override
    public String weakerRewrite(SQLException failure, String sent, DdlStatement executed) {
        if (!MySqlClauses.isRefusal(failure.getErrorCode())) {
            return null;
        }
        MySqlStatement m = MySqlStatement.of(executed, flavour, version, Catalog.OFFLINE);
        String clause = clauseOf(m);
        if (clause == null || !MySqlClauses.acceptsClause(m.kind(), flavour)) {
            return null;
        }
        String weaker = OnlineDdlMatrix.weakerOnlineClause(flavour, clause);
        if (weaker == null) {
            return null;
        }
        String old = MySqlClauses.render(m.kind(), flavour, clause);
        int at = sent.lastIndexOf(old);
        return at < 0 ? null : sent.substring(0, at) + MySqlClauses.render(m.kind(), flavour, weaker)
                + sent.substring(at + old.length());
    }

    /** The clause a statement carries, as the guard writes it: {@code ALGORITHM=X, LOCK=Y} or {@code ALGORITHM=X}. */
    private static String clauseOf(MySqlStatement m) {
        if (m.algorithm() == null) {
            return null;
        }
        return "ALGORITHM=" + m.algorithm() + (m.lock() == null ? "" : ", LOCK=" + m.lock());
    }

    /**
     * Tables and views only (an index name is per table here). Reading the names of information_schema.TABLES
     * opens no table, so it cannot wait on a metadata lock.
     */
    @Override
    public Boolean exists(Connection connection, String objectType, QualifiedName relation) throws SQLException {
        if (!"TABLE".equals(objectType) && !"VIEW".equals(objectType)) {
            return null;
        }
        return CatalogQuery.one(connection, "SELECT COUNT(*) FROM information_schema.TABLES"
                        + " WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?", rs -> rs.getLong(1) > 0, null,
                relation.schema() == null ? null : relation.schema().text(), relation.name().text());
    }

    /** InnoDB reports rows affected only when it copied the table: an in-place or instant ALTER reports 0. */
    @Override
    public String noteAfterSuccess(DdlStatement executed, long rowsAffected) {
        return executed.is(Verb.ALTER, "TABLE") && rowsAffected > 0
                ? "the server copied the table (" + rowsAffected + " rows affected)" : null;
    }

    /**
     * A table information_schema could not open (another session holds its metadata lock past
     * lock_wait_timeout) shows NULL sizes and a warning, not an error: that is a failure, not an empty table.
     */
    @Override
    public TableSize tableSize(Connection connection, QualifiedName table) throws SQLException {
        String sql = "SELECT TABLE_ROWS, DATA_LENGTH + INDEX_LENGTH FROM information_schema.TABLES"
                + " WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setQueryTimeout(2);
            ps.setString(1, table.schema() == null ? null : table.schema().text());
            ps.setString(2, table.name().text());
            TableSize size;
            try (ResultSet rs = ps.executeQuery()) {
                size = rs.next() ? new TableSize(CatalogQuery.longOrNull(rs, 1), CatalogQuery.longOrNull(rs, 2))
                        : TableSize.UNKNOWN;
            }
            failOnWarning(ps, table);
            return size;
        }
    }

    /**
     * information_schema turns "cannot open this table" (a lock wait timeout, say) into a warning and
     * leaves the table out or its columns NULL; the question has no answer then.
     */
    private static void failOnWarning(Statement statement, QualifiedName table) throws SQLException {
        SQLWarning warning = statement.getWarnings();
        if (warning != null) {
            throw new SQLException("information_schema could not read " + table.toSql() + ": " + warning.getMessage(),
                    warning.getSQLState(), warning.getErrorCode());
        }
    }

    @Override
    public List<String> dependents(Connection connection, String objectType, QualifiedName name) throws SQLException {
        return MySqlDependents.dependents(connection, objectType, name);
    }

    @Override
    public String constraintKind(Connection connection, QualifiedName table, Identifier constraint)
            throws SQLException {
        return MySqlDependents.constraintKind(connection, table, constraint);
    }

    @Override
    public Boolean relationExists(Connection connection, QualifiedName name) throws SQLException {
        return MySqlDependents.relationExists(connection, name);
    }

    @Override
    public Boolean isUniqueIndex(Connection connection, QualifiedName table, Identifier index)
            throws SQLException {
        return MySqlDependents.isUniqueIndex(connection, table, index);
    }

    @Override
    public String currentLockTimeout(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT @@SESSION.lock_wait_timeout")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** lock_wait_timeout is in whole seconds, at least 1. */
    @Override
    public void setLockTimeout(Connection connection, Duration timeout) throws SQLException {
        long seconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
        CatalogQuery.execute(connection, "SET SESSION lock_wait_timeout = " + seconds);
    }

    @Override
    public void restoreLockTimeout(Connection connection, String previous) throws SQLException {
        CatalogQuery.execute(connection, "SET SESSION lock_wait_timeout = " + Long.parseLong(previous.trim()));
    }

    @Override
    public boolean isLockTimeout(SQLException e) {
        return e.getErrorCode() == LOCK_WAIT_TIMEOUT;
    }

    /**
     * MariaDB's max_statement_time (seconds, fractions allowed) bounds every statement, DDL included; MySQL's
     * max_execution_time bounds only SELECT, so on MySQL the guard falls back to the JDBC query timeout.
     */
    @Override
    public String currentStatementTimeout(Connection connection) throws SQLException {
        if (flavour != OnlineDdlMatrix.Flavour.MARIADB) {
            return null;
        }
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT @@SESSION.max_statement_time")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Override
    public void setStatementTimeout(Connection connection, Duration timeout) throws SQLException {
        CatalogQuery.execute(connection, "SET SESSION max_statement_time = " + timeout.toMillis() / 1000.0);
    }

    @Override
    public void restoreStatementTimeout(Connection connection, String previous) throws SQLException {
        CatalogQuery.execute(connection, "SET SESSION max_statement_time = " + Double.parseDouble(previous.trim()));
    }

    /** 1969 ER_STATEMENT_TIMEOUT (MariaDB max_statement_time); 1317 ER_QUERY_INTERRUPTED (the JDBC timeout's KILL QUERY). */
    @Override
    public boolean isStatementTimeout(SQLException e) {
        return e.getErrorCode() == 1969 || e.getErrorCode() == 1317;
    }

    /** 1213 ER_LOCK_DEADLOCK (SQLSTATE 40001). */
    @Override
    public boolean isDeadlock(SQLException e) {
        return e.getErrorCode() == 1213;
    }
}
