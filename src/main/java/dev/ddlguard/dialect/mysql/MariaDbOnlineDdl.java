package dev.ddlguard.dialect.mysql;

import static dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Algorithm.COPY;
import static dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Algorithm.INPLACE;
import static dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Algorithm.INSTANT;
import static dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Algorithm.NOCOPY;
import static dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Lock.EXCLUSIVE;
import static dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Lock.NONE;
import static dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Lock.SHARED;
import static dev.ddlguard.dialect.mysql.OnlineDdlMatrix.MARIADB_10_3_7;
import static dev.ddlguard.dialect.mysql.OnlineDdlMatrix.MARIADB_10_4;
import static dev.ddlguard.dialect.mysql.OnlineDdlMatrix.MARIADB_10_4_3;
import static dev.ddlguard.dialect.mysql.OnlineDdlMatrix.MARIADB_10_5_2;
import static dev.ddlguard.dialect.mysql.OnlineDdlMatrix.MARIADB_11_2;
import static dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Support.copy;
import static dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Support.inplace;
import static dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Support.instant;
import static dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Support.nocopy;

import dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Support;

/**
 * The MariaDB rows of the {@link OnlineDdlMatrix}: one switch arm per {@link OnlineDdlOperation}, measured
 * on 10.11 ({@code MariaDbOnlineDdlMatrixTest}) and extended to other versions from the documentation.
 * A switch over the enum rather than a data file, as for {@link MySqlOnlineDdl}.
 */
final class MariaDbOnlineDdl {

    private MariaDbOnlineDdl() {}

    /**
     * MariaDB, measured on 10.11 (see {@code MariaDbOnlineDdlMatrixTest}) and extended to other
     * versions from the MariaDB documentation: before 10.3.7 there is no INSTANT/NOCOPY keyword; 10.4
     * added instant DROP/reorder; 11.2 added ALGORITHM=COPY with LOCK=NONE.
     */
    static Support support(OnlineDdlOperation op, int version) {
        boolean v104 = version >= MARIADB_10_4;
        boolean v1043 = version >= MARIADB_10_4_3;
        Support s = switch (op) {
            // Index operations: building or dropping a secondary index touches no row of the
            // clustered index, which is what NOCOPY promises; INSTANT is refused (1846 "Try NOCOPY").
            case ADD_INDEX ->
                nocopy(NONE, "Measured: ALGORITHM=NOCOPY, LOCK=NONE; INSTANT refused (1846, \"ADD INDEX\").");
            case DROP_INDEX ->
                nocopy(NONE, "Measured: ALGORITHM=NOCOPY, LOCK=NONE; INSTANT refused (1846, \"DROP INDEX\").");
            case RENAME_INDEX ->
                version >= MARIADB_10_5_2
                        ? instant(
                                "Measured: RENAME INDEX is INSTANT on MariaDB (MySQL: in place only). Syntax from 10.5.2.")
                        : nocopy(
                                NONE,
                                "RENAME INDEX syntax arrived in 10.5.2; before it, drop and re-add the index (NOCOPY).");
            case ADD_FULLTEXT_INDEX ->
                inplace(
                        SHARED,
                        true,
                        "Measured: the first FULLTEXT index adds the hidden FTS_DOC_ID column: INPLACE rebuild with LOCK=SHARED"
                                + " (LOCK=NONE refused 1846 \"Fulltext index creation requires a lock\").");
            case ADD_SPATIAL_INDEX ->
                nocopy(
                        SHARED,
                        "Measured: ALGORITHM=NOCOPY, LOCK=SHARED; LOCK=NONE refused (1846, \"Do not support online operation"
                                + " on table with GIS index\").");

            case ADD_PRIMARY_KEY ->
                inplace(
                        NONE,
                        true,
                        "Measured: INPLACE rebuild with LOCK=NONE; NOCOPY refused (1845). Needs a strict sql_mode.");
            case DROP_PRIMARY_KEY ->
                copy(
                        SHARED,
                        "Measured: \"Dropping a primary key is not allowed without also adding a new primary key\" (1846): COPY only.");
            case DROP_PRIMARY_KEY_ADD_PRIMARY_KEY ->
                inplace(NONE, true, "Measured: INPLACE rebuild with LOCK=NONE; NOCOPY refused (1845).");

            case ADD_COLUMN_LAST ->
                instant("Measured: ALGORITHM=INSTANT, LOCK=NONE (instant ADD COLUMN since 10.3.2, MDEV-11369).");
            case ADD_COLUMN_FIRST_OR_AFTER ->
                v104
                        ? instant("Measured: INSTANT at any position since 10.4 (MDEV-15562).")
                        : inplace(
                                NONE,
                                true,
                                "Before 10.4 only the last column is added instantly; elsewhere INPLACE rebuild.");
            case ADD_COLUMN_ROW_DEFAULT ->
                copy(
                        SHARED,
                        "Measured: INSTANT, NOCOPY and INPLACE refused (1845 \"Try ALGORITHM=COPY\") for a DEFAULT of"
                                + " UUID(), NEXTVAL(), SYSDATE() or another column: COPY only.");
            case ADD_AUTO_INCREMENT_COLUMN ->
                inplace(
                        SHARED,
                        true,
                        "Measured: INPLACE rebuild with LOCK=SHARED; LOCK=NONE refused (1846, \"Adding an auto-increment column"
                                + " requires a lock\"); not online even with 11.2's online COPY.");
            case DROP_COLUMN ->
                v104
                        ? instant("Measured: INSTANT since 10.4 (MDEV-15562).")
                        : inplace(NONE, true, "Before 10.4 dropping a column rebuilds in place.");
            case RENAME_COLUMN -> instant("Measured: INSTANT when only the name changes (CHANGE or RENAME COLUMN).");
            case REORDER_COLUMN ->
                v104
                        ? instant("Measured: INSTANT since 10.4 (MDEV-15562); MySQL always rebuilds.")
                        : inplace(NONE, true, "Before 10.4 reordering rebuilds in place.");
            case CHANGE_COLUMN_TYPE -> copy(SHARED, "Measured: \"Cannot change column type\" (1846): COPY only.");
            case EXTEND_VARCHAR_SAME_LENGTH_PREFIX ->
                instant("Measured: INSTANT while the length prefix keeps its size (MySQL: INPLACE).");
            case EXTEND_VARCHAR_LONGER_LENGTH_PREFIX ->
                copy(
                        SHARED,
                        "Measured: from 128..255 bytes to 256+ the length prefix grows: \"Cannot change column type\" (1846), COPY only.");
            case EXTEND_VARCHAR_LONGER_LENGTH_PREFIX_FROM_SHORT ->
                v1043
                        ? instant(
                                "Measured: from at most 127 bytes to 256+ is INSTANT since 10.4.3 for COMPACT/DYNAMIC/COMPRESSED"
                                        + " rows (MDEV-15563); MySQL copies.")
                        : copy(SHARED, "Before 10.4.3 growing the length prefix needs a copy.");
            case SET_COLUMN_DEFAULT -> instant("Measured: INSTANT, metadata only.");
            case DROP_COLUMN_DEFAULT -> instant("Measured: INSTANT, metadata only.");
            case SET_AUTO_INCREMENT_VALUE -> instant("Measured: INSTANT (MySQL: INPLACE).");
            case MAKE_COLUMN_NULL ->
                inplace(
                        NONE,
                        true,
                        "Measured: INPLACE rebuild with LOCK=NONE; NOCOPY refused (1845). Instant only for ROW_FORMAT=REDUNDANT.");
            case MAKE_COLUMN_NOT_NULL ->
                inplace(
                        NONE,
                        true,
                        "Measured: INPLACE rebuild with LOCK=NONE; NOCOPY refused (1845). Needs a strict sql_mode and no NULLs.");
            case CHANGE_COLUMN_COLLATION ->
                instant("Measured: a collation change of a column no index covers is INSTANT"
                        + " (the stored bytes stay).");
            case CHANGE_INDEXED_COLUMN_COLLATION ->
                nocopy(
                        NONE,
                        "Measured: the indexes on the column are rebuilt:"
                                + " NOCOPY with LOCK=NONE; INSTANT refused (1846, \"ADD INDEX\").");
            case ENUM_SET_APPEND_VALUES ->
                instant("Measured: INSTANT when added at the end and the storage size stays.");
            case ENUM_SET_INSERT_VALUES_MIDDLE ->
                copy(SHARED, "Measured: \"Cannot change column type\" (1846): COPY only.");

            case ADD_STORED_GENERATED_COLUMN ->
                copy(SHARED, "Measured: INPLACE refused (1845 \"Try ALGORITHM=COPY\"): COPY only.");
            case MODIFY_STORED_COLUMN_ORDER -> copy(SHARED, "Measured: INPLACE refused (1845): COPY only.");
            case DROP_STORED_GENERATED_COLUMN ->
                v104
                        ? instant("Measured: INSTANT like any DROP COLUMN (MySQL rebuilds in place).")
                        : inplace(NONE, true, "Before 10.4 dropping a column rebuilds in place.");
            case ADD_VIRTUAL_GENERATED_COLUMN ->
                instant("Measured: INSTANT (alone; with other column changes it needs COPY).");
            case MODIFY_VIRTUAL_COLUMN_ORDER ->
                copy(
                        SHARED,
                        "Measured: \"INPLACE ADD or DROP of virtual columns cannot be combined with other ALTER TABLE actions\" (1846): COPY.");
            case DROP_VIRTUAL_GENERATED_COLUMN -> instant("Measured: INSTANT (alone).");

            case ADD_FOREIGN_KEY ->
                copy(
                        SHARED,
                        "Measured: \"Adding foreign keys needs foreign_key_checks=OFF\" (1846): COPY only while checks are on.");
            case ADD_FOREIGN_KEY_NO_CHECKS ->
                nocopy(
                        NONE,
                        "Measured: with foreign_key_checks=0 and no index on the key, ALGORITHM=NOCOPY, LOCK=NONE (it builds the"
                                + " index); INSTANT refused (1846 \"ADD INDEX\").");
            case ADD_FOREIGN_KEY_NO_CHECKS_INDEXED ->
                instant(
                        "Measured: with foreign_key_checks=0 and an index on the key already there, INSTANT (metadata only).");
            case DROP_FOREIGN_KEY -> instant("Measured: INSTANT.");

            case ADD_CHECK_CONSTRAINT ->
                copy(SHARED, "Measured: INPLACE refused (1845): every row is validated by COPY.");
            case DROP_CHECK_CONSTRAINT ->
                instant("Measured: ALTER TABLE … DROP CONSTRAINT c is INSTANT (10.3.6+, MDEV-16331);"
                        + " the MySQL spelling DROP CHECK c is a syntax error (1064) on MariaDB.");

            case CHANGE_ROW_FORMAT_OR_KEY_BLOCK_SIZE ->
                inplace(
                        NONE,
                        true,
                        "Measured: \"Changing table options requires the table to be rebuilt\": INPLACE rebuild, LOCK=NONE.");
            case SET_TABLE_OPTIONS_STATS -> instant("Measured: INSTANT (MySQL: INPLACE).");
            case SET_TABLE_DEFAULT_CHARACTER_SET ->
                instant("Measured: INSTANT: existing columns keep their character set.");
            case CONVERT_CHARACTER_SET -> copy(SHARED, "Measured: \"Cannot change column type\" (1846): COPY only.");
            case CONVERT_CHARACTER_SET_UTF8MB3_TO_UTF8MB4 ->
                v1043
                        ? instant(
                                "Measured: utf8mb3 to utf8mb4 is INSTANT (10.4.3+, also with indexed columns of the same"
                                        + " collation family).")
                        : copy(SHARED, "Before 10.4.3 converting the character set copies.");
            case OPTIMIZE_TABLE ->
                inplace(
                        NONE,
                        true,
                        "Measured: \"Table does not support optimize, doing recreate + analyze instead\": an online INPLACE"
                                + " rebuild; the statement accepts no ALGORITHM/LOCK (1064).");
            case REBUILD_FORCE ->
                inplace(NONE, true, "Measured: INPLACE rebuild with LOCK=NONE; NOCOPY refused (1845).");
            case RENAME_TABLE ->
                instant(
                        EXCLUSIVE,
                        "Measured: ALGORITHM=INSTANT, but LOCK=NONE/SHARED refused (1845 \"Try LOCK=EXCLUSIVE\"): the rename"
                                + " is instant under a brief exclusive metadata lock.");

            case PARTITION_BY ->
                copy(
                        SHARED,
                        "Measured: INPLACE refused (1845), COPY with LOCK=NONE refused (1846); the clause goes before PARTITION BY."
                                + " Beware: ALGORITHM=INSTANT/NOCOPY without LOCK=NONE is accepted and copies every row.");
            case ADD_PARTITION ->
                inplace(
                        EXCLUSIVE,
                        false,
                        "Measured: no rows copied for RANGE/LIST (HASH/KEY copy), but the statement accepts no ALGORITHM/LOCK"
                                + " (1064), so no concurrency can be asked for.");
            case DROP_PARTITION ->
                inplace(
                        EXCLUSIVE,
                        false,
                        "Measured: no rows copied (the partition's rows are deleted); no ALGORITHM/LOCK accepted (1064).");
            case TRUNCATE_PARTITION ->
                inplace(EXCLUSIVE, false, "Measured: no rows copied; no ALGORITHM/LOCK accepted (1064).");
            case REORGANIZE_OR_REPARTITION ->
                copy(
                        SHARED,
                        "Measured: the affected partitions' rows are copied (rows affected > 0); no ALGORITHM/LOCK accepted (1064).");
            case REMOVE_PARTITIONING ->
                copy(
                        SHARED,
                        "Measured: INPLACE refused (1845), COPY with LOCK=NONE refused (1846); the clause goes before"
                                + " REMOVE PARTITIONING. ALGORITHM=INSTANT without LOCK=NONE is accepted and copies every row.");
        };
        if (version < MARIADB_10_3_7 && (s.algorithm() == INSTANT || s.algorithm() == NOCOPY)) {
            // The keywords do not exist yet: the same work is spelled INPLACE (no rebuild either way).
            s = new Support(INPLACE, s.lock(), s.rebuildsTable(), s.note())
                    .withNote("Before 10.3.7 there is no ALGORITHM=INSTANT/NOCOPY: INPLACE.");
        }
        if (version >= MARIADB_11_2 && s.algorithm() == COPY && s.lock() != NONE && !op.isPartitionMaintenance()) {
            s = new Support(COPY, NONE, true, s.note())
                    .withNote(
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
    static Support onFulltextTable(OnlineDdlOperation op, int version) {
        Support s = support(op, version);
        if (op == OnlineDdlOperation.ADD_FULLTEXT_INDEX) {
            return nocopy(
                    SHARED,
                    "Measured on a table with a FULLTEXT index: a further FULLTEXT index is NOCOPY with"
                            + " LOCK=SHARED (LOCK=NONE refused 1846).");
        }
        if (op.changesColumnLayout() && s.algorithm() == INSTANT) {
            return inplace(
                    SHARED,
                    true,
                    "Measured on a table with a FULLTEXT index: not instant (hidden FTS_DOC_ID);"
                            + " INPLACE rebuild with LOCK=SHARED (LOCK=NONE refused 1846 \"Fulltext index creation requires a lock\").");
        }
        if (s.rebuildsTable() && s.algorithm() != COPY && s.lock() == NONE) {
            return new Support(
                    s.algorithm(),
                    SHARED,
                    true,
                    "Measured on a table with a FULLTEXT index: the rebuild"
                            + " re-creates the FULLTEXT index and needs LOCK=SHARED (LOCK=NONE refused 1846).");
        }
        return s;
    }
}
