package dev.ddlguard.dialect.mysql;

import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.ADD_AUTO_INCREMENT_COLUMN;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.ADD_COLUMN_LAST;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.ADD_INDEX;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.ADD_VIRTUAL_GENERATED_COLUMN;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.CHANGE_COLUMN_TYPE;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.DROP_COLUMN;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.RENAME_COLUMN;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.RENAME_TABLE;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.SET_COLUMN_DEFAULT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ddlguard.dialect.mysql.MySqlClauses.Placement;
import dev.ddlguard.dialect.mysql.MySqlClauses.StatementKind;
import dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Algorithm;
import dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Flavour;
import dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Lock;
import dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Support;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The MySQL side of {@link OnlineDdlMatrix}, without a server: one row per operation and version
 * band, transcribed from the MySQL Reference Manual's "Online DDL Operations" tables (5.7: 14.13.1;
 * 8.0: 15.12.1; 8.4: 17.12.1) and their usage notes for the version boundaries (8.0.12 INSTANT,
 * 8.0.28 instant RENAME COLUMN, 8.0.29 instant ADD COLUMN anywhere and DROP COLUMN). Each row's name
 * cites the manual's table and operation. "In Place: No" reads as COPY, "Permits Concurrent DML: No"
 * as LOCK=SHARED. Then the clause rules the issue fixes for MySQL, and a few MariaDB rules that need
 * no server (versions the test machine does not run).
 */
class MySqlOnlineDdlMatrixTest {

    @ParameterizedTest(name = "{0}: {1} — MySQL {3}: {4}, LOCK={5}, rebuild={6}")
    @CsvSource(delimiter = '|', textBlock = """
            # manual table             | manual operation                                  | operation                              | version | algorithm | lock      | rebuild
            Index Operations           | Creating or adding a secondary index              | ADD_INDEX                              | 50744   | INPLACE   | NONE      | false
            Index Operations           | Creating or adding a secondary index              | ADD_INDEX                              | 80035   | INPLACE   | NONE      | false
            Index Operations           | Creating or adding a secondary index              | ADD_INDEX                              | 80400   | INPLACE   | NONE      | false
            Index Operations           | Dropping an index                                 | DROP_INDEX                             | 50744   | INPLACE   | NONE      | false
            Index Operations           | Dropping an index                                 | DROP_INDEX                             | 80035   | INPLACE   | NONE      | false
            Index Operations           | Dropping an index                                 | DROP_INDEX                             | 80400   | INPLACE   | NONE      | false
            Index Operations           | Renaming an index                                 | RENAME_INDEX                           | 50744   | INPLACE   | NONE      | false
            Index Operations           | Renaming an index                                 | RENAME_INDEX                           | 80035   | INPLACE   | NONE      | false
            Index Operations           | Renaming an index                                 | RENAME_INDEX                           | 80400   | INPLACE   | NONE      | false
            Index Operations           | Adding a FULLTEXT index                           | ADD_FULLTEXT_INDEX                     | 50744   | INPLACE   | SHARED    | true
            Index Operations           | Adding a FULLTEXT index                           | ADD_FULLTEXT_INDEX                     | 80035   | INPLACE   | SHARED    | true
            Index Operations           | Adding a FULLTEXT index                           | ADD_FULLTEXT_INDEX                     | 80400   | INPLACE   | SHARED    | true
            Index Operations           | Adding a SPATIAL index                            | ADD_SPATIAL_INDEX                      | 50744   | INPLACE   | SHARED    | false
            Index Operations           | Adding a SPATIAL index                            | ADD_SPATIAL_INDEX                      | 80035   | INPLACE   | SHARED    | false
            Index Operations           | Adding a SPATIAL index                            | ADD_SPATIAL_INDEX                      | 80400   | INPLACE   | SHARED    | false
            Primary Key Operations     | Adding a primary key                              | ADD_PRIMARY_KEY                        | 50744   | INPLACE   | NONE      | true
            Primary Key Operations     | Adding a primary key                              | ADD_PRIMARY_KEY                        | 80035   | INPLACE   | NONE      | true
            Primary Key Operations     | Adding a primary key                              | ADD_PRIMARY_KEY                        | 80400   | INPLACE   | NONE      | true
            Primary Key Operations     | Dropping a primary key                            | DROP_PRIMARY_KEY                       | 50744   | COPY      | SHARED    | true
            Primary Key Operations     | Dropping a primary key                            | DROP_PRIMARY_KEY                       | 80035   | COPY      | SHARED    | true
            Primary Key Operations     | Dropping a primary key                            | DROP_PRIMARY_KEY                       | 80400   | COPY      | SHARED    | true
            Primary Key Operations     | Dropping a primary key and adding another         | DROP_PRIMARY_KEY_ADD_PRIMARY_KEY       | 50744   | INPLACE   | NONE      | true
            Primary Key Operations     | Dropping a primary key and adding another         | DROP_PRIMARY_KEY_ADD_PRIMARY_KEY       | 80035   | INPLACE   | NONE      | true
            Primary Key Operations     | Dropping a primary key and adding another         | DROP_PRIMARY_KEY_ADD_PRIMARY_KEY       | 80400   | INPLACE   | NONE      | true
            Column Operations          | Adding a column                                   | ADD_COLUMN_LAST                        | 50744   | INPLACE   | NONE      | true
            Column Operations          | Adding a column                                   | ADD_COLUMN_LAST                        | 80011   | INPLACE   | NONE      | true
            Column Operations          | Adding a column                                   | ADD_COLUMN_LAST                        | 80012   | INSTANT   | NONE      | false
            Column Operations          | Adding a column                                   | ADD_COLUMN_LAST                        | 80035   | INSTANT   | NONE      | false
            Column Operations          | Adding a column                                   | ADD_COLUMN_LAST                        | 80400   | INSTANT   | NONE      | false
            Column Operations          | Adding a column                                   | ADD_COLUMN_FIRST_OR_AFTER              | 50744   | INPLACE   | NONE      | true
            Column Operations          | Adding a column                                   | ADD_COLUMN_FIRST_OR_AFTER              | 80012   | INPLACE   | NONE      | true
            Column Operations          | Adding a column                                   | ADD_COLUMN_FIRST_OR_AFTER              | 80028   | INPLACE   | NONE      | true
            Column Operations          | Adding a column                                   | ADD_COLUMN_FIRST_OR_AFTER              | 80029   | INSTANT   | NONE      | false
            Column Operations          | Adding a column                                   | ADD_COLUMN_FIRST_OR_AFTER              | 80400   | INSTANT   | NONE      | false
            Column Operations          | Adding a column                                   | ADD_AUTO_INCREMENT_COLUMN              | 50744   | INPLACE   | SHARED    | true
            Column Operations          | Adding a column                                   | ADD_AUTO_INCREMENT_COLUMN              | 80035   | INPLACE   | SHARED    | true
            Column Operations          | Adding a column                                   | ADD_AUTO_INCREMENT_COLUMN              | 80400   | INPLACE   | SHARED    | true
            Column Operations          | Dropping a column                                 | DROP_COLUMN                            | 50744   | INPLACE   | NONE      | true
            Column Operations          | Dropping a column                                 | DROP_COLUMN                            | 80028   | INPLACE   | NONE      | true
            Column Operations          | Dropping a column                                 | DROP_COLUMN                            | 80029   | INSTANT   | NONE      | false
            Column Operations          | Dropping a column                                 | DROP_COLUMN                            | 80400   | INSTANT   | NONE      | false
            Column Operations          | Renaming a column                                 | RENAME_COLUMN                          | 50744   | INPLACE   | NONE      | false
            Column Operations          | Renaming a column                                 | RENAME_COLUMN                          | 80027   | INPLACE   | NONE      | false
            Column Operations          | Renaming a column                                 | RENAME_COLUMN                          | 80028   | INSTANT   | NONE      | false
            Column Operations          | Renaming a column                                 | RENAME_COLUMN                          | 80400   | INSTANT   | NONE      | false
            Column Operations          | Reordering columns                                | REORDER_COLUMN                         | 50744   | INPLACE   | NONE      | true
            Column Operations          | Reordering columns                                | REORDER_COLUMN                         | 80035   | INPLACE   | NONE      | true
            Column Operations          | Reordering columns                                | REORDER_COLUMN                         | 80400   | INPLACE   | NONE      | true
            Column Operations          | Changing the column data type                     | CHANGE_COLUMN_TYPE                     | 50744   | COPY      | SHARED    | true
            Column Operations          | Changing the column data type                     | CHANGE_COLUMN_TYPE                     | 80035   | COPY      | SHARED    | true
            Column Operations          | Changing the column data type                     | CHANGE_COLUMN_TYPE                     | 80400   | COPY      | SHARED    | true
            Column Operations          | Extending VARCHAR column size                     | EXTEND_VARCHAR_SAME_LENGTH_PREFIX      | 50744   | INPLACE   | NONE      | false
            Column Operations          | Extending VARCHAR column size                     | EXTEND_VARCHAR_SAME_LENGTH_PREFIX      | 80035   | INPLACE   | NONE      | false
            Column Operations          | Extending VARCHAR column size                     | EXTEND_VARCHAR_SAME_LENGTH_PREFIX      | 80400   | INPLACE   | NONE      | false
            Column Operations          | Extending VARCHAR column size                     | EXTEND_VARCHAR_LONGER_LENGTH_PREFIX    | 50744   | COPY      | SHARED    | true
            Column Operations          | Extending VARCHAR column size                     | EXTEND_VARCHAR_LONGER_LENGTH_PREFIX    | 80035   | COPY      | SHARED    | true
            Column Operations          | Extending VARCHAR column size                     | EXTEND_VARCHAR_LONGER_LENGTH_PREFIX    | 80400   | COPY      | SHARED    | true
            Column Operations          | Extending VARCHAR column size                     | EXTEND_VARCHAR_LONGER_LENGTH_PREFIX_FROM_SHORT | 80035 | COPY    | SHARED    | true
            Column Operations          | Extending VARCHAR column size                     | EXTEND_VARCHAR_LONGER_LENGTH_PREFIX_FROM_SHORT | 80400 | COPY    | SHARED    | true
            Column Operations          | Setting a column default value                    | SET_COLUMN_DEFAULT                     | 50744   | INPLACE   | NONE      | false
            Column Operations          | Setting a column default value                    | SET_COLUMN_DEFAULT                     | 80011   | INPLACE   | NONE      | false
            Column Operations          | Setting a column default value                    | SET_COLUMN_DEFAULT                     | 80012   | INSTANT   | NONE      | false
            Column Operations          | Setting a column default value                    | SET_COLUMN_DEFAULT                     | 80400   | INSTANT   | NONE      | false
            Column Operations          | Dropping the column default value                 | DROP_COLUMN_DEFAULT                    | 50744   | INPLACE   | NONE      | false
            Column Operations          | Dropping the column default value                 | DROP_COLUMN_DEFAULT                    | 80012   | INSTANT   | NONE      | false
            Column Operations          | Dropping the column default value                 | DROP_COLUMN_DEFAULT                    | 80400   | INSTANT   | NONE      | false
            Column Operations          | Changing the auto-increment value                 | SET_AUTO_INCREMENT_VALUE               | 50744   | INPLACE   | NONE      | false
            Column Operations          | Changing the auto-increment value                 | SET_AUTO_INCREMENT_VALUE               | 80035   | INPLACE   | NONE      | false
            Column Operations          | Changing the auto-increment value                 | SET_AUTO_INCREMENT_VALUE               | 80400   | INPLACE   | NONE      | false
            Column Operations          | Making a column NULL                              | MAKE_COLUMN_NULL                       | 50744   | INPLACE   | NONE      | true
            Column Operations          | Making a column NULL                              | MAKE_COLUMN_NULL                       | 80035   | INPLACE   | NONE      | true
            Column Operations          | Making a column NULL                              | MAKE_COLUMN_NULL                       | 80400   | INPLACE   | NONE      | true
            Column Operations          | Making a column NOT NULL                          | MAKE_COLUMN_NOT_NULL                   | 50744   | INPLACE   | NONE      | true
            Column Operations          | Making a column NOT NULL                          | MAKE_COLUMN_NOT_NULL                   | 80035   | INPLACE   | NONE      | true
            Column Operations          | Making a column NOT NULL                          | MAKE_COLUMN_NOT_NULL                   | 80400   | INPLACE   | NONE      | true
            Column Operations          | Modifying the definition of an ENUM or SET column | ENUM_SET_APPEND_VALUES                 | 50744   | INPLACE   | NONE      | false
            Column Operations          | Modifying the definition of an ENUM or SET column | ENUM_SET_APPEND_VALUES                 | 80012   | INSTANT   | NONE      | false
            Column Operations          | Modifying the definition of an ENUM or SET column | ENUM_SET_APPEND_VALUES                 | 80400   | INSTANT   | NONE      | false
            Column Operations          | Modifying the definition of an ENUM or SET column | ENUM_SET_INSERT_VALUES_MIDDLE          | 50744   | COPY      | SHARED    | true
            Column Operations          | Modifying the definition of an ENUM or SET column | ENUM_SET_INSERT_VALUES_MIDDLE          | 80035   | COPY      | SHARED    | true
            Column Operations          | Modifying the definition of an ENUM or SET column | ENUM_SET_INSERT_VALUES_MIDDLE          | 80400   | COPY      | SHARED    | true
            Generated Column Operations | Adding a STORED column                           | ADD_STORED_GENERATED_COLUMN            | 50744   | COPY      | SHARED    | true
            Generated Column Operations | Adding a STORED column                           | ADD_STORED_GENERATED_COLUMN            | 80035   | COPY      | SHARED    | true
            Generated Column Operations | Adding a STORED column                           | ADD_STORED_GENERATED_COLUMN            | 80400   | COPY      | SHARED    | true
            Generated Column Operations | Modifying STORED column order                    | MODIFY_STORED_COLUMN_ORDER             | 50744   | COPY      | SHARED    | true
            Generated Column Operations | Modifying STORED column order                    | MODIFY_STORED_COLUMN_ORDER             | 80400   | COPY      | SHARED    | true
            Generated Column Operations | Dropping a STORED column                         | DROP_STORED_GENERATED_COLUMN           | 50744   | INPLACE   | NONE      | true
            Generated Column Operations | Dropping a STORED column                         | DROP_STORED_GENERATED_COLUMN           | 80035   | INPLACE   | NONE      | true
            Generated Column Operations | Dropping a STORED column                         | DROP_STORED_GENERATED_COLUMN           | 80400   | INPLACE   | NONE      | true
            Generated Column Operations | Adding a VIRTUAL column                          | ADD_VIRTUAL_GENERATED_COLUMN           | 50744   | INPLACE   | NONE      | false
            Generated Column Operations | Adding a VIRTUAL column                          | ADD_VIRTUAL_GENERATED_COLUMN           | 80035   | INSTANT   | NONE      | false
            Generated Column Operations | Adding a VIRTUAL column                          | ADD_VIRTUAL_GENERATED_COLUMN           | 80400   | INSTANT   | NONE      | false
            Generated Column Operations | Modifying VIRTUAL column order                   | MODIFY_VIRTUAL_COLUMN_ORDER            | 50744   | COPY      | SHARED    | true
            Generated Column Operations | Modifying VIRTUAL column order                   | MODIFY_VIRTUAL_COLUMN_ORDER            | 80400   | COPY      | SHARED    | true
            Generated Column Operations | Dropping a VIRTUAL column                        | DROP_VIRTUAL_GENERATED_COLUMN          | 50744   | INPLACE   | NONE      | false
            Generated Column Operations | Dropping a VIRTUAL column                        | DROP_VIRTUAL_GENERATED_COLUMN          | 80035   | INSTANT   | NONE      | false
            Generated Column Operations | Dropping a VIRTUAL column                        | DROP_VIRTUAL_GENERATED_COLUMN          | 80400   | INSTANT   | NONE      | false
            Foreign Key Operations     | Adding a foreign key constraint                   | ADD_FOREIGN_KEY                        | 50744   | COPY      | SHARED    | true
            Foreign Key Operations     | Adding a foreign key constraint                   | ADD_FOREIGN_KEY                        | 80035   | COPY      | SHARED    | true
            Foreign Key Operations     | Adding a foreign key constraint                   | ADD_FOREIGN_KEY                        | 80400   | COPY      | SHARED    | true
            Foreign Key Operations     | Adding a foreign key constraint                   | ADD_FOREIGN_KEY_NO_CHECKS              | 50744   | INPLACE   | NONE      | false
            Foreign Key Operations     | Adding a foreign key constraint                   | ADD_FOREIGN_KEY_NO_CHECKS              | 80400   | INPLACE   | NONE      | false
            Foreign Key Operations     | Dropping a foreign key constraint                 | DROP_FOREIGN_KEY                       | 50744   | INPLACE   | NONE      | false
            Foreign Key Operations     | Dropping a foreign key constraint                 | DROP_FOREIGN_KEY                       | 80035   | INPLACE   | NONE      | false
            Foreign Key Operations     | Dropping a foreign key constraint                 | DROP_FOREIGN_KEY                       | 80400   | INPLACE   | NONE      | false
            (not in the online DDL tables) | ALTER TABLE … ADD CONSTRAINT … CHECK          | ADD_CHECK_CONSTRAINT                   | 80015   | INPLACE   | NONE      | false
            (not in the online DDL tables) | ALTER TABLE … ADD CONSTRAINT … CHECK          | ADD_CHECK_CONSTRAINT                   | 80016   | COPY      | SHARED    | true
            (not in the online DDL tables) | ALTER TABLE … ADD CONSTRAINT … CHECK          | ADD_CHECK_CONSTRAINT                   | 80400   | COPY      | SHARED    | true
            (not in the online DDL tables) | ALTER TABLE … DROP CHECK / DROP CONSTRAINT    | DROP_CHECK_CONSTRAINT                  | 80016   | INSTANT   | NONE      | false
            (not in the online DDL tables) | ALTER TABLE … DROP CHECK / DROP CONSTRAINT    | DROP_CHECK_CONSTRAINT                  | 80400   | INSTANT   | NONE      | false
            Table Operations           | Changing the ROW_FORMAT                           | CHANGE_ROW_FORMAT_OR_KEY_BLOCK_SIZE    | 50744   | INPLACE   | NONE      | true
            Table Operations           | Changing the ROW_FORMAT                           | CHANGE_ROW_FORMAT_OR_KEY_BLOCK_SIZE    | 80035   | INPLACE   | NONE      | true
            Table Operations           | Changing the ROW_FORMAT                           | CHANGE_ROW_FORMAT_OR_KEY_BLOCK_SIZE    | 80400   | INPLACE   | NONE      | true
            Table Operations           | Setting persistent table statistics               | SET_TABLE_OPTIONS_STATS                | 50744   | INPLACE   | NONE      | false
            Table Operations           | Setting persistent table statistics               | SET_TABLE_OPTIONS_STATS                | 80035   | INPLACE   | NONE      | false
            Table Operations           | Setting persistent table statistics               | SET_TABLE_OPTIONS_STATS                | 80400   | INPLACE   | NONE      | false
            Table Operations           | Specifying a character set                        | SET_TABLE_DEFAULT_CHARACTER_SET        | 50744   | INPLACE   | NONE      | true
            Table Operations           | Specifying a character set                        | SET_TABLE_DEFAULT_CHARACTER_SET        | 80400   | INPLACE   | NONE      | true
            Table Operations           | Converting a character set                        | CONVERT_CHARACTER_SET                  | 50744   | COPY      | SHARED    | true
            Table Operations           | Converting a character set                        | CONVERT_CHARACTER_SET                  | 80035   | INPLACE   | SHARED    | true
            Table Operations           | Converting a character set                        | CONVERT_CHARACTER_SET                  | 80400   | INPLACE   | SHARED    | true
            Table Operations           | Converting a character set                        | CONVERT_CHARACTER_SET_UTF8MB3_TO_UTF8MB4 | 80035 | INPLACE   | SHARED    | true
            Table Operations           | Optimizing a table                                | OPTIMIZE_TABLE                         | 50744   | INPLACE   | NONE      | true
            Table Operations           | Optimizing a table                                | OPTIMIZE_TABLE                         | 80400   | INPLACE   | NONE      | true
            Table Operations           | Rebuilding with the FORCE option                  | REBUILD_FORCE                          | 50744   | INPLACE   | NONE      | true
            Table Operations           | Rebuilding with the FORCE option                  | REBUILD_FORCE                          | 80035   | INPLACE   | NONE      | true
            Table Operations           | Rebuilding with the FORCE option                  | REBUILD_FORCE                          | 80400   | INPLACE   | NONE      | true
            Table Operations           | Renaming a table                                  | RENAME_TABLE                           | 50744   | INPLACE   | NONE      | false
            Table Operations           | Renaming a table                                  | RENAME_TABLE                           | 80012   | INSTANT   | NONE      | false
            Table Operations           | Renaming a table                                  | RENAME_TABLE                           | 80400   | INSTANT   | NONE      | false
            Partitioning Operations    | PARTITION BY                                      | PARTITION_BY                           | 50744   | COPY      | SHARED    | true
            Partitioning Operations    | PARTITION BY                                      | PARTITION_BY                           | 80035   | COPY      | SHARED    | true
            Partitioning Operations    | PARTITION BY                                      | PARTITION_BY                           | 80400   | COPY      | SHARED    | true
            Partitioning Operations    | ADD PARTITION                                     | ADD_PARTITION                          | 50744   | INPLACE   | EXCLUSIVE | false
            Partitioning Operations    | ADD PARTITION                                     | ADD_PARTITION                          | 80035   | INPLACE   | NONE      | false
            Partitioning Operations    | ADD PARTITION                                     | ADD_PARTITION                          | 80400   | INPLACE   | NONE      | false
            Partitioning Operations    | DROP PARTITION                                    | DROP_PARTITION                         | 50744   | INPLACE   | EXCLUSIVE | false
            Partitioning Operations    | DROP PARTITION                                    | DROP_PARTITION                         | 80035   | INPLACE   | NONE      | false
            Partitioning Operations    | DROP PARTITION                                    | DROP_PARTITION                         | 80400   | INPLACE   | NONE      | false
            Partitioning Operations    | TRUNCATE PARTITION                                | TRUNCATE_PARTITION                     | 50744   | INPLACE   | NONE      | false
            Partitioning Operations    | TRUNCATE PARTITION                                | TRUNCATE_PARTITION                     | 80400   | INPLACE   | NONE      | false
            Partitioning Operations    | REORGANIZE PARTITION                              | REORGANIZE_OR_REPARTITION              | 50744   | COPY      | SHARED    | true
            Partitioning Operations    | REORGANIZE PARTITION                              | REORGANIZE_OR_REPARTITION              | 80035   | INPLACE   | SHARED    | true
            Partitioning Operations    | REORGANIZE PARTITION                              | REORGANIZE_OR_REPARTITION              | 80400   | INPLACE   | SHARED    | true
            Partitioning Operations    | REMOVE PARTITIONING                               | REMOVE_PARTITIONING                    | 50744   | COPY      | SHARED    | true
            Partitioning Operations    | REMOVE PARTITIONING                               | REMOVE_PARTITIONING                    | 80035   | COPY      | SHARED    | true
            Partitioning Operations    | REMOVE PARTITIONING                               | REMOVE_PARTITIONING                    | 80400   | COPY      | SHARED    | true
            """)
    void documentedMatrix(
            String manualTable,
            String manualOperation,
            OnlineDdlOperation op,
            int version,
            Algorithm algorithm,
            Lock lock,
            boolean rebuild) {
        // The enum cites the same table and row as this transcription.
        assertThat(op.manualTable().title()).isEqualTo(manualTable);
        assertThat(op.manualOperation()).isEqualTo(manualOperation);
        Support s = MySqlOnlineDdl.support(op, version);
        assertThat(s.algorithm()).as("algorithm of %s", s).isEqualTo(algorithm);
        assertThat(s.lock()).as("lock of %s", s).isEqualTo(lock);
        assertThat(s.rebuildsTable()).as("rebuild of %s", s).isEqualTo(rebuild);
        assertThat(s.algorithm()).as("NOCOPY does not exist on MySQL").isNotEqualTo(Algorithm.NOCOPY);
        assertThat(s.note()).isNotBlank();

        // The clause the guard appends follows from the row.
        String clause = OnlineDdlMatrix.clause(Flavour.MYSQL, s);
        if (algorithm == Algorithm.INSTANT) {
            assertThat(clause)
                    .as("MySQL 8: INSTANT with any LOCK clause is ERROR 1221")
                    .isEqualTo("ALGORITHM=INSTANT");
        } else if (algorithm == Algorithm.INPLACE && lock == Lock.NONE) {
            assertThat(clause).isEqualTo("ALGORITHM=INPLACE, LOCK=NONE");
        } else {
            assertThat(clause).as("no online path: the rule blocks").isNull();
        }
    }

    /** After a refusal: the next weaker clause that keeps the table online, never COPY, never a write-blocking lock. */
    @Test
    void theFallbackChainStopsAtTheLastOnlineClause() {
        assertThat(OnlineDdlMatrix.weakerOnlineClause(Flavour.MARIADB, "ALGORITHM=INSTANT, LOCK=NONE"))
                .isEqualTo("ALGORITHM=NOCOPY, LOCK=NONE");
        assertThat(OnlineDdlMatrix.weakerOnlineClause(Flavour.MARIADB, "ALGORITHM=NOCOPY,LOCK=NONE"))
                .isEqualTo("ALGORITHM=INPLACE, LOCK=NONE");
        assertThat(OnlineDdlMatrix.weakerOnlineClause(Flavour.MARIADB, "ALGORITHM=INPLACE, LOCK=NONE"))
                .isNull();
        assertThat(OnlineDdlMatrix.weakerOnlineClause(Flavour.MARIADB, "ALGORITHM=INSTANT"))
                .as("a rename: LOCK=NONE is refused")
                .isNull();
        assertThat(OnlineDdlMatrix.weakerOnlineClause(Flavour.MARIADB, "ALGORITHM=COPY, LOCK=NONE"))
                .isNull();
        assertThat(OnlineDdlMatrix.weakerOnlineClause(Flavour.MYSQL, "ALGORITHM=INSTANT"))
                .isEqualTo("ALGORITHM=INPLACE, LOCK=NONE");
        assertThat(OnlineDdlMatrix.weakerOnlineClause(Flavour.MYSQL, "ALGORITHM=INPLACE, LOCK=NONE"))
                .isNull();
    }

    @Test
    void everyOperationHasARowForEveryBand() {
        for (int version : new int[] {50744, 80011, 80012, 80016, 80028, 80029, 80035, 80400}) {
            for (OnlineDdlOperation op : OnlineDdlOperation.values()) {
                Support s = MySqlOnlineDdl.support(op, version);
                assertThat(s.algorithm()).as("%s at %d", op, version).isNotEqualTo(Algorithm.NOCOPY);
                assertThat(s.note()).as("%s at %d", op, version).isNotBlank();
            }
        }
        for (int version : new int[] {100206, 100307, 100400, 100403, 100502, 100611, 101100, 110200, 110400}) {
            for (OnlineDdlOperation op : OnlineDdlOperation.values()) {
                assertThat(MariaDbOnlineDdl.support(op, version).note())
                        .as("%s at %d", op, version)
                        .isNotBlank();
            }
        }
    }

    @Test
    void neverForcesInplaceOntoWhatMySqlDoesInstantly() {
        for (OnlineDdlOperation op : OnlineDdlOperation.values()) {
            Support s = MySqlOnlineDdl.support(op, OnlineDdlMatrix.MYSQL_8_4);
            if (s.algorithm() == Algorithm.INSTANT) {
                assertThat(OnlineDdlMatrix.clause(Flavour.MYSQL, s))
                        .as(op.citation())
                        .isEqualTo("ALGORITHM=INSTANT");
            }
            String clause = OnlineDdlMatrix.clause(Flavour.MYSQL, s);
            if (clause != null) {
                assertThat(clause).doesNotContain("NOCOPY");
                assertThat(clause.contains("INSTANT") && clause.contains("LOCK"))
                        .as("ERROR 1221")
                        .isFalse();
            }
        }
        assertThatThrownBy(() ->
                        OnlineDdlMatrix.clause(Flavour.MYSQL, new Support(Algorithm.NOCOPY, Lock.NONE, false, "")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void severalOperationsOnMySql() {
        // "A statement cannot combine the addition of a column with other ALTER TABLE actions that do not
        // support the INSTANT algorithm": the column is then added in place, which rebuilds the table.
        Support s = OnlineDdlCombination.combine(Flavour.MYSQL, 80035, List.of(ADD_COLUMN_LAST, ADD_INDEX));
        assertThat(s.algorithm()).isEqualTo(Algorithm.INPLACE);
        assertThat(s.rebuildsTable()).isTrue();
        assertThat(s.note()).contains("Split ADD_COLUMN_LAST");
        assertThat(OnlineDdlMatrix.clause(Flavour.MYSQL, 80035, List.of(ADD_COLUMN_LAST, ADD_INDEX)))
                .isEqualTo("ALGORITHM=INPLACE, LOCK=NONE");

        // Instant with instant stays instant.
        assertThat(OnlineDdlCombination.combine(
                                Flavour.MYSQL, 80035, List.of(ADD_COLUMN_LAST, SET_COLUMN_DEFAULT, DROP_COLUMN))
                        .algorithm())
                .isEqualTo(Algorithm.INSTANT);

        // The weakest decides: a type change makes the whole statement a copy.
        Support copy = OnlineDdlCombination.combine(Flavour.MYSQL, 80400, List.of(ADD_INDEX, CHANGE_COLUMN_TYPE));
        assertThat(copy.algorithm()).isEqualTo(Algorithm.COPY);
        assertThat(OnlineDdlMatrix.clause(Flavour.MYSQL, copy)).isNull();

        // Generated Column Operations: renaming a column while adding a VIRTUAL one: "only ALGORITHM=COPY".
        assertThat(OnlineDdlCombination.combine(
                                Flavour.MYSQL, 80035, List.of(ADD_VIRTUAL_GENERATED_COLUMN, RENAME_COLUMN))
                        .algorithm())
                .isEqualTo(Algorithm.COPY);
        // 5.7: "adding a virtual column cannot be combined with other ALTER TABLE actions".
        assertThat(OnlineDdlCombination.combine(Flavour.MYSQL, 50744, List.of(ADD_VIRTUAL_GENERATED_COLUMN, ADD_INDEX))
                        .algorithm())
                .isEqualTo(Algorithm.COPY);
        // An auto-increment column blocks writes, whatever it is combined with.
        assertThat(OnlineDdlCombination.combine(Flavour.MYSQL, 80400, List.of(ADD_INDEX, ADD_AUTO_INCREMENT_COLUMN))
                        .concurrentDml())
                .isFalse();
    }

    @Test
    void fulltextTablesOnMySql() {
        // "Columns cannot be added to tables ... with a FULLTEXT index" (instantly), and "ALGORITHM=INPLACE
        // is not supported for tables with FULLTEXT indexes" (FORCE, null rebuild).
        assertThat(OnlineDdlMatrix.support(Flavour.MYSQL, 80400, ADD_COLUMN_LAST, true)
                        .algorithm())
                .isEqualTo(Algorithm.COPY);
        assertThat(OnlineDdlMatrix.support(Flavour.MYSQL, 80400, OnlineDdlOperation.REBUILD_FORCE, true)
                        .algorithm())
                .isEqualTo(Algorithm.COPY);
        // "Additional FULLTEXT indexes may be added without rebuilding the table."
        Support more = OnlineDdlMatrix.support(Flavour.MYSQL, 80400, OnlineDdlOperation.ADD_FULLTEXT_INDEX, true);
        assertThat(more.rebuildsTable()).isFalse();
        assertThat(more.concurrentDml()).isFalse();
        // Index work is untouched by the FULLTEXT index.
        assertThat(OnlineDdlMatrix.support(Flavour.MYSQL, 80400, ADD_INDEX, true)
                        .algorithm())
                .isEqualTo(Algorithm.INPLACE);
    }

    @Test
    void mariaDbClausesFollowTheIssuesTable() {
        int v = OnlineDdlMatrix.MARIADB_10_11;
        // metadata only
        assertThat(clause(v, ADD_COLUMN_LAST)).isEqualTo("ALGORITHM=INSTANT, LOCK=NONE");
        // in place without rebuild (index add/drop)
        assertThat(clause(v, ADD_INDEX)).isEqualTo("ALGORITHM=NOCOPY, LOCK=NONE");
        assertThat(clause(v, OnlineDdlOperation.DROP_INDEX)).isEqualTo("ALGORITHM=NOCOPY, LOCK=NONE");
        // online rebuild
        assertThat(clause(v, OnlineDdlOperation.MAKE_COLUMN_NOT_NULL)).isEqualTo("ALGORITHM=INPLACE, LOCK=NONE");
        // no online path
        assertThat(clause(v, CHANGE_COLUMN_TYPE)).isNull();
        assertThat(clause(v, ADD_AUTO_INCREMENT_COLUMN)).isNull();
        assertThat(clause(v, OnlineDdlOperation.PARTITION_BY)).isNull();
        // a rename is instant but refuses LOCK=NONE (1845)
        assertThat(clause(v, RENAME_TABLE)).isEqualTo("ALGORITHM=INSTANT");
        // every other MariaDB clause carries LOCK=NONE
        for (OnlineDdlOperation op : OnlineDdlOperation.values()) {
            String c = clause(v, op);
            if (c != null && op != RENAME_TABLE) {
                assertThat(c).as(op.name()).endsWith(", LOCK=NONE");
            }
        }
    }

    @Test
    void mariaDbVersionBands() {
        // Before 10.3.7 the INSTANT and NOCOPY keywords do not exist.
        for (OnlineDdlOperation op : OnlineDdlOperation.values()) {
            String c = clause(100206, op);
            if (c != null) {
                assertThat(c).as(op.name()).doesNotContain("INSTANT").doesNotContain("NOCOPY");
            }
        }
        // 10.3: instant ADD COLUMN only at the end; 10.4: anywhere, and instant DROP COLUMN.
        assertThat(MariaDbOnlineDdl.support(OnlineDdlOperation.ADD_COLUMN_FIRST_OR_AFTER, 100312)
                        .algorithm())
                .isEqualTo(Algorithm.INPLACE);
        assertThat(MariaDbOnlineDdl.support(OnlineDdlOperation.ADD_COLUMN_FIRST_OR_AFTER, 100400)
                        .algorithm())
                .isEqualTo(Algorithm.INSTANT);
        assertThat(MariaDbOnlineDdl.support(DROP_COLUMN, 100312).rebuildsTable())
                .isTrue();
        assertThat(MariaDbOnlineDdl.support(DROP_COLUMN, 100400).algorithm()).isEqualTo(Algorithm.INSTANT);
        // 10.4.3: short VARCHAR to long and utf8mb3 to utf8mb4 become instant.
        assertThat(MariaDbOnlineDdl.support(OnlineDdlOperation.EXTEND_VARCHAR_LONGER_LENGTH_PREFIX_FROM_SHORT, 100402)
                        .algorithm())
                .isEqualTo(Algorithm.COPY);
        assertThat(MariaDbOnlineDdl.support(OnlineDdlOperation.EXTEND_VARCHAR_LONGER_LENGTH_PREFIX_FROM_SHORT, 100403)
                        .algorithm())
                .isEqualTo(Algorithm.INSTANT);
        // 11.2+: online COPY (LOCK=NONE) for what only copies, but not for an auto-increment column
        // and not for partition maintenance, which takes no clause at all.
        assertThat(clause(110400, CHANGE_COLUMN_TYPE)).isEqualTo("ALGORITHM=COPY, LOCK=NONE");
        assertThat(clause(110400, OnlineDdlOperation.REMOVE_PARTITIONING)).isEqualTo("ALGORITHM=COPY, LOCK=NONE");
        assertThat(clause(110400, ADD_AUTO_INCREMENT_COLUMN)).isNull();
        assertThat(MariaDbOnlineDdl.support(OnlineDdlOperation.REORGANIZE_OR_REPARTITION, 110400)
                        .concurrentDml())
                .isFalse();
        assertThat(clause(101100, CHANGE_COLUMN_TYPE)).isNull();
    }

    @Test
    void clausePlacement() {
        // CREATE INDEX: no commas, on both.
        assertThat(MySqlClauses.forCreateIndex(
                        Flavour.MYSQL, "CREATE INDEX i ON t (c)", "ALGORITHM=INPLACE, LOCK=NONE"))
                .isEqualTo("CREATE INDEX i ON t (c) ALGORITHM=INPLACE LOCK=NONE");
        assertThat(MySqlClauses.forCreateIndex(
                        Flavour.MARIADB, "CREATE INDEX i ON t (c);", "ALGORITHM=NOCOPY, LOCK=NONE"))
                .isEqualTo("CREATE INDEX i ON t (c) ALGORITHM=NOCOPY LOCK=NONE;");
        // ALTER TABLE: after a comma.
        assertThat(MySqlClauses.forAlterTable(Flavour.MYSQL, "ALTER TABLE t ADD COLUMN c INT", "ALGORITHM=INSTANT"))
                .isEqualTo("ALTER TABLE t ADD COLUMN c INT, ALGORITHM=INSTANT");
        // DROP INDEX: MySQL takes the options; MariaDB needs the ALTER TABLE form.
        assertThat(MySqlClauses.dropIndex(Flavour.MYSQL, "i", "t", "ALGORITHM=INPLACE, LOCK=NONE"))
                .isEqualTo("DROP INDEX i ON t ALGORITHM=INPLACE LOCK=NONE");
        assertThat(MySqlClauses.dropIndex(Flavour.MARIADB, "i", "t", "ALGORITHM=NOCOPY, LOCK=NONE"))
                .isEqualTo("ALTER TABLE t DROP INDEX i, ALGORITHM=NOCOPY, LOCK=NONE");
        // Partition maintenance: MySQL's grammar takes the options first, then a comma; MariaDB none.
        assertThat(MySqlClauses.placement(StatementKind.ALTER_TABLE_PARTITION_MAINTENANCE, Flavour.MYSQL))
                .isEqualTo(Placement.PREFIX_WITH_COMMA);
        assertThat(MySqlClauses.insertBefore(
                        StatementKind.ALTER_TABLE_PARTITION_MAINTENANCE,
                        Flavour.MYSQL,
                        "ALTER TABLE t",
                        "ADD PARTITION (PARTITION p2 VALUES LESS THAN (30))",
                        "ALGORITHM=INPLACE, LOCK=NONE"))
                .isEqualTo(
                        "ALTER TABLE t ALGORITHM=INPLACE, LOCK=NONE, ADD PARTITION (PARTITION p2 VALUES LESS THAN (30))");
        assertThat(MySqlClauses.acceptsClause(StatementKind.ALTER_TABLE_PARTITION_MAINTENANCE, Flavour.MARIADB))
                .isFalse();
        // PARTITION BY / REMOVE PARTITIONING: before the clause, no comma, on both.
        assertThat(MySqlClauses.insertBefore(
                        StatementKind.ALTER_TABLE_PARTITIONING,
                        Flavour.MARIADB,
                        "ALTER TABLE t",
                        "REMOVE PARTITIONING",
                        "ALGORITHM=COPY, LOCK=NONE"))
                .isEqualTo("ALTER TABLE t ALGORITHM=COPY, LOCK=NONE REMOVE PARTITIONING");
        // No clause at all.
        Set<StatementKind> none =
                EnumSet.of(StatementKind.OPTIMIZE_TABLE, StatementKind.TRUNCATE_TABLE, StatementKind.RENAME_TABLE);
        for (StatementKind kind : none) {
            for (Flavour f : Flavour.values()) {
                assertThat(MySqlClauses.acceptsClause(kind, f))
                        .as("%s on %s", kind, f)
                        .isFalse();
            }
        }
        assertThatThrownBy(() -> MySqlClauses.append(
                        StatementKind.TRUNCATE_TABLE, Flavour.MYSQL, "TRUNCATE t", "ALGORITHM=COPY"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void versions() {
        assertThat(OnlineDdlMatrix.parseVersion("10.11.19-MariaDB-0+deb12u1")).isEqualTo(101119);
        assertThat(OnlineDdlMatrix.parseVersion("5.5.5-10.11.6-MariaDB")).isEqualTo(101106);
        assertThat(OnlineDdlMatrix.parseVersion("11.4.2-MariaDB-log")).isEqualTo(110402);
        assertThat(OnlineDdlMatrix.parseVersion("8.0.35")).isEqualTo(80035);
        assertThat(OnlineDdlMatrix.parseVersion("8.4.0-commercial")).isEqualTo(80400);
        assertThat(OnlineDdlMatrix.parseVersion("5.7.44-log")).isEqualTo(50744);
        assertThat(OnlineDdlMatrix.version(10, 11, 0)).isEqualTo(OnlineDdlMatrix.MARIADB_10_11);
        assertThat(OnlineDdlMatrix.flavourOf("10.11.19-MariaDB-0+deb12u1", "Debian 12"))
                .isEqualTo(Flavour.MARIADB);
        assertThat(OnlineDdlMatrix.flavourOf("5.5.5-10.6.1", "mariadb.org binary distribution"))
                .isEqualTo(Flavour.MARIADB);
        assertThat(OnlineDdlMatrix.flavourOf("8.0.35", "MySQL Community Server - GPL"))
                .isEqualTo(Flavour.MYSQL);
    }

    private static String clause(int mariadbVersion, OnlineDdlOperation op) {
        return OnlineDdlMatrix.clause(Flavour.MARIADB, MariaDbOnlineDdl.support(op, mariadbVersion));
    }
}
