package dev.ddlguard.dialect.mysql;

import static dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Algorithm.INPLACE;
import static dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Algorithm.INSTANT;
import static dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Lock.EXCLUSIVE;
import static dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Lock.NONE;
import static dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Lock.SHARED;
import static dev.ddlguard.dialect.mysql.OnlineDdlMatrix.MYSQL_8_0_12;
import static dev.ddlguard.dialect.mysql.OnlineDdlMatrix.MYSQL_8_0_16;
import static dev.ddlguard.dialect.mysql.OnlineDdlMatrix.MYSQL_8_0_28;
import static dev.ddlguard.dialect.mysql.OnlineDdlMatrix.MYSQL_8_0_29;
import static dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Support.copy;
import static dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Support.inplace;
import static dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Support.instant;

import dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Support;

/**
 * The MySQL rows of the {@link OnlineDdlMatrix}: one switch arm per {@link OnlineDdlOperation}, from the
 * manual's "Online DDL Operations" tables, with the version bands the usage notes give. A switch over the
 * enum rather than a data file: the compiler refuses an operation without a row, and a row's version
 * condition stays next to the sentence of the manual it comes from.
 */
final class MySqlOnlineDdl {

    private MySqlOnlineDdl() {}

    /**
     * MySQL, from the manual's "Online DDL Operations" tables. "In Place: No" is COPY; "Permits
     * Concurrent DML: No" is LOCK=SHARED (the manual's minimum for such operations); "Instant: Yes"
     * is INSTANT from the version the usage notes give.
     */
    static Support support(OnlineDdlOperation op, int version) {
        boolean instant = version >= MYSQL_8_0_12;
        boolean mysql8 = version >= 80000;
        return switch (op) {
            // Index Operations (5.7 Table 14.10, 8.0 Table 15.16): secondary index work is in place,
            // without rebuild, with concurrent DML; never instant.
            case ADD_INDEX -> inplace(NONE, false, "Index Operations: in place, concurrent DML.");
            case DROP_INDEX -> inplace(NONE, false, "Index Operations: in place, only modifies metadata.");
            case RENAME_INDEX ->
                inplace(NONE, false, "Index Operations: in place, only modifies metadata (not instant).");
            case ADD_FULLTEXT_INDEX ->
                inplace(
                        SHARED,
                        true,
                        "Index Operations: in place without concurrent DML; the first FULLTEXT index rebuilds the table"
                                + " unless it has a user-defined FTS_DOC_ID column.");
            case ADD_SPATIAL_INDEX ->
                inplace(
                        SHARED,
                        false,
                        "Index Operations: in place without concurrent DML (manual example: LOCK=SHARED).");

            // Primary Key Operations (5.7 Table 14.11, 8.0 Table 15.17).
            case ADD_PRIMARY_KEY ->
                inplace(
                        NONE,
                        true,
                        "Primary Key Operations: rebuilds in place with concurrent DML; INPLACE needs a strict SQL_MODE"
                                + " and no NULLs in the key columns.");
            case DROP_PRIMARY_KEY ->
                copy(SHARED, "Primary Key Operations: only ALGORITHM=COPY drops a primary key without adding another.");
            case DROP_PRIMARY_KEY_ADD_PRIMARY_KEY ->
                inplace(
                        NONE,
                        true,
                        "Primary Key Operations: in place with concurrent DML, but every row is reorganized.");

            // Column Operations (5.7 Table 14.12, 8.0 Table 15.18).
            case ADD_COLUMN_LAST ->
                instant
                        ? instant(
                                "Column Operations: INSTANT is the default for ADD COLUMN from 8.0.12 (last column before 8.0.29).")
                        : inplace(
                                NONE,
                                true,
                                "Column Operations (5.7): adding a column rebuilds in place with concurrent DML.");
            case ADD_COLUMN_FIRST_OR_AFTER ->
                version >= MYSQL_8_0_29
                        ? instant(
                                "Column Operations: from 8.0.29 the INSTANT algorithm can add a column at any position.")
                        : inplace(
                                NONE,
                                true,
                                "Column Operations: before 8.0.29 INSTANT adds only the last column;"
                                        + " FIRST/AFTER rebuilds in place.");
            case ADD_COLUMN_ROW_DEFAULT ->
                inplace(
                        NONE,
                        true,
                        "Column Operations: a column with an expression DEFAULT is not added instantly (1845, \"Try"
                                + " ALGORITHM=COPY/INPLACE\"; not in the manual's table): an in-place rebuild at best.");
            case ADD_AUTO_INCREMENT_COLUMN ->
                inplace(
                        SHARED,
                        true,
                        "Column Operations: concurrent DML is not permitted when adding an auto-increment column;"
                                + " at a minimum ALGORITHM=INPLACE, LOCK=SHARED.");
            case DROP_COLUMN ->
                version >= MYSQL_8_0_29
                        ? instant("Column Operations: INSTANT is the default for DROP COLUMN from 8.0.29.")
                        : inplace(
                                NONE,
                                true,
                                "Column Operations: dropping a column rebuilds in place (INSTANT from 8.0.29).");
            case RENAME_COLUMN ->
                version >= MYSQL_8_0_28
                        ? instant("Column Operations: ALGORITHM=INSTANT for renaming a column from 8.0.28"
                                + " (a column referenced by another table's foreign key: INPLACE only).")
                        : inplace(
                                NONE,
                                false,
                                "Column Operations: renaming in place, metadata only, same type and nullability.");
            case REORDER_COLUMN ->
                inplace(
                        NONE,
                        true,
                        "Column Operations: reordering rebuilds in place with concurrent DML (never instant).");
            case CHANGE_COLUMN_TYPE ->
                copy(SHARED, "Column Operations: changing the column data type is only supported with ALGORITHM=COPY.");
            case EXTEND_VARCHAR_SAME_LENGTH_PREFIX ->
                inplace(
                        NONE,
                        false,
                        "Column Operations: extending VARCHAR in place while the number of length bytes stays the same.");
            case EXTEND_VARCHAR_LONGER_LENGTH_PREFIX, EXTEND_VARCHAR_LONGER_LENGTH_PREFIX_FROM_SHORT ->
                copy(
                        SHARED,
                        "Column Operations: growing a VARCHAR from under 256 bytes to 256 or more changes the length"
                                + " prefix from 1 to 2 bytes, which only a table copy does.");
            case SET_COLUMN_DEFAULT ->
                instant
                        ? instant("Column Operations: setting a default only modifies metadata (INSTANT from 8.0.12).")
                        : inplace(
                                NONE,
                                false,
                                "Column Operations (5.7): setting a default only modifies metadata, in place.");
            case DROP_COLUMN_DEFAULT ->
                instant
                        ? instant("Column Operations: dropping a default is instant from 8.0.12.")
                        : inplace(NONE, false, "Column Operations (5.7): dropping a default, in place, metadata only.");
            case SET_AUTO_INCREMENT_VALUE ->
                inplace(
                        NONE,
                        false,
                        "Column Operations: changing the auto-increment value modifies a value in memory, in place (not instant).");
            case MAKE_COLUMN_NULL ->
                inplace(
                        NONE,
                        true,
                        "Column Operations: making a column NULL rebuilds the table in place with concurrent DML.");
            case MAKE_COLUMN_NOT_NULL ->
                inplace(
                        NONE,
                        true,
                        "Column Operations: making a column NOT NULL rebuilds in place; needs a strict SQL_MODE and no NULLs.");
            case CHANGE_COLUMN_COLLATION, CHANGE_INDEXED_COLUMN_COLLATION ->
                inplace(
                        NONE,
                        false,
                        "Not a row of the manual's tables and not measured here: a collation change keeps the stored bytes;"
                                + " in place is asked for, and the server refuses it if it cannot.");
            case ENUM_SET_APPEND_VALUES ->
                instant
                        ? instant(
                                "Column Operations: members added at the end, storage size unchanged: instant from 8.0.12.")
                        : inplace(
                                NONE,
                                false,
                                "Column Operations (5.7): members added at the end, in place, metadata only.");
            case ENUM_SET_INSERT_VALUES_MIDDLE ->
                copy(
                        SHARED,
                        "Column Operations: adding members in the middle renumbers existing members, which requires a table copy.");

            // Generated Column Operations (5.7 Table 14.13, 8.0 Table 15.19).
            case ADD_STORED_GENERATED_COLUMN ->
                copy(
                        SHARED,
                        "Generated Column Operations: ADD COLUMN is not in place for stored columns (the server evaluates the expression).");
            case MODIFY_STORED_COLUMN_ORDER -> copy(SHARED, "Generated Column Operations: ALGORITHM=COPY.");
            case DROP_STORED_GENERATED_COLUMN ->
                inplace(
                        NONE,
                        true,
                        "Generated Column Operations: dropping a STORED column rebuilds the table in place.");
            case ADD_VIRTUAL_GENERATED_COLUMN ->
                instant
                        ? instant(
                                "Generated Column Operations: instant for non-partitioned tables (not in place on partitioned ones).")
                        : inplace(
                                NONE,
                                false,
                                "Generated Column Operations (5.7): in place for non-partitioned tables;"
                                        + " cannot be combined with other ALTER TABLE actions.");
            case MODIFY_VIRTUAL_COLUMN_ORDER -> copy(SHARED, "Generated Column Operations: ALGORITHM=COPY.");
            case DROP_VIRTUAL_GENERATED_COLUMN ->
                instant
                        ? instant("Generated Column Operations: instant for non-partitioned tables.")
                        : inplace(
                                NONE,
                                false,
                                "Generated Column Operations (5.7): in place for non-partitioned tables;"
                                        + " cannot be combined with other ALTER TABLE actions.");

            // Foreign Key Operations (5.7 Table 14.14, 8.0 Table 15.20).
            case ADD_FOREIGN_KEY ->
                copy(
                        SHARED,
                        "Foreign Key Operations: INPLACE is supported when foreign_key_checks is disabled; otherwise only COPY.");
            case ADD_FOREIGN_KEY_NO_CHECKS, ADD_FOREIGN_KEY_NO_CHECKS_INDEXED ->
                inplace(NONE, false, "Foreign Key Operations: with foreign_key_checks=0, in place, metadata only.");
            case DROP_FOREIGN_KEY ->
                inplace(
                        NONE,
                        false,
                        "Foreign Key Operations: dropping a foreign key is online with foreign_key_checks on or off.");

            // CHECK constraints: no row in the online DDL tables.
            case ADD_CHECK_CONSTRAINT ->
                version >= MYSQL_8_0_16
                        ? copy(
                                SHARED,
                                "Not in the online DDL tables: an enforced CHECK (8.0.16+) validates every existing row,"
                                        + " which the server does while copying the table.")
                        : inplace(
                                NONE,
                                false,
                                "Before 8.0.16 CHECK clauses are parsed and ignored: nothing happens to the table.");
            case DROP_CHECK_CONSTRAINT ->
                version >= MYSQL_8_0_16
                        ? instant("Not in the online DDL tables: InnoDB ignores CHECK constraints (handler0alter.cc"
                                + " INNOBASE_INPLACE_IGNORE), so dropping one only changes the data dictionary.")
                        : inplace(NONE, false, "Before 8.0.16 there are no CHECK constraints to drop.");

            // Table Operations (5.7 Table 14.15, 8.0 Table 15.21).
            case CHANGE_ROW_FORMAT_OR_KEY_BLOCK_SIZE ->
                inplace(
                        NONE,
                        true,
                        "Table Operations: changing ROW_FORMAT or KEY_BLOCK_SIZE rebuilds in place with concurrent DML.");
            case SET_TABLE_OPTIONS_STATS ->
                inplace(
                        NONE,
                        false,
                        "Table Operations: persistent statistics options only modify metadata, in place (not instant).");
            case SET_TABLE_DEFAULT_CHARACTER_SET ->
                inplace(
                        NONE,
                        true,
                        "Table Operations: specifying a character set rebuilds the table if the new encoding is different.");
            case CONVERT_CHARACTER_SET, CONVERT_CHARACTER_SET_UTF8MB3_TO_UTF8MB4 ->
                mysql8
                        ? inplace(
                                SHARED,
                                true,
                                "Table Operations (8.0): converting a character set is in place but does not"
                                        + " permit concurrent DML (the usage example's LOCK=NONE contradicts the table; the table is followed).")
                        : copy(
                                SHARED,
                                "Table Operations (5.7): converting a character set is not in place (ALGORITHM=COPY).");
            case OPTIMIZE_TABLE ->
                inplace(
                        NONE,
                        true,
                        "Table Operations: OPTIMIZE TABLE rebuilds in place with concurrent DML, but ALGORITHM and LOCK"
                                + " syntax is not permitted on it.");
            case REBUILD_FORCE ->
                inplace(
                        NONE,
                        true,
                        "Table Operations: FORCE / ENGINE=InnoDB rebuild in place since 5.6.17 with concurrent DML.");
            case RENAME_TABLE ->
                instant
                        ? instant("Table Operations: renaming a table can be performed instantly (8.0.12+).")
                        : inplace(NONE, false, "Table Operations (5.7): renaming a table in place, no copy.");

            // Partitioning Operations (5.7 Table 14.17, 8.0 Table 15.23).
            case PARTITION_BY ->
                copy(
                        SHARED,
                        "Partitioning Operations: PARTITION BY permits ALGORITHM=COPY, LOCK={DEFAULT|SHARED|EXCLUSIVE}.");
            case ADD_PARTITION ->
                mysql8
                        ? inplace(
                                NONE,
                                false,
                                "Partitioning Operations: ALGORITHM=INPLACE, LOCK=NONE for RANGE and LIST"
                                        + " (no data copied); HASH and KEY need LOCK=SHARED and copy rows.")
                        : inplace(
                                EXCLUSIVE,
                                false,
                                "Partitioning Operations (5.7): only ALGORITHM=DEFAULT, LOCK=DEFAULT;"
                                        + " RANGE and LIST copy no data.");
            case DROP_PARTITION ->
                mysql8
                        ? inplace(
                                NONE,
                                false,
                                "Partitioning Operations: ALGORITHM=INPLACE, LOCK=NONE is supported;"
                                        + " the partition's rows are deleted.")
                        : inplace(
                                EXCLUSIVE,
                                false,
                                "Partitioning Operations (5.7): only ALGORITHM=DEFAULT, LOCK=DEFAULT.");
            case TRUNCATE_PARTITION ->
                inplace(NONE, false, "Partitioning Operations: in place, permits DML; it merely deletes rows.");
            case REORGANIZE_OR_REPARTITION ->
                mysql8
                        ? inplace(
                                SHARED,
                                true,
                                "Partitioning Operations: REORGANIZE / COALESCE / REBUILD PARTITION support"
                                        + " ALGORITHM=INPLACE, LOCK={DEFAULT|SHARED|EXCLUSIVE}; rows of the affected partitions are copied.")
                        : copy(
                                SHARED,
                                "Partitioning Operations (5.7): only ALGORITHM=DEFAULT, LOCK=DEFAULT; data copied"
                                        + " under a shared lock.");
            case REMOVE_PARTITIONING ->
                copy(
                        SHARED,
                        "Partitioning Operations: REMOVE PARTITIONING permits ALGORITHM=COPY, LOCK={DEFAULT|SHARED|EXCLUSIVE}.");
        };
    }

    /**
     * MySQL on a table with a FULLTEXT index, from the manual's notes: instant ADD/DROP COLUMN is
     * not possible, ALGORITHM=INPLACE is not supported for FORCE, null rebuilds and OPTIMIZE
     * (so rebuilds copy), and further FULLTEXT indexes are added without rebuilding.
     */
    static Support onFulltextTable(OnlineDdlOperation op, int version) {
        Support s = support(op, version);
        if (op == OnlineDdlOperation.ADD_FULLTEXT_INDEX) {
            return inplace(
                    SHARED,
                    false,
                    "Index Operations: additional FULLTEXT indexes may be added without rebuilding the table.");
        }
        if ((op.changesColumnLayout() && s.algorithm() == INSTANT) || (s.rebuildsTable() && s.algorithm() == INPLACE)) {
            return copy(
                    SHARED,
                    "Column/Table Operations: columns cannot be added or dropped instantly on tables with a"
                            + " FULLTEXT index, and ALGORITHM=INPLACE is not supported for rebuilding them.");
        }
        return s;
    }
}
