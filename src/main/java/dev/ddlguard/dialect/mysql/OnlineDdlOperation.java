package dev.ddlguard.dialect.mysql;

/**
 * The classes of {@code ALTER TABLE} work that InnoDB treats differently when it decides between
 * INSTANT, NOCOPY (MariaDB), INPLACE and COPY, and whether concurrent DML may continue.
 *
 * <p>The names follow the MySQL 8.0 Reference Manual, "15.12.1 Online DDL Operations" (17.12.1 in
 * the current editions of the 8.0 and 8.4 manuals), whose tables are "Index Operations", "Primary
 * Key Operations", "Column Operations", "Generated Column Operations", "Foreign Key Operations",
 * "Table Operations", "Tablespace Operations" and "Partitioning Operations". Each constant carries
 * the manual's table and operation name, so that a message or a test can cite it. A few constants
 * split one manual row where the outcome depends on something the row's footnote or the MariaDB
 * documentation distinguishes (column position, VARCHAR length bytes, ENUM member position,
 * {@code foreign_key_checks}); a few are absent from the MySQL tables (CHECK constraints) and say so.
 *
 * <p>What each operation costs per flavour and version is in {@link OnlineDdlMatrix}.
 */
public enum OnlineDdlOperation {

    // ---- Index Operations ----------------------------------------------------------------------

    /** Index Operations: "Creating or adding a secondary index" (also UNIQUE, also {@code CREATE INDEX}). */
    ADD_INDEX(ManualTable.INDEX, "Creating or adding a secondary index"),
    /** Index Operations: "Dropping an index". */
    DROP_INDEX(ManualTable.INDEX, "Dropping an index"),
    /** Index Operations: "Renaming an index" ({@code RENAME INDEX a TO b}). */
    RENAME_INDEX(ManualTable.INDEX, "Renaming an index"),
    /** Index Operations: "Adding a FULLTEXT index" (the first one, which adds the hidden FTS_DOC_ID column). */
    ADD_FULLTEXT_INDEX(ManualTable.INDEX, "Adding a FULLTEXT index"),
    /** Index Operations: "Adding a SPATIAL index". */
    ADD_SPATIAL_INDEX(ManualTable.INDEX, "Adding a SPATIAL index"),

    // ---- Primary Key Operations ----------------------------------------------------------------

    /** Primary Key Operations: "Adding a primary key" (to a table without one). */
    ADD_PRIMARY_KEY(ManualTable.PRIMARY_KEY, "Adding a primary key"),
    /** Primary Key Operations: "Dropping a primary key" (alone, without adding another: COPY only). */
    DROP_PRIMARY_KEY(ManualTable.PRIMARY_KEY, "Dropping a primary key"),
    /** Primary Key Operations: "Dropping a primary key and adding another" (in the same statement). */
    DROP_PRIMARY_KEY_ADD_PRIMARY_KEY(ManualTable.PRIMARY_KEY, "Dropping a primary key and adding another"),

    // ---- Column Operations ---------------------------------------------------------------------

    /** Column Operations: "Adding a column", as the last column (INSTANT on MySQL from 8.0.12). */
    ADD_COLUMN_LAST(ManualTable.COLUMN, "Adding a column"),
    /** Column Operations: "Adding a column" with FIRST or AFTER (INSTANT on MySQL only from 8.0.29). */
    ADD_COLUMN_FIRST_OR_AFTER(ManualTable.COLUMN, "Adding a column"),
    /** Column Operations: "Adding a column" that is AUTO_INCREMENT ("Concurrent DML is not permitted"). */
    ADD_AUTO_INCREMENT_COLUMN(ManualTable.COLUMN, "Adding a column"),
    /**
     * Column Operations: "Adding a column" whose DEFAULT is an expression the server evaluates per row (MariaDB:
     * UUID(), a sequence's NEXTVAL, SYSDATE(), another column; MySQL: any parenthesised expression). Not in the
     * manual's table: measured on MariaDB 10.11 (COPY only), and MySQL refuses INSTANT for it (1845).
     */
    ADD_COLUMN_ROW_DEFAULT(ManualTable.COLUMN, "Adding a column"),
    /** Column Operations: "Dropping a column" (INSTANT on MySQL from 8.0.29). */
    DROP_COLUMN(ManualTable.COLUMN, "Dropping a column"),
    /** Column Operations: "Renaming a column", same type and nullability (INSTANT on MySQL from 8.0.28). */
    RENAME_COLUMN(ManualTable.COLUMN, "Renaming a column"),
    /** Column Operations: "Reordering columns" ({@code MODIFY … FIRST | AFTER} of an existing column). */
    REORDER_COLUMN(ManualTable.COLUMN, "Reordering columns"),
    /** Column Operations: "Changing the column data type" (for example INT to BIGINT). */
    CHANGE_COLUMN_TYPE(ManualTable.COLUMN, "Changing the column data type"),
    /**
     * Column Operations: "Extending VARCHAR column size" where the length prefix stays the same
     * size: the maximum byte length stays within 0..255 or starts at 256 or more (in utf8mb4,
     * four bytes a character: VARCHAR(10) to VARCHAR(60) is 40 to 240 bytes).
     */
    EXTEND_VARCHAR_SAME_LENGTH_PREFIX(ManualTable.COLUMN, "Extending VARCHAR column size"),
    /**
     * Column Operations: "Extending VARCHAR column size" across 255 bytes, from 128..255 bytes to
     * 256 or more (utf8mb4 VARCHAR(40) to VARCHAR(100): 160 to 400 bytes): the length prefix grows
     * from one byte to two, which the manual allows only by table copy.
     */
    EXTEND_VARCHAR_LONGER_LENGTH_PREFIX(ManualTable.COLUMN, "Extending VARCHAR column size"),
    /**
     * Column Operations: "Extending VARCHAR column size" across 255 bytes from at most 127 bytes
     * (utf8mb4 VARCHAR(10) to VARCHAR(100): 40 to 400 bytes). A copy on MySQL like
     * {@link #EXTEND_VARCHAR_LONGER_LENGTH_PREFIX}; MariaDB from 10.4.3 does it instantly for
     * COMPACT/DYNAMIC/COMPRESSED rows, because such short columns are stored as if long.
     */
    EXTEND_VARCHAR_LONGER_LENGTH_PREFIX_FROM_SHORT(ManualTable.COLUMN, "Extending VARCHAR column size"),
    /** Column Operations: "Setting a column default value". */
    SET_COLUMN_DEFAULT(ManualTable.COLUMN, "Setting a column default value"),
    /** Column Operations: "Dropping the column default value". */
    DROP_COLUMN_DEFAULT(ManualTable.COLUMN, "Dropping the column default value"),
    /** Column Operations: "Changing the auto-increment value" ({@code ALTER TABLE t AUTO_INCREMENT=n}). */
    SET_AUTO_INCREMENT_VALUE(ManualTable.COLUMN, "Changing the auto-increment value"),
    /** Column Operations: "Making a column NULL". */
    MAKE_COLUMN_NULL(ManualTable.COLUMN, "Making a column NULL"),
    /** Column Operations: "Making a column NOT NULL". */
    MAKE_COLUMN_NOT_NULL(ManualTable.COLUMN, "Making a column NOT NULL"),
    /**
     * A collation change of a column no index covers ({@code MODIFY v VARCHAR(20) COLLATE
     * utf8mb4_bin}, or a MODIFY that takes the table's default collation): not a row of the
     * manual's tables (whose "Changing the column data type" is about the type); the stored bytes
     * stay, only comparisons change.
     */
    CHANGE_COLUMN_COLLATION(ManualTable.COLUMN, "Changing the column data type"),
    /** {@link #CHANGE_COLUMN_COLLATION} of a column an index covers: the index is rebuilt, sorted by the new collation. */
    CHANGE_INDEXED_COLUMN_COLLATION(ManualTable.COLUMN, "Changing the column data type"),
    /** Column Operations: "Modifying the definition of an ENUM or SET column", members added at the end. */
    ENUM_SET_APPEND_VALUES(ManualTable.COLUMN, "Modifying the definition of an ENUM or SET column"),
    /** Column Operations: "Modifying the definition of an ENUM or SET column", members inserted mid-list (renumbers: copy). */
    ENUM_SET_INSERT_VALUES_MIDDLE(ManualTable.COLUMN, "Modifying the definition of an ENUM or SET column"),

    // ---- Generated Column Operations -----------------------------------------------------------

    /** Generated Column Operations: "Adding a STORED column" (MariaDB: PERSISTENT). */
    ADD_STORED_GENERATED_COLUMN(ManualTable.GENERATED_COLUMN, "Adding a STORED column"),
    /** Generated Column Operations: "Modifying STORED column order". */
    MODIFY_STORED_COLUMN_ORDER(ManualTable.GENERATED_COLUMN, "Modifying STORED column order"),
    /** Generated Column Operations: "Dropping a STORED column". */
    DROP_STORED_GENERATED_COLUMN(ManualTable.GENERATED_COLUMN, "Dropping a STORED column"),
    /** Generated Column Operations: "Adding a VIRTUAL column". */
    ADD_VIRTUAL_GENERATED_COLUMN(ManualTable.GENERATED_COLUMN, "Adding a VIRTUAL column"),
    /** Generated Column Operations: "Modifying VIRTUAL column order". */
    MODIFY_VIRTUAL_COLUMN_ORDER(ManualTable.GENERATED_COLUMN, "Modifying VIRTUAL column order"),
    /** Generated Column Operations: "Dropping a VIRTUAL column". */
    DROP_VIRTUAL_GENERATED_COLUMN(ManualTable.GENERATED_COLUMN, "Dropping a VIRTUAL column"),

    // ---- Foreign Key Operations ----------------------------------------------------------------

    /** Foreign Key Operations: "Adding a foreign key constraint" with {@code foreign_key_checks=1} (COPY only). */
    ADD_FOREIGN_KEY(ManualTable.FOREIGN_KEY, "Adding a foreign key constraint"),
    /** Foreign Key Operations: "Adding a foreign key constraint" with {@code foreign_key_checks=0} (in place). */
    ADD_FOREIGN_KEY_NO_CHECKS(ManualTable.FOREIGN_KEY, "Adding a foreign key constraint"),
    /**
     * Foreign Key Operations: "Adding a foreign key constraint" with {@code foreign_key_checks=0}
     * where an index already leads with the key's first column: nothing to build (MariaDB: INSTANT).
     */
    ADD_FOREIGN_KEY_NO_CHECKS_INDEXED(ManualTable.FOREIGN_KEY, "Adding a foreign key constraint"),
    /** Foreign Key Operations: "Dropping a foreign key constraint". */
    DROP_FOREIGN_KEY(ManualTable.FOREIGN_KEY, "Dropping a foreign key constraint"),

    // ---- CHECK constraints: not in the manual's online DDL tables ------------------------------

    /** Not in the online DDL tables (MySQL 8.0.16+ "CHECK Constraints"): adding an enforced CHECK validates every row. */
    ADD_CHECK_CONSTRAINT(ManualTable.NONE, "ALTER TABLE … ADD CONSTRAINT … CHECK"),
    /** Not in the online DDL tables: {@code DROP CHECK} (MySQL) / {@code DROP CONSTRAINT} (MariaDB and MySQL 8.0.19+). */
    DROP_CHECK_CONSTRAINT(ManualTable.NONE, "ALTER TABLE … DROP CHECK / DROP CONSTRAINT"),

    // ---- Table Operations ----------------------------------------------------------------------

    /** Table Operations: "Changing the ROW_FORMAT" and "Changing the KEY_BLOCK_SIZE". */
    CHANGE_ROW_FORMAT_OR_KEY_BLOCK_SIZE(ManualTable.TABLE, "Changing the ROW_FORMAT"),
    /** Table Operations: "Setting persistent table statistics" (STATS_PERSISTENT, STATS_AUTO_RECALC, STATS_SAMPLE_PAGES). */
    SET_TABLE_OPTIONS_STATS(ManualTable.TABLE, "Setting persistent table statistics"),
    /** Table Operations: "Specifying a character set" (the table default only: {@code DEFAULT CHARACTER SET x}). */
    SET_TABLE_DEFAULT_CHARACTER_SET(ManualTable.TABLE, "Specifying a character set"),
    /** Table Operations: "Converting a character set" ({@code CONVERT TO CHARACTER SET}, rewrites every string column). */
    CONVERT_CHARACTER_SET(ManualTable.TABLE, "Converting a character set"),
    /** Table Operations: "Converting a character set" from utf8mb3 to utf8mb4, which MariaDB 10.4.3+ does instantly. */
    CONVERT_CHARACTER_SET_UTF8MB3_TO_UTF8MB4(ManualTable.TABLE, "Converting a character set"),
    /** Table Operations: "Optimizing a table" ({@code OPTIMIZE TABLE}: a rebuild that accepts no clause). */
    OPTIMIZE_TABLE(ManualTable.TABLE, "Optimizing a table"),
    /** Table Operations: "Rebuilding with the FORCE option" and "Performing a null rebuild" ({@code ENGINE=InnoDB}). */
    REBUILD_FORCE(ManualTable.TABLE, "Rebuilding with the FORCE option"),
    /** Table Operations: "Renaming a table" ({@code ALTER TABLE … RENAME TO}). */
    RENAME_TABLE(ManualTable.TABLE, "Renaming a table"),

    // ---- Partitioning Operations ---------------------------------------------------------------

    /** Partitioning Operations: "PARTITION BY" (partitioning a table, or changing its scheme: copies every row). */
    PARTITION_BY(ManualTable.PARTITIONING, "PARTITION BY"),
    /** Partitioning Operations: "ADD PARTITION" (RANGE / LIST: no data copied). */
    ADD_PARTITION(ManualTable.PARTITIONING, "ADD PARTITION"),
    /** Partitioning Operations: "DROP PARTITION" (deletes the partition's rows with it). */
    DROP_PARTITION(ManualTable.PARTITIONING, "DROP PARTITION"),
    /** Partitioning Operations: "TRUNCATE PARTITION". */
    TRUNCATE_PARTITION(ManualTable.PARTITIONING, "TRUNCATE PARTITION"),
    /**
     * Partitioning Operations: "REORGANIZE PARTITION" (and its relatives COALESCE PARTITION and
     * REBUILD PARTITION): rows are copied between partitions; the scheme itself stays.
     */
    REORGANIZE_OR_REPARTITION(ManualTable.PARTITIONING, "REORGANIZE PARTITION"),
    /** Partitioning Operations: "REMOVE PARTITIONING" (copies every row into an unpartitioned table). */
    REMOVE_PARTITIONING(ManualTable.PARTITIONING, "REMOVE PARTITIONING");

    /** The tables of the manual's "Online DDL Operations" section, by their titles. */
    public enum ManualTable {
        INDEX("Index Operations"),
        PRIMARY_KEY("Primary Key Operations"),
        COLUMN("Column Operations"),
        GENERATED_COLUMN("Generated Column Operations"),
        FOREIGN_KEY("Foreign Key Operations"),
        TABLE("Table Operations"),
        TABLESPACE("Tablespace Operations"),
        PARTITIONING("Partitioning Operations"),
        /** The operation has no row in the online DDL tables. */
        NONE("(not in the online DDL tables)");

        private final String title;

        ManualTable(String title) {
            this.title = title;
        }

        /** The table's title as printed in the manual. */
        public String title() {
            return title;
        }
    }

    /** The manual's row of an operation: its table, and the operation as the row spells it. */
    private record ManualRow(ManualTable table, String operation) {}

    private final ManualRow row;

    OnlineDdlOperation(ManualTable manualTable, String manualOperation) {
        this.row = new ManualRow(manualTable, manualOperation);
    }

    /** The manual table this operation's row is in. */
    public ManualTable manualTable() {
        return row.table();
    }

    /** The operation's name as the manual's table row spells it. */
    public String manualOperation() {
        return row.operation();
    }

    /** "Column Operations: Adding a column", for messages and test names. */
    public String citation() {
        return row.table().title() + ": " + row.operation();
    }

    /**
     * Operations that change the physical column layout of every row: InnoDB can do them
     * instantly (MariaDB 10.3+/10.4+, MySQL 8.0.12+/8.0.29+) only when nothing else in the same
     * statement needs the table rebuilt or an index built.
     */
    public boolean changesColumnLayout() {
        return switch (this) {
            case ADD_COLUMN_LAST,
                    ADD_COLUMN_FIRST_OR_AFTER,
                    DROP_COLUMN,
                    REORDER_COLUMN,
                    DROP_STORED_GENERATED_COLUMN -> true;
            default -> false;
        };
    }

    /** Operations that build a new secondary index (a foreign key builds one when none fits). */
    public boolean buildsIndex() {
        return switch (this) {
            case ADD_INDEX,
                    ADD_FULLTEXT_INDEX,
                    ADD_SPATIAL_INDEX,
                    ADD_FOREIGN_KEY_NO_CHECKS,
                    CHANGE_INDEXED_COLUMN_COLLATION -> true;
            default -> false;
        };
    }

    /** Operations that add or drop a VIRTUAL column: InnoDB refuses to combine them with other column changes in place. */
    public boolean addsOrDropsVirtualColumn() {
        return this == ADD_VIRTUAL_GENERATED_COLUMN || this == DROP_VIRTUAL_GENERATED_COLUMN;
    }

    /** Operations on the columns themselves (the manual's Column and Generated Column tables). */
    public boolean isColumnOperation() {
        return (row.table() == ManualTable.COLUMN || row.table() == ManualTable.GENERATED_COLUMN)
                && this != SET_AUTO_INCREMENT_VALUE;
    }

    /** Partition maintenance clauses (not PARTITION BY / REMOVE PARTITIONING, which are table options). */
    public boolean isPartitionMaintenance() {
        return this == ADD_PARTITION
                || this == DROP_PARTITION
                || this == TRUNCATE_PARTITION
                || this == REORGANIZE_OR_REPARTITION;
    }
}
