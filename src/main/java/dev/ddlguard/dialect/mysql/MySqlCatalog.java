package dev.ddlguard.dialect.mysql;

import static dev.ddlguard.dialect.CatalogQuery.longOrNull;

import dev.ddlguard.dialect.CatalogQuery;
import dev.ddlguard.dialect.JdbcCatalog;
import dev.ddlguard.rules.FreeSpace;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.QualifiedName;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * MySQL's and MariaDB's catalog questions, from information_schema. Every information_schema table is
 * filtered by constant schema and table names, never by correlation: MariaDB then opens only this table,
 * where a correlated filter opens every table of every schema and waits behind any other session's
 * metadata lock (seen: max_statement_time exceeded). A question that opens the table fails on the warning
 * information_schema gives instead of an error when it cannot ({@link CatalogQuery#allStrict}).
 */
final class MySqlCatalog extends JdbcCatalog {

    /** The filter of every question about one table: the schema (null for the connection's database), the table. */
    private static final String TABLE = " WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?";

    /**
     * A column named as the server compares column names: both folded to lower case, then byte by byte
     * (information_schema's collation takes é for e: an outside tester's ADD COLUMN IF NOT EXISTS é was judged a no-op
     * beside e; folded to upper case, the Kelvin sign K and dotted İ name k and i to the server, and ı differs from i).
     */
    private static final String COLUMN = "CAST(LOWER(COLUMN_NAME) AS BINARY) = CAST(LOWER(?) AS BINARY)";

    private final boolean mariadb;

    MySqlCatalog(Connection connection, boolean mariadb) {
        super(connection, MySqlDependents::dependents);
        this.mariadb = mariadb;
    }

    /** Sizes are NULL, with a warning, for a table information_schema could not open: a failure, not an empty table. */
    @Override
    public TableSize tableSize(QualifiedName table) {
        return answer(() -> CatalogQuery.oneStrict(
                connection,
                "SELECT TABLE_ROWS, DATA_LENGTH + INDEX_LENGTH" + " FROM information_schema.TABLES" + TABLE,
                rs -> new TableSize(longOrNull(rs, 1), longOrNull(rs, 2)),
                TableSize.UNKNOWN,
                table.toSql(),
                schemaOf(table),
                table.name().text()));
    }

    @Override
    public Boolean columnExists(QualifiedName table, Identifier column) {
        return one(
                "SELECT EXISTS (SELECT 1 FROM information_schema.COLUMNS" + TABLE + " AND " + COLUMN + ")",
                rs -> rs.getBoolean(1),
                null,
                schemaOf(table),
                table.name().text(),
                column.text());
    }

    @Override
    public List<String> columnNames(QualifiedName relation) {
        return all(
                "SELECT COLUMN_NAME FROM information_schema.COLUMNS" + TABLE
                        + " AND EXTRA NOT LIKE '%INVISIBLE%' ORDER BY ORDINAL_POSITION", // what SELECT * gives
                rs -> rs.getString(1),
                schemaOf(relation),
                relation.name().text());
    }

    /**
     * The column in one line (see {@link MySqlColumn}): COLUMN_TYPE, its character set and collation
     * (a VARCHAR's length prefix depends on the first, whether a MODIFY is a collation change on the
     * second), nullability, whether an index covers it or starts with it, and the table's default
     * collation (what a MODIFY without COLLATE gives the column).
     */
    @Override
    public String columnType(QualifiedName table, Identifier column) {
        String schema = schemaOf(table);
        String name = table.name().text();
        String col = column.text();
        return one(
                "SELECT CONCAT(COLUMN_TYPE, IFNULL(CONCAT(' character set ', CHARACTER_SET_NAME), ''),"
                        + " IFNULL(CONCAT(' collate ', COLLATION_NAME), ''), IF(IS_NULLABLE = 'NO', ' not null', ''),"
                        + " IF(EXISTS (SELECT 1 FROM information_schema.STATISTICS" + TABLE
                        + " AND " + COLUMN + "), ' indexed', ''),"
                        + " IF(EXISTS (SELECT 1 FROM information_schema.STATISTICS" + TABLE + " AND " + COLUMN
                        + " AND SEQ_IN_INDEX = 1), ' leads index', ''),"
                        + " IFNULL((SELECT CONCAT(' table collate ', TABLE_COLLATION) FROM information_schema.TABLES"
                        + TABLE + "), ''))"
                        + " FROM information_schema.COLUMNS" + TABLE + " AND " + COLUMN,
                rs -> rs.getString(1),
                null,
                schema,
                name,
                col,
                schema,
                name,
                col,
                schema,
                name,
                schema,
                name,
                col);
    }

    /** EXTRA names AUTO_INCREMENT; COLUMN_DEFAULT is NULL (MySQL) or 'NULL' (MariaDB) for none. */
    @Override
    public String columnFill(QualifiedName table, Identifier column) {
        return ofTable(
                "SELECT CONCAT(IF(EXTRA LIKE '%auto_increment%', 'generated', IF(IS_NULLABLE = 'NO', 'required',"
                        + " 'nullable')), IF(COLUMN_DEFAULT IS NULL OR COLUMN_DEFAULT = 'NULL', '', ' defaulted'))"
                        + " FROM information_schema.COLUMNS" + TABLE + " AND " + COLUMN,
                rs -> rs.getString(1),
                table,
                column.text());
    }

    @Override
    public String tableEngine(QualifiedName table) {
        return ofTable("SELECT ENGINE FROM information_schema.TABLES" + TABLE, rs -> rs.getString(1), table);
    }

    @Override
    public Set<String> columnCharsets(QualifiedName table) {
        return new HashSet<>(answer(() -> CatalogQuery.allStrict(
                connection,
                "SELECT DISTINCT LOWER(CHARACTER_SET_NAME)" + " FROM information_schema.COLUMNS" + TABLE
                        + " AND CHARACTER_SET_NAME IS NOT NULL",
                rs -> rs.getString(1),
                table.toSql(),
                schemaOf(table),
                table.name().text())));
    }

    @Override
    public Set<String> indexTypes(QualifiedName table) {
        return new HashSet<>(answer(() -> CatalogQuery.allStrict(
                connection,
                "SELECT DISTINCT INDEX_TYPE" + " FROM information_schema.STATISTICS" + TABLE,
                rs -> rs.getString(1).toUpperCase(Locale.ROOT),
                table.toSql(),
                schemaOf(table),
                table.name().text())));
    }

    @Override
    public String setting(String name) {
        // a server-wide setting has no session value: @@SESSION. of it is an error
        String scope = name.equalsIgnoreCase("lower_case_table_names") ? "@@GLOBAL." : "@@SESSION.";
        return name.matches("[A-Za-z_]+") ? one("SELECT " + scope + name, rs -> rs.getString(1), null) : null;
    }

    /**
     * Tables, views and (MariaDB) sequences, and databases (an index name is per table here). Reading the names of
     * information_schema.TABLES or SCHEMATA opens no table, so it cannot wait on a metadata lock; SCHEMATA finds a name as
     * the server does (with lower_case_table_names=0, Db is not db).
     */
    @Override
    public Boolean exists(String objectType, QualifiedName relation) {
        if ("DATABASE".equals(objectType) || "SCHEMA".equals(objectType)) {
            return one(
                    "SELECT COUNT(*) > 0 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?",
                    rs -> rs.getBoolean(1),
                    null,
                    relation.name().text());
        }
        // MariaDB's sequences are tables of their own kind in information_schema.TABLES (TABLE_TYPE 'SEQUENCE')
        return "TABLE".equals(objectType) || "VIEW".equals(objectType) || "SEQUENCE".equals(objectType)
                ? relationExists(relation)
                : null;
    }

    /** PostgreSQL's codes for what information_schema.TABLES says a name is: r a table, v a view, S a sequence; else null. */
    @Override
    public String relationKind(QualifiedName table) {
        return ofTable(
                "SELECT CASE WHEN TABLE_TYPE LIKE '%VIEW' THEN 'v' WHEN TABLE_TYPE = 'SEQUENCE' THEN 'S' ELSE 'r' END"
                        + " FROM information_schema.TABLES" + TABLE,
                rs -> rs.getString(1),
                table);
    }

    /** information_schema.TABLES has a row for every table and view the user can see. */
    @Override
    public Boolean relationExists(QualifiedName name) {
        return ofTable("SELECT COUNT(*) > 0 FROM information_schema.TABLES" + TABLE, rs -> rs.getBoolean(1), name);
    }

    /**
     * Whether the name resolves to a temporary table of this session: information_schema lists none, but
     * SHOW CREATE TABLE shows what the name resolves to, and a temporary table hides a permanent one of the same name
     * ({@code CREATE TEMPORARY TABLE} then). A name that resolves to nothing is not temporary.
     */
    @Override
    public boolean isTemporary(QualifiedName table) {
        String sql = "SHOW CREATE TABLE " + quoted(table);
        return answer(() -> {
            try (Statement st = connection.createStatement();
                    ResultSet rs = st.executeQuery(sql)) {
                return rs.next()
                        && rs.getMetaData().getColumnCount() >= 2
                        && rs.getString(2).regionMatches(true, 0, "CREATE TEMPORARY TABLE", 0, 22);
            } catch (SQLException e) {
                if (e.getErrorCode() == NO_SUCH_TABLE) {
                    return false;
                }
                throw e;
            }
        });
    }

    /** ER_NO_SUCH_TABLE. */
    private static final int NO_SUCH_TABLE = 1146;

    /** The name in backquotes, as SHOW takes it (no parameters there). */
    private static String quoted(QualifiedName table) {
        String name = "`" + table.name().text().replace("`", "``") + "`";
        return table.schema() == null ? name : "`" + table.schema().text().replace("`", "``") + "`." + name;
    }

    /** TABLE_CONSTRAINTS.CONSTRAINT_TYPE: PRIMARY KEY, UNIQUE, FOREIGN KEY, CHECK. */
    @Override
    public String constraintKind(QualifiedName table, Identifier constraint) {
        return ofTable(
                "SELECT CONSTRAINT_TYPE FROM information_schema.TABLE_CONSTRAINTS" + TABLE
                        + " AND CONSTRAINT_NAME = ? ORDER BY CONSTRAINT_TYPE = 'CHECK' LIMIT 1",
                rs -> rs.getString(1),
                table,
                constraint.text());
    }

    /** STATISTICS.NON_UNIQUE = 0 for UNIQUE and PRIMARY KEY indexes; null when the table has no such index. */
    @Override
    public Boolean isUniqueIndex(QualifiedName table, Identifier index) {
        String sql = "SELECT MIN(NON_UNIQUE) = 0 FROM information_schema.STATISTICS" + TABLE
                + " AND INDEX_NAME = ? HAVING COUNT(*) > 0";
        return ofTable(sql, rs -> rs.getBoolean(1), table, index.text());
    }

    /**
     * Transactions that may hold the table's metadata lock. Without the metadata_lock_info plugin the server
     * does not say who holds the table: an open transaction of a session in the table's own schema, or one
     * whose statement names the table, may. Transactions of other schemas were all listed before, a warning on
     * every DDL of a busy server.
     */
    @Override
    public List<Session> lockHolders(QualifiedName table) {
        return all(
                "SELECT p.ID, p.COMMAND, TIMESTAMPDIFF(SECOND, t.trx_started, NOW()), p.USER, IFNULL(p.INFO, t.trx_query)"
                        + " FROM information_schema.INNODB_TRX t JOIN information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id"
                        + " WHERE p.ID <> CONNECTION_ID()"
                        + " AND (p.DB <=> COALESCE(?, DATABASE()) OR IFNULL(p.INFO, t.trx_query) LIKE CONCAT('%', ?, '%'))"
                        + " ORDER BY t.trx_started LIMIT 10",
                rs -> new Session(
                        rs.getInt(1),
                        "open transaction, " + rs.getString(2),
                        rs.getLong(3),
                        rs.getString(4),
                        rs.getString(5),
                        null),
                schemaOf(table),
                table.name().text().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_"));
    }

    /**
     * MariaDB's information_schema.DISKS (the DISKS plugin, MariaDB 10.1.32+; not loaded by default, and it lists
     * disks only to a user with the FILE privilege) gives the free kilobytes of each mounted volume: the one whose
     * path is the longest prefix of {@code @@datadir} holds the tables. MySQL has no such table.
     */
    @Override
    public FreeSpace freeSpace() {
        String datadir = one("SELECT @@datadir", rs -> rs.getString(1), null);
        String where = datadir != null ? datadir : "@@datadir";
        if (!mariadb) {
            return FreeSpace.unknown(
                    datadir,
                    "MySQL reports no free disk space over SQL: check the volume of " + where
                            + " on the server itself");
        }
        // Asked first rather than caught: a query on a missing information_schema table is an error the driver logs.
        boolean loaded = one(
                "SELECT COUNT(*) FROM information_schema.PLUGINS"
                        + " WHERE PLUGIN_NAME = 'DISKS' AND PLUGIN_STATUS = 'ACTIVE'",
                rs -> rs.getLong(1) > 0,
                false);
        if (!loaded) {
            return FreeSpace.unknown(
                    datadir,
                    "MariaDB's information_schema.DISKS is not available (the DISKS"
                            + " plugin is not loaded: INSTALL SONAME 'disks'): check the volume of " + where
                            + " on the server itself");
        }
        String[] best = null;
        for (String[] disk : all("SELECT Path, Available FROM information_schema.DISKS", rs ->
                new String[] {rs.getString(1), rs.getString(2)})) {
            if (datadir != null
                    && disk[0] != null
                    && datadir.startsWith(disk[0])
                    && (best == null || disk[0].length() > best[0].length())) {
                best = disk;
            }
        }
        if (best == null || best[1] == null) {
            return FreeSpace.unknown(
                    datadir,
                    "information_schema.DISKS lists no volume for " + datadir
                            + " (it shows disks only to a user with the FILE privilege): check it on the server itself");
        }
        return new FreeSpace(Long.parseLong(best[1].trim()) * 1024, best[0], null); // DISKS counts 1 KiB blocks
    }

    /**
     * A question about one table whose SQL filters by {@link #TABLE} first, then by the {@code more} names:
     * its one row's answer, null without a row.
     */
    private <T> T ofTable(String sql, CatalogQuery.Row<T> row, QualifiedName table, String... more) {
        String[] parameters = new String[2 + more.length];
        parameters[0] = schemaOf(table);
        parameters[1] = table.name().text();
        System.arraycopy(more, 0, parameters, 2, more.length);
        return one(sql, row, null, parameters);
    }
}
