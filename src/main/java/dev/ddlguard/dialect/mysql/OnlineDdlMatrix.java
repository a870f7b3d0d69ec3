package dev.ddlguard.dialect.mysql;

import static dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Algorithm.COPY;
import static dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Algorithm.INPLACE;
import static dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Algorithm.INSTANT;
import static dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Algorithm.NOCOPY;
import static dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Lock.EXCLUSIVE;
import static dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Lock.NONE;
import static dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Lock.SHARED;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What InnoDB can do for each {@link OnlineDdlOperation}, per flavour and server version: the
 * strongest algorithm, the weakest lock (whether concurrent DML continues), and whether the table is
 * rebuilt. The data is the answer to "which {@code ALGORITHM=…, LOCK=…} may ddlguard append so the
 * server does the work online or refuses it, instead of quietly copying the table under a lock".
 *
 * <p>Sources. MySQL rows follow the MySQL Reference Manual, "Online DDL Operations" (5.7: 14.13.1,
 * Tables 14.10-14.17; 8.0: 15.12.1, Tables 15.16-15.23 in older editions, 17.12.1 / 17.16-17.23
 * now; 8.4: 17.12.1); each row cites its table and operation, and they are not verified against a
 * server here. MariaDB rows follow the MariaDB documentation ("InnoDB Online DDL Operations with the
 * INSTANT / NOCOPY / INPLACE Alter Algorithm", "Online Schema Change") and were measured on MariaDB
 * 10.11 by {@code MariaDbOnlineDdlMatrixTest}; where the server contradicted the documentation the
 * server won and the note says so.
 *
 * <p>Versions are integers {@code major * 10000 + minor * 100 + patch}: MySQL 8.0.35 = 80035,
 * 8.4.0 = 80400, 5.7.44 = 50744; MariaDB 10.11.0 = 101100, 11.4.0 = 110400 (see {@link #version}
 * and {@link #parseVersion}).
 *
 * <p>The clause to append for a statement is {@link #clause(Flavour, Support)}; where it goes in the
 * statement (and whether the statement takes one at all) is {@link MySqlClauses}.
 */
public final class OnlineDdlMatrix {

    private OnlineDdlMatrix() {
    }

    /** The two servers: their clause syntax and their InnoDB differ. */
    public enum Flavour {
        MYSQL, MARIADB
    }

    /**
     * {@code ALGORITHM=} values, strongest guarantee first. INSTANT changes metadata only; NOCOPY
     * (MariaDB 10.3.7+, a syntax error on MySQL) works in place without rebuilding the clustered
     * index; INPLACE may rebuild the table in place (MariaDB reads it as "INPLACE or better");
     * COPY copies every row into a new table.
     */
    public enum Algorithm {
        INSTANT, NOCOPY, INPLACE, COPY;

        /** True when this algorithm gives a stronger guarantee than {@code other}. */
        public boolean strongerThan(Algorithm other) {
            return ordinal() < other.ordinal();
        }
    }

    /**
     * {@code LOCK=} values, least blocking first: NONE lets concurrent reads and writes continue,
     * SHARED lets reads continue and blocks writes, EXCLUSIVE blocks both.
     */
    public enum Lock {
        NONE, SHARED, EXCLUSIVE
    }

    /**
     * The best the server can do for one operation (or for a whole statement, after
     * {@link #combine}).
     *
     * @param algorithm     the strongest algorithm the server accepts for it
     * @param lock          the least blocking lock the server accepts together with that algorithm
     * @param rebuildsTable whether the clustered index (every row) is rewritten, in place or by copy
     * @param note          why, with the manual or the measurement it comes from
     */
    public record Support(Algorithm algorithm, Lock lock, boolean rebuildsTable, String note) {

        public Support {
            Objects.requireNonNull(algorithm, "algorithm");
            Objects.requireNonNull(lock, "lock");
            note = note == null ? "" : note;
        }

        /** Concurrent INSERT/UPDATE/DELETE continue while the operation runs ({@code LOCK=NONE} allowed). */
        public boolean concurrentDml() {
            return lock == NONE;
        }

        /** The same support with a sentence added to the note. */
        public Support withNote(String more) {
            return new Support(algorithm, lock, rebuildsTable, note.isEmpty() ? more : note + " " + more);
        }

        @Override
        public String toString() {
            return "ALGORITHM=" + algorithm + ", LOCK=" + lock + (rebuildsTable ? ", rebuilds" : "")
                    + (note.isEmpty() ? "" : " (" + note + ")");
        }
    }

    // ---- versions ------------------------------------------------------------------------------

    /** MySQL 5.7: the first row of every MySQL band (no INSTANT at all). */
    public static final int MYSQL_5_7 = 50700;
    /** MySQL 8.0.12: ALGORITHM=INSTANT (ADD COLUMN last, defaults, ENUM/SET append, virtual columns, rename table). */
    public static final int MYSQL_8_0_12 = 80012;
    /** MySQL 8.0.16: CHECK constraints are enforced (parsed and ignored before). */
    public static final int MYSQL_8_0_16 = 80016;
    /** MySQL 8.0.28: RENAME COLUMN with ALGORITHM=INSTANT. */
    public static final int MYSQL_8_0_28 = 80028;
    /** MySQL 8.0.29: ADD COLUMN at any position and DROP COLUMN with ALGORITHM=INSTANT. */
    public static final int MYSQL_8_0_29 = 80029;
    /** MySQL 8.4 LTS: the 8.0.29+ rules; a sensible default version for {@code --target mysql}. */
    public static final int MYSQL_8_4 = 80400;
    /** MariaDB 10.3.7: the ALGORITHM=INSTANT and ALGORITHM=NOCOPY keywords (instant ADD COLUMN last from 10.3.2). */
    public static final int MARIADB_10_3_7 = 100307;
    /** MariaDB 10.4.0: instant DROP COLUMN and column reordering (MDEV-15562). */
    public static final int MARIADB_10_4 = 100400;
    /** MariaDB 10.4.3: more instant type changes: short VARCHAR to long, utf8mb3 to utf8mb4 (MDEV-15563). */
    public static final int MARIADB_10_4_3 = 100403;
    /** MariaDB 10.5.2: {@code RENAME INDEX} / {@code RENAME COLUMN} syntax. */
    public static final int MARIADB_10_5_2 = 100502;
    /** MariaDB 10.11 LTS: the version the MariaDB rows were measured on; a sensible default for {@code --target mariadb}. */
    public static final int MARIADB_10_11 = 101100;
    /** MariaDB 11.2: ALGORITHM=COPY with LOCK=NONE (online copy, MDEV-16329). */
    public static final int MARIADB_11_2 = 110200;

    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

    /** {@code major * 10000 + minor * 100 + patch}: 8.0.35 = 80035, 10.11.6 = 101106. */
    public static int version(int major, int minor, int patch) {
        if (minor < 0 || minor > 99 || patch < 0 || patch > 99) {
            throw new IllegalArgumentException("version part out of range: " + major + "." + minor + "." + patch);
        }
        return major * 10000 + minor * 100 + patch;
    }

    /**
     * The version of a {@code VERSION()} string: {@code "8.0.35"}, {@code "10.11.6-MariaDB-log"},
     * {@code "5.5.5-10.11.6-MariaDB"} (the prefix MariaDB sends over the MySQL protocol is skipped).
     */
    public static int parseVersion(String serverVersion) {
        String v = serverVersion.trim();
        if (v.startsWith("5.5.5-")) {
            v = v.substring("5.5.5-".length());
        }
        Matcher m = VERSION.matcher(v);
        if (!m.find()) {
            throw new IllegalArgumentException("not a server version: " + serverVersion);
        }
        int patch = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        return version(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), patch);
    }

    /** MariaDB when {@code VERSION()} or {@code @@version_comment} says so, else MySQL. */
    public static Flavour flavourOf(String serverVersion, String versionComment) {
        String both = (serverVersion + " " + (versionComment == null ? "" : versionComment)).toLowerCase(Locale.ROOT);
        return both.contains("mariadb") ? Flavour.MARIADB : Flavour.MYSQL;
    }

    // ---- the matrix ----------------------------------------------------------------------------

    /** {@link #support(Flavour, int, OnlineDdlOperation, boolean)} on a table without a FULLTEXT index. */
    public static Support support(Flavour flavour, int version, OnlineDdlOperation op) {
        return support(flavour, version, op, false);
    }

    /**
     * What the server can do for {@code op}. A FULLTEXT index on the table changes the answer
     * (its hidden FTS_DOC_ID column rules out instant column changes and online rebuilds), so the
     * caller says whether the table has one.
     */
    public static Support support(Flavour flavour, int version, OnlineDdlOperation op, boolean tableHasFulltextIndex) {
        Objects.requireNonNull(op, "op");
        return flavour == Flavour.MARIADB
                ? (tableHasFulltextIndex ? mariadbOnFulltextTable(op, version) : mariadb(op, version))
                : (tableHasFulltextIndex ? mysqlOnFulltextTable(op, version) : mysql(op, version));
    }

    /**
     * MySQL, from the manual's "Online DDL Operations" tables. "In Place: No" is COPY; "Permits
     * Concurrent DML: No" is LOCK=SHARED (the manual's minimum for such operations); "Instant: Yes"
     * is INSTANT from the version the usage notes give.
     */
    public static Support mysql(OnlineDdlOperation op, int version) {
        boolean instant = version >= MYSQL_8_0_12;
        boolean mysql8 = version >= 80000;
        return switch (op) {
            // Index Operations (5.7 Table 14.10, 8.0 Table 15.16): secondary index work is in place,
            // without rebuild, with concurrent DML; never instant.
            case ADD_INDEX -> inplace(NONE, false, "Index Operations: in place, concurrent DML.");
            case DROP_INDEX -> inplace(NONE, false, "Index Operations: in place, only modifies metadata.");
            case RENAME_INDEX -> inplace(NONE, false, "Index Operations: in place, only modifies metadata (not instant).");
            case ADD_FULLTEXT_INDEX -> inplace(SHARED, true,
                    "Index Operations: in place without concurrent DML; the first FULLTEXT index rebuilds the table"
                            + " unless it has a user-defined FTS_DOC_ID column.");
            case ADD_SPATIAL_INDEX -> inplace(SHARED, false,
                    "Index Operations: in place without concurrent DML (manual example: LOCK=SHARED).");

            // Primary Key Operations (5.7 Table 14.11, 8.0 Table 15.17).
            case ADD_PRIMARY_KEY -> inplace(NONE, true,
                    "Primary Key Operations: rebuilds in place with concurrent DML; INPLACE needs a strict SQL_MODE"
                            + " and no NULLs in the key columns.");
            case DROP_PRIMARY_KEY -> copy(SHARED,
                    "Primary Key Operations: only ALGORITHM=COPY drops a primary key without adding another.");
            case DROP_PRIMARY_KEY_ADD_PRIMARY_KEY -> inplace(NONE, true,
                    "Primary Key Operations: in place with concurrent DML, but every row is reorganized.");

            // Column Operations (5.7 Table 14.12, 8.0 Table 15.18).
            case ADD_COLUMN_LAST -> instant
                    ? instant("Column Operations: INSTANT is the default for ADD COLUMN from 8.0.12 (last column before 8.0.29).")
                    : inplace(NONE, true, "Column Operations (5.7): adding a column rebuilds in place with concurrent DML.");
            case ADD_COLUMN_FIRST_OR_AFTER -> version >= MYSQL_8_0_29
                    ? instant("Column Operations: from 8.0.29 the INSTANT algorithm can add a column at any position.")
                    : inplace(NONE, true, "Column Operations: before 8.0.29 INSTANT adds only the last column;"
                            + " FIRST/AFTER rebuilds in place.");
            case ADD_AUTO_INCREMENT_COLUMN -> inplace(SHARED, true,
                    "Column Operations: concurrent DML is not permitted when adding an auto-increment column;"
                            + " at a minimum ALGORITHM=INPLACE, LOCK=SHARED.");
            case DROP_COLUMN -> version >= MYSQL_8_0_29
                    ? instant("Column Operations: INSTANT is the default for DROP COLUMN from 8.0.29.")
                    : inplace(NONE, true, "Column Operations: dropping a column rebuilds in place (INSTANT from 8.0.29).");
            case RENAME_COLUMN -> version >= MYSQL_8_0_28
                    ? instant("Column Operations: ALGORITHM=INSTANT for renaming a column from 8.0.28"
                            + " (a column referenced by another table's foreign key: INPLACE only).")
                    : inplace(NONE, false, "Column Operations: renaming in place, metadata only, same type and nullability.");
            case REORDER_COLUMN -> inplace(NONE, true,
                    "Column Operations: reordering rebuilds in place with concurrent DML (never instant).");
            case CHANGE_COLUMN_TYPE -> copy(SHARED,
                    "Column Operations: changing the column data type is only supported with ALGORITHM=COPY.");
            case EXTEND_VARCHAR_SAME_LENGTH_PREFIX -> inplace(NONE, false,
                    "Column Operations: extending VARCHAR in place while the number of length bytes stays the same.");
            case EXTEND_VARCHAR_LONGER_LENGTH_PREFIX, EXTEND_VARCHAR_LONGER_LENGTH_PREFIX_FROM_SHORT -> copy(SHARED,
                    "Column Operations: growing a VARCHAR from under 256 bytes to 256 or more changes the length"
                            + " prefix from 1 to 2 bytes, which only a table copy does.");
            case SET_COLUMN_DEFAULT -> instant
                    ? instant("Column Operations: setting a default only modifies metadata (INSTANT from 8.0.12).")
                    : inplace(NONE, false, "Column Operations (5.7): setting a default only modifies metadata, in place.");
            case DROP_COLUMN_DEFAULT -> instant
                    ? instant("Column Operations: dropping a default is instant from 8.0.12.")
                    : inplace(NONE, false, "Column Operations (5.7): dropping a default, in place, metadata only.");
            case SET_AUTO_INCREMENT_VALUE -> inplace(NONE, false,
                    "Column Operations: changing the auto-increment value modifies a value in memory, in place (not instant).");
            case MAKE_COLUMN_NULL -> inplace(NONE, true,
                    "Column Operations: making a column NULL rebuilds the table in place with concurrent DML.");
            case MAKE_COLUMN_NOT_NULL -> inplace(NONE, true,
                    "Column Operations: making a column NOT NULL rebuilds in place; needs a strict SQL_MODE and no NULLs.");
            case CHANGE_COLUMN_COLLATION, CHANGE_INDEXED_COLUMN_COLLATION -> inplace(NONE, false,
                    "Not a row of the manual's tables and not measured here: a collation change keeps the stored bytes;"
                            + " in place is asked for, and the server refuses it if it cannot.");
            case ENUM_SET_APPEND_VALUES -> instant
                    ? instant("Column Operations: members added at the end, storage size unchanged: instant from 8.0.12.")
                    : inplace(NONE, false, "Column Operations (5.7): members added at the end, in place, metadata only.");
            case ENUM_SET_INSERT_VALUES_MIDDLE -> copy(SHARED,
                    "Column Operations: adding members in the middle renumbers existing members, which requires a table copy.");

            // Generated Column Operations (5.7 Table 14.13, 8.0 Table 15.19).
            case ADD_STORED_GENERATED_COLUMN -> copy(SHARED,
                    "Generated Column Operations: ADD COLUMN is not in place for stored columns (the server evaluates the expression).");
            case MODIFY_STORED_COLUMN_ORDER -> copy(SHARED, "Generated Column Operations: ALGORITHM=COPY.");
            case DROP_STORED_GENERATED_COLUMN -> inplace(NONE, true,
                    "Generated Column Operations: dropping a STORED column rebuilds the table in place.");
            case ADD_VIRTUAL_GENERATED_COLUMN -> instant
                    ? instant("Generated Column Operations: instant for non-partitioned tables (not in place on partitioned ones).")
                    : inplace(NONE, false, "Generated Column Operations (5.7): in place for non-partitioned tables;"
                            + " cannot be combined with other ALTER TABLE actions.");
            case MODIFY_VIRTUAL_COLUMN_ORDER -> copy(SHARED, "Generated Column Operations: ALGORITHM=COPY.");
            case DROP_VIRTUAL_GENERATED_COLUMN -> instant
                    ? instant("Generated Column Operations: instant for non-partitioned tables.")
                    : inplace(NONE, false, "Generated Column Operations (5.7): in place for non-partitioned tables;"
                            + " cannot be combined with other ALTER TABLE actions.");

            // Foreign Key Operations (5.7 Table 14.14, 8.0 Table 15.20).
            case ADD_FOREIGN_KEY -> copy(SHARED,
                    "Foreign Key Operations: INPLACE is supported when foreign_key_checks is disabled; otherwise only COPY.");
            case ADD_FOREIGN_KEY_NO_CHECKS, ADD_FOREIGN_KEY_NO_CHECKS_INDEXED -> inplace(NONE, false,
                    "Foreign Key Operations: with foreign_key_checks=0, in place, metadata only.");
            case DROP_FOREIGN_KEY -> inplace(NONE, false,
                    "Foreign Key Operations: dropping a foreign key is online with foreign_key_checks on or off.");

            // CHECK constraints: no row in the online DDL tables.
            case ADD_CHECK_CONSTRAINT -> version >= MYSQL_8_0_16
                    ? copy(SHARED, "Not in the online DDL tables: an enforced CHECK (8.0.16+) validates every existing row,"
                            + " which the server does while copying the table.")
                    : inplace(NONE, false, "Before 8.0.16 CHECK clauses are parsed and ignored: nothing happens to the table.");
            case DROP_CHECK_CONSTRAINT -> version >= MYSQL_8_0_16
                    ? instant("Not in the online DDL tables: InnoDB ignores CHECK constraints (handler0alter.cc"
                            + " INNOBASE_INPLACE_IGNORE), so dropping one only changes the data dictionary.")
                    : inplace(NONE, false, "Before 8.0.16 there are no CHECK constraints to drop.");

            // Table Operations (5.7 Table 14.15, 8.0 Table 15.21).
            case CHANGE_ROW_FORMAT_OR_KEY_BLOCK_SIZE -> inplace(NONE, true,
                    "Table Operations: changing ROW_FORMAT or KEY_BLOCK_SIZE rebuilds in place with concurrent DML.");
            case SET_TABLE_OPTIONS_STATS -> inplace(NONE, false,
                    "Table Operations: persistent statistics options only modify metadata, in place (not instant).");
            case SET_TABLE_DEFAULT_CHARACTER_SET -> inplace(NONE, true,
                    "Table Operations: specifying a character set rebuilds the table if the new encoding is different.");
            case CONVERT_CHARACTER_SET, CONVERT_CHARACTER_SET_UTF8MB3_TO_UTF8MB4 -> mysql8
                    ? inplace(SHARED, true, "Table Operations (8.0): converting a character set is in place but does not"
                            + " permit concurrent DML (the usage example's LOCK=NONE contradicts the table; the table is followed).")
                    : copy(SHARED, "Table Operations (5.7): converting a character set is not in place (ALGORITHM=COPY).");
            case OPTIMIZE_TABLE -> inplace(NONE, true,
                    "Table Operations: OPTIMIZE TABLE rebuilds in place with concurrent DML, but ALGORITHM and LOCK"
                            + " syntax is not permitted on it.");
            case REBUILD_FORCE -> inplace(NONE, true,
                    "Table Operations: FORCE / ENGINE=InnoDB rebuild in place since 5.6.17 with concurrent DML.");
            case RENAME_TABLE -> instant
                    ? instant("Table Operations: renaming a table can be performed instantly (8.0.12+).")
                    : inplace(NONE, false, "Table Operations (5.7): renaming a table in place, no copy.");

            // Partitioning Operations (5.7 Table 14.17, 8.0 Table 15.23).
            case PARTITION_BY -> copy(SHARED,
                    "Partitioning Operations: PARTITION BY permits ALGORITHM=COPY, LOCK={DEFAULT|SHARED|EXCLUSIVE}.");
            case ADD_PARTITION -> mysql8
                    ? inplace(NONE, false, "Partitioning Operations: ALGORITHM=INPLACE, LOCK=NONE for RANGE and LIST"
                            + " (no data copied); HASH and KEY need LOCK=SHARED and copy rows.")
                    : inplace(EXCLUSIVE, false, "Partitioning Operations (5.7): only ALGORITHM=DEFAULT, LOCK=DEFAULT;"
                            + " RANGE and LIST copy no data.");
            case DROP_PARTITION -> mysql8
                    ? inplace(NONE, false, "Partitioning Operations: ALGORITHM=INPLACE, LOCK=NONE is supported;"
                            + " the partition's rows are deleted.")
                    : inplace(EXCLUSIVE, false, "Partitioning Operations (5.7): only ALGORITHM=DEFAULT, LOCK=DEFAULT.");
            case TRUNCATE_PARTITION -> inplace(NONE, false,
                    "Partitioning Operations: in place, permits DML; it merely deletes rows.");
            case REORGANIZE_OR_REPARTITION -> mysql8
                    ? inplace(SHARED, true, "Partitioning Operations: REORGANIZE / COALESCE / REBUILD PARTITION support"
                            + " ALGORITHM=INPLACE, LOCK={DEFAULT|SHARED|EXCLUSIVE}; rows of the affected partitions are copied.")
                    : copy(SHARED, "Partitioning Operations (5.7): only ALGORITHM=DEFAULT, LOCK=DEFAULT; data copied"
                            + " under a shared lock.");
            case REMOVE_PARTITIONING -> copy(SHARED,
                    "Partitioning Operations: REMOVE PARTITIONING permits ALGORITHM=COPY, LOCK={DEFAULT|SHARED|EXCLUSIVE}.");
        };
    }

    /**
     * MariaDB, measured on 10.11 (see {@code MariaDbOnlineDdlMatrixTest}) and extended to other
     * versions from the MariaDB documentation: before 10.3.7 there is no INSTANT/NOCOPY keyword; 10.4
     * added instant DROP/reorder; 11.2 added ALGORITHM=COPY with LOCK=NONE.
     */
    public static Support mariadb(OnlineDdlOperation op, int version) {
        boolean v104 = version >= MARIADB_10_4;
        boolean v1043 = version >= MARIADB_10_4_3;
        Support s = switch (op) {
            // Index operations: building or dropping a secondary index touches no row of the
            // clustered index, which is what NOCOPY promises; INSTANT is refused (1846 "Try NOCOPY").
            case ADD_INDEX -> nocopy(NONE, "Measured: ALGORITHM=NOCOPY, LOCK=NONE; INSTANT refused (1846, \"ADD INDEX\").");
            case DROP_INDEX -> nocopy(NONE, "Measured: ALGORITHM=NOCOPY, LOCK=NONE; INSTANT refused (1846, \"DROP INDEX\").");
            case RENAME_INDEX -> version >= MARIADB_10_5_2
                    ? instant("Measured: RENAME INDEX is INSTANT on MariaDB (MySQL: in place only). Syntax from 10.5.2.")
                    : nocopy(NONE, "RENAME INDEX syntax arrived in 10.5.2; before it, drop and re-add the index (NOCOPY).");
            case ADD_FULLTEXT_INDEX -> inplace(SHARED, true,
                    "Measured: the first FULLTEXT index adds the hidden FTS_DOC_ID column: INPLACE rebuild with LOCK=SHARED"
                            + " (LOCK=NONE refused 1846 \"Fulltext index creation requires a lock\").");
            case ADD_SPATIAL_INDEX -> nocopy(SHARED,
                    "Measured: ALGORITHM=NOCOPY, LOCK=SHARED; LOCK=NONE refused (1846, \"Do not support online operation"
                            + " on table with GIS index\").");

            case ADD_PRIMARY_KEY -> inplace(NONE, true,
                    "Measured: INPLACE rebuild with LOCK=NONE; NOCOPY refused (1845). Needs a strict sql_mode.");
            case DROP_PRIMARY_KEY -> copy(SHARED,
                    "Measured: \"Dropping a primary key is not allowed without also adding a new primary key\" (1846): COPY only.");
            case DROP_PRIMARY_KEY_ADD_PRIMARY_KEY -> inplace(NONE, true,
                    "Measured: INPLACE rebuild with LOCK=NONE; NOCOPY refused (1845).");

            case ADD_COLUMN_LAST -> instant("Measured: ALGORITHM=INSTANT, LOCK=NONE (instant ADD COLUMN since 10.3.2, MDEV-11369).");
            case ADD_COLUMN_FIRST_OR_AFTER -> v104
                    ? instant("Measured: INSTANT at any position since 10.4 (MDEV-15562).")
                    : inplace(NONE, true, "Before 10.4 only the last column is added instantly; elsewhere INPLACE rebuild.");
            case ADD_AUTO_INCREMENT_COLUMN -> inplace(SHARED, true,
                    "Measured: INPLACE rebuild with LOCK=SHARED; LOCK=NONE refused (1846, \"Adding an auto-increment column"
                            + " requires a lock\"); not online even with 11.2's online COPY.");
            case DROP_COLUMN -> v104
                    ? instant("Measured: INSTANT since 10.4 (MDEV-15562).")
                    : inplace(NONE, true, "Before 10.4 dropping a column rebuilds in place.");
            case RENAME_COLUMN -> instant("Measured: INSTANT when only the name changes (CHANGE or RENAME COLUMN).");
            case REORDER_COLUMN -> v104
                    ? instant("Measured: INSTANT since 10.4 (MDEV-15562); MySQL always rebuilds.")
                    : inplace(NONE, true, "Before 10.4 reordering rebuilds in place.");
            case CHANGE_COLUMN_TYPE -> copy(SHARED, "Measured: \"Cannot change column type\" (1846): COPY only.");
            case EXTEND_VARCHAR_SAME_LENGTH_PREFIX -> instant(
                    "Measured: INSTANT while the length prefix keeps its size (MySQL: INPLACE).");
            case EXTEND_VARCHAR_LONGER_LENGTH_PREFIX -> copy(SHARED,
                    "Measured: from 128..255 bytes to 256+ the length prefix grows: \"Cannot change column type\" (1846), COPY only.");
            case EXTEND_VARCHAR_LONGER_LENGTH_PREFIX_FROM_SHORT -> v1043
                    ? instant("Measured: from at most 127 bytes to 256+ is INSTANT since 10.4.3 for COMPACT/DYNAMIC/COMPRESSED"
                            + " rows (MDEV-15563); MySQL copies.")
                    : copy(SHARED, "Before 10.4.3 growing the length prefix needs a copy.");
            case SET_COLUMN_DEFAULT -> instant("Measured: INSTANT, metadata only.");
            case DROP_COLUMN_DEFAULT -> instant("Measured: INSTANT, metadata only.");
            case SET_AUTO_INCREMENT_VALUE -> instant("Measured: INSTANT (MySQL: INPLACE).");
            case MAKE_COLUMN_NULL -> inplace(NONE, true,
                    "Measured: INPLACE rebuild with LOCK=NONE; NOCOPY refused (1845). Instant only for ROW_FORMAT=REDUNDANT.");
            case MAKE_COLUMN_NOT_NULL -> inplace(NONE, true,
                    "Measured: INPLACE rebuild with LOCK=NONE; NOCOPY refused (1845). Needs a strict sql_mode and no NULLs.");
            case CHANGE_COLUMN_COLLATION -> instant("Measured: a collation change of a column no index covers is INSTANT"
                    + " (the stored bytes stay).");
            case CHANGE_INDEXED_COLUMN_COLLATION -> nocopy(NONE, "Measured: the indexes on the column are rebuilt:"
                    + " NOCOPY with LOCK=NONE; INSTANT refused (1846, \"ADD INDEX\").");
            case ENUM_SET_APPEND_VALUES -> instant("Measured: INSTANT when added at the end and the storage size stays.");
            case ENUM_SET_INSERT_VALUES_MIDDLE -> copy(SHARED, "Measured: \"Cannot change column type\" (1846): COPY only.");

            case ADD_STORED_GENERATED_COLUMN -> copy(SHARED, "Measured: INPLACE refused (1845 \"Try ALGORITHM=COPY\"): COPY only.");
            case MODIFY_STORED_COLUMN_ORDER -> copy(SHARED, "Measured: INPLACE refused (1845): COPY only.");
            case DROP_STORED_GENERATED_COLUMN -> v104
                    ? instant("Measured: INSTANT like any DROP COLUMN (MySQL rebuilds in place).")
                    : inplace(NONE, true, "Before 10.4 dropping a column rebuilds in place.");
            case ADD_VIRTUAL_GENERATED_COLUMN -> instant("Measured: INSTANT (alone; with other column changes it needs COPY).");
            case MODIFY_VIRTUAL_COLUMN_ORDER -> copy(SHARED,
                    "Measured: \"INPLACE ADD or DROP of virtual columns cannot be combined with other ALTER TABLE actions\" (1846): COPY.");
            case DROP_VIRTUAL_GENERATED_COLUMN -> instant("Measured: INSTANT (alone).");

            case ADD_FOREIGN_KEY -> copy(SHARED,
                    "Measured: \"Adding foreign keys needs foreign_key_checks=OFF\" (1846): COPY only while checks are on.");
            case ADD_FOREIGN_KEY_NO_CHECKS -> nocopy(NONE,
                    "Measured: with foreign_key_checks=0 and no index on the key, ALGORITHM=NOCOPY, LOCK=NONE (it builds the"
                            + " index); INSTANT refused (1846 \"ADD INDEX\").");
            case ADD_FOREIGN_KEY_NO_CHECKS_INDEXED -> instant(
                    "Measured: with foreign_key_checks=0 and an index on the key already there, INSTANT (metadata only).");
            case DROP_FOREIGN_KEY -> instant("Measured: INSTANT.");

            case ADD_CHECK_CONSTRAINT -> copy(SHARED, "Measured: INPLACE refused (1845): every row is validated by COPY.");
            case DROP_CHECK_CONSTRAINT -> instant("Measured: ALTER TABLE … DROP CONSTRAINT c is INSTANT (10.3.6+, MDEV-16331);"
                    + " the MySQL spelling DROP CHECK c is a syntax error (1064) on MariaDB.");

            case CHANGE_ROW_FORMAT_OR_KEY_BLOCK_SIZE -> inplace(NONE, true,
                    "Measured: \"Changing table options requires the table to be rebuilt\": INPLACE rebuild, LOCK=NONE.");
            case SET_TABLE_OPTIONS_STATS -> instant("Measured: INSTANT (MySQL: INPLACE).");
            case SET_TABLE_DEFAULT_CHARACTER_SET -> instant("Measured: INSTANT: existing columns keep their character set.");
            case CONVERT_CHARACTER_SET -> copy(SHARED, "Measured: \"Cannot change column type\" (1846): COPY only.");
            case CONVERT_CHARACTER_SET_UTF8MB3_TO_UTF8MB4 -> v1043
                    ? instant("Measured: utf8mb3 to utf8mb4 is INSTANT (10.4.3+, also with indexed columns of the same"
                            + " collation family).")
                    : copy(SHARED, "Before 10.4.3 converting the character set copies.");
            case OPTIMIZE_TABLE -> inplace(NONE, true,
                    "Measured: \"Table does not support optimize, doing recreate + analyze instead\": an online INPLACE"
                            + " rebuild; the statement accepts no ALGORITHM/LOCK (1064).");
            case REBUILD_FORCE -> inplace(NONE, true, "Measured: INPLACE rebuild with LOCK=NONE; NOCOPY refused (1845).");
            case RENAME_TABLE -> instant(EXCLUSIVE,
                    "Measured: ALGORITHM=INSTANT, but LOCK=NONE/SHARED refused (1845 \"Try LOCK=EXCLUSIVE\"): the rename"
                            + " is instant under a brief exclusive metadata lock.");

            case PARTITION_BY -> copy(SHARED,
                    "Measured: INPLACE refused (1845), COPY with LOCK=NONE refused (1846); the clause goes before PARTITION BY."
                            + " Beware: ALGORITHM=INSTANT/NOCOPY without LOCK=NONE is accepted and copies every row.");
            case ADD_PARTITION -> inplace(EXCLUSIVE, false,
                    "Measured: no rows copied for RANGE/LIST (HASH/KEY copy), but the statement accepts no ALGORITHM/LOCK"
                            + " (1064), so no concurrency can be asked for.");
            case DROP_PARTITION -> inplace(EXCLUSIVE, false,
                    "Measured: no rows copied (the partition's rows are deleted); no ALGORITHM/LOCK accepted (1064).");
            case TRUNCATE_PARTITION -> inplace(EXCLUSIVE, false,
                    "Measured: no rows copied; no ALGORITHM/LOCK accepted (1064).");
            case REORGANIZE_OR_REPARTITION -> copy(SHARED,
                    "Measured: the affected partitions' rows are copied (rows affected > 0); no ALGORITHM/LOCK accepted (1064).");
            case REMOVE_PARTITIONING -> copy(SHARED,
                    "Measured: INPLACE refused (1845), COPY with LOCK=NONE refused (1846); the clause goes before"
                            + " REMOVE PARTITIONING. ALGORITHM=INSTANT without LOCK=NONE is accepted and copies every row.");
        };
        if (version < MARIADB_10_3_7 && (s.algorithm() == INSTANT || s.algorithm() == NOCOPY)) {
            // The keywords do not exist yet: the same work is spelled INPLACE (no rebuild either way).
            s = new Support(INPLACE, s.lock(), s.rebuildsTable(), s.note())
                    .withNote("Before 10.3.7 there is no ALGORITHM=INSTANT/NOCOPY: INPLACE.");
        }
        if (version >= MARIADB_11_2 && s.algorithm() == COPY && s.lock() != NONE && !op.isPartitionMaintenance()) {
            s = new Support(COPY, NONE, true, s.note()).withNote(
                    "From 11.2 ALGORITHM=COPY accepts LOCK=NONE (online copy with a change buffer, MDEV-16329),"
                            + " except for tables with ON DELETE/UPDATE CASCADE or SET NULL foreign keys (documented,"
                            + " not measured here).");
        }
        return s;
    }

    /**
     * MariaDB on a table that already has a FULLTEXT index (measured): the hidden FTS_DOC_ID column
     * makes instant column changes impossible and every rebuild needs LOCK=SHARED; a further
     * FULLTEXT index is added without rebuild but still under LOCK=SHARED.
     */
    private static Support mariadbOnFulltextTable(OnlineDdlOperation op, int version) {
        Support s = mariadb(op, version);
        if (op == OnlineDdlOperation.ADD_FULLTEXT_INDEX) {
            return nocopy(SHARED, "Measured on a table with a FULLTEXT index: a further FULLTEXT index is NOCOPY with"
                    + " LOCK=SHARED (LOCK=NONE refused 1846).");
        }
        if (op.changesColumnLayout() && s.algorithm() == INSTANT) {
            return inplace(SHARED, true, "Measured on a table with a FULLTEXT index: not instant (hidden FTS_DOC_ID);"
                    + " INPLACE rebuild with LOCK=SHARED (LOCK=NONE refused 1846 \"Fulltext index creation requires a lock\").");
        }
        if (s.rebuildsTable() && s.algorithm() != COPY && s.lock() == NONE) {
            return new Support(s.algorithm(), SHARED, true, "Measured on a table with a FULLTEXT index: the rebuild"
                    + " re-creates the FULLTEXT index and needs LOCK=SHARED (LOCK=NONE refused 1846).");
        }
        return s;
    }

    /**
     * MySQL on a table with a FULLTEXT index, from the manual's notes: instant ADD/DROP COLUMN is
     * not possible, ALGORITHM=INPLACE is not supported for FORCE, null rebuilds and OPTIMIZE
     * (so rebuilds copy), and further FULLTEXT indexes are added without rebuilding.
     */
    private static Support mysqlOnFulltextTable(OnlineDdlOperation op, int version) {
        Support s = mysql(op, version);
        if (op == OnlineDdlOperation.ADD_FULLTEXT_INDEX) {
            return inplace(SHARED, false, "Index Operations: additional FULLTEXT indexes may be added without rebuilding the table.");
        }
        if ((op.changesColumnLayout() && s.algorithm() == INSTANT) || (s.rebuildsTable() && s.algorithm() == INPLACE)) {
            return copy(SHARED, "Column/Table Operations: columns cannot be added or dropped instantly on tables with a"
                    + " FULLTEXT index, and ALGORITHM=INPLACE is not supported for rebuilding them.");
        }
        return s;
    }

    // ---- several operations in one statement ---------------------------------------------------

    /**
     * The weakest of several supports: the weakest algorithm, the most blocking lock, a rebuild if
     * any rebuilds. This is the plain rule; {@link #combine(Flavour, int, List, boolean)} adds what
     * the servers do beyond it when particular operations meet.
     */
    public static Support combine(List<Support> supports) {
        if (supports.isEmpty()) {
            throw new IllegalArgumentException("no operations");
        }
        if (supports.size() == 1) {
            return supports.get(0);
        }
        Algorithm algorithm = INSTANT;
        Lock lock = NONE;
        boolean rebuild = false;
        Set<String> notes = new LinkedHashSet<>();
        for (Support s : supports) {
            if (algorithm.strongerThan(s.algorithm())) {
                algorithm = s.algorithm();
            }
            if (s.lock().ordinal() > lock.ordinal()) {
                lock = s.lock();
            }
            rebuild |= s.rebuildsTable();
        }
        for (Support s : supports) {
            if (s.algorithm() == algorithm || s.lock() == lock && lock != NONE) {
                notes.add(s.note());
            }
        }
        return new Support(algorithm, lock, rebuild,
                "Several operations: the weakest decides. " + String.join(" ", notes));
    }

    /** {@link #combine(Flavour, int, List, boolean)} on a table without a FULLTEXT index. */
    public static Support combine(Flavour flavour, int version, List<OnlineDdlOperation> ops) {
        return combine(flavour, version, ops, false);
    }

    /**
     * What one ALTER statement carrying all of {@code ops} can do. The weakest operation decides,
     * and some combinations are weaker still:
     * <ul>
     * <li>MariaDB (measured): an instant column-layout change (ADD/DROP/reorder column) together
     * with building an index is neither INSTANT nor NOCOPY (1845 "Try ALGORITHM=INPLACE"): the
     * table is rebuilt.</li>
     * <li>Adding or dropping a VIRTUAL column together with another column change is COPY only
     * (MariaDB measured: 1846 "cannot be combined with other ALTER TABLE actions"; MySQL 5.7 manual:
     * "cannot be combined with other ALTER TABLE actions"; MySQL 8.0 manual: with a column rename,
     * "only ALGORITHM=COPY is supported").</li>
     * <li>MySQL: "A statement cannot combine the addition of a column with other ALTER TABLE
     * actions that do not support the INSTANT algorithm": the instant operations then run in place,
     * and ADD/DROP COLUMN in place rebuild the table.</li>
     * </ul>
     * The note says which operations to split into their own statement to keep them instant.
     */
    public static Support combine(Flavour flavour, int version, List<OnlineDdlOperation> ops, boolean tableHasFulltextIndex) {
        if (ops.isEmpty()) {
            throw new IllegalArgumentException("no operations");
        }
        List<Support> each = new ArrayList<>();
        for (OnlineDdlOperation op : ops) {
            each.add(support(flavour, version, op, tableHasFulltextIndex));
        }
        if (ops.size() == 1) {
            return each.get(0);
        }
        Support result = combine(each);
        List<String> instantOnes = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            if (each.get(i).algorithm() == INSTANT) {
                instantOnes.add(ops.get(i).name());
            }
        }

        boolean virtual = ops.stream().anyMatch(OnlineDdlOperation::addsOrDropsVirtualColumn);
        if (virtual) {
            boolean conflicts = false;
            for (OnlineDdlOperation other : ops) {
                if (other.addsOrDropsVirtualColumn()) {
                    continue;
                }
                conflicts |= switch (flavour) {
                    case MARIADB -> other.isColumnOperation();
                    case MYSQL -> version < MYSQL_8_0_12 || other == OnlineDdlOperation.RENAME_COLUMN;
                };
            }
            if (conflicts) {
                result = weaker(result, new Support(COPY, flavour == Flavour.MARIADB && version >= MARIADB_11_2 ? NONE : SHARED,
                        true, ""))
                        .withNote("Adding or dropping a VIRTUAL column cannot be combined with other column changes in"
                                + " place: COPY. Split it into its own statement.");
            }
        }

        if (flavour == Flavour.MARIADB) {
            boolean instantLayout = false;
            for (int i = 0; i < ops.size(); i++) {
                instantLayout |= ops.get(i).changesColumnLayout() && each.get(i).algorithm() == INSTANT;
            }
            boolean buildsIndex = ops.stream().anyMatch(OnlineDdlOperation::buildsIndex);
            if (instantLayout && buildsIndex) {
                result = weaker(result, new Support(INPLACE, NONE, true, ""))
                        .withNote("Measured: an instant column change together with an index build is neither INSTANT"
                                + " nor NOCOPY (1845): the table is rebuilt. Add the column and the index in separate"
                                + " statements to keep both cheap.");
            }
        } else if (result.algorithm() != INSTANT) {
            boolean fellBack = false;
            for (int i = 0; i < ops.size(); i++) {
                if (each.get(i).algorithm() == INSTANT) {
                    // The operation's in-place form is its row from before INSTANT existed.
                    Support inPlace = mysql(ops.get(i), MYSQL_5_7);
                    if (inPlace.rebuildsTable() && !result.rebuildsTable()) {
                        fellBack = true;
                    }
                    result = weaker(result, inPlace);
                }
            }
            if (fellBack) {
                result = result.withNote("An instant ADD/DROP COLUMN combined with a non-instant operation runs in place"
                        + " and rebuilds the table. Split " + String.join(", ", instantOnes) + " into its own statement to keep it INSTANT.");
            }
        }
        if (result.algorithm() != INSTANT && !instantOnes.isEmpty() && !result.note().contains("Split")) {
            result = result.withNote("Split " + String.join(", ", instantOnes) + " into its own statement to keep it INSTANT.");
        }
        return result;
    }

    private static Support weaker(Support a, Support b) {
        Algorithm algorithm = a.algorithm().strongerThan(b.algorithm()) ? b.algorithm() : a.algorithm();
        Lock lock = a.lock().ordinal() >= b.lock().ordinal() ? a.lock() : b.lock();
        return new Support(algorithm, lock, a.rebuildsTable() || b.rebuildsTable(), a.note());
    }

    // ---- the clause ----------------------------------------------------------------------------

    /**
     * The clause to append so the server does the work online or refuses it; {@code null} when
     * there is no online path (COPY, or no concurrent DML) and the rule should block instead. The
     * text is {@code "ALGORITHM=X, LOCK=Y"} (or {@code "ALGORITHM=INSTANT"}); how a statement spells
     * and places it is {@link MySqlClauses#render}.
     * <ul>
     * <li>MariaDB metadata only: {@code ALGORITHM=INSTANT, LOCK=NONE}; in place without rebuild:
     * {@code ALGORITHM=NOCOPY, LOCK=NONE} (INPLACE there means "INPLACE or better" and would still
     * allow a rebuild); online rebuild: {@code ALGORITHM=INPLACE, LOCK=NONE}; 11.2+ online copy:
     * {@code ALGORITHM=COPY, LOCK=NONE}. Always paired with LOCK=NONE: without it MariaDB accepts
     * INSTANT/NOCOPY on re-partitioning and copies every row anyway. The one exception is a
     * table rename, instant but refusing LOCK=NONE (1845): {@code ALGORITHM=INSTANT} alone.</li>
     * <li>MySQL instant: {@code ALGORITHM=INSTANT} without any LOCK clause (a LOCK clause with
     * INSTANT fails with ERROR 1221); in place with concurrent DML: {@code ALGORITHM=INPLACE,
     * LOCK=NONE} (NOCOPY is a syntax error there). Never INPLACE for an operation MySQL does
     * instantly: that turns it into a rebuild.</li>
     * </ul>
     */
    public static String clause(Flavour flavour, Support support) {
        Algorithm a = support.algorithm();
        if (flavour == Flavour.MYSQL) {
            if (a == NOCOPY) {
                throw new IllegalArgumentException("NOCOPY does not exist on MySQL: " + support);
            }
            if (a == INSTANT) {
                return "ALGORITHM=INSTANT";
            }
            return a == INPLACE && support.concurrentDml() ? "ALGORITHM=INPLACE, LOCK=NONE" : null;
        }
        if (a == INSTANT) {
            return support.concurrentDml() ? "ALGORITHM=INSTANT, LOCK=NONE" : "ALGORITHM=INSTANT";
        }
        return support.concurrentDml() ? "ALGORITHM=" + a + ", LOCK=NONE" : null;
    }

    /**
     * The next weaker clause that still keeps the table online, after the server refused
     * {@code clause}; null when there is none. MariaDB: {@code ALGORITHM=INSTANT, LOCK=NONE}, then
     * {@code NOCOPY}, then {@code INPLACE}, each with {@code LOCK=NONE}; MySQL: {@code ALGORITHM=INSTANT},
     * then {@code ALGORITHM=INPLACE, LOCK=NONE}. Never COPY (MariaDB 11.2's online copy included: it
     * copies every row) and never a lock that blocks writes; {@code ALGORITHM=INSTANT} alone (a
     * table rename on MariaDB) has no weaker online form.
     */
    public static String weakerOnlineClause(Flavour flavour, String clause) {
        String c = clause.trim().replaceAll("\\s*,\\s*", ", ").replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
        if (flavour == Flavour.MYSQL) {
            return c.equals("ALGORITHM=INSTANT") ? "ALGORITHM=INPLACE, LOCK=NONE" : null;
        }
        return switch (c) {
            case "ALGORITHM=INSTANT, LOCK=NONE" -> "ALGORITHM=NOCOPY, LOCK=NONE";
            case "ALGORITHM=NOCOPY, LOCK=NONE" -> "ALGORITHM=INPLACE, LOCK=NONE";
            default -> null;
        };
    }

    /** The clause for one statement carrying {@code ops} (see {@link #combine} and {@link #clause(Flavour, Support)}). */
    public static String clause(Flavour flavour, int version, List<OnlineDdlOperation> ops) {
        return clause(flavour, combine(flavour, version, ops));
    }

    // ---- row factories -------------------------------------------------------------------------

    private static Support instant(String note) {
        return new Support(INSTANT, NONE, false, note);
    }

    private static Support instant(Lock lock, String note) {
        return new Support(INSTANT, lock, false, note);
    }

    private static Support nocopy(Lock lock, String note) {
        return new Support(NOCOPY, lock, false, note);
    }

    private static Support inplace(Lock lock, boolean rebuild, String note) {
        return new Support(INPLACE, lock, rebuild, note);
    }

    private static Support copy(Lock lock, String note) {
        return new Support(COPY, lock, true, note);
    }
}
