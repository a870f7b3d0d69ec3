package dev.ddlguard.dialect.mysql;

import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.ADD_AUTO_INCREMENT_COLUMN;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.ADD_CHECK_CONSTRAINT;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.ADD_COLUMN_FIRST_OR_AFTER;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.ADD_COLUMN_LAST;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.ADD_COLUMN_ROW_DEFAULT;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.ADD_FOREIGN_KEY;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.ADD_FOREIGN_KEY_NO_CHECKS;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.ADD_FOREIGN_KEY_NO_CHECKS_INDEXED;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.ADD_FULLTEXT_INDEX;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.ADD_INDEX;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.ADD_PARTITION;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.ADD_PRIMARY_KEY;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.ADD_SPATIAL_INDEX;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.ADD_STORED_GENERATED_COLUMN;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.ADD_VIRTUAL_GENERATED_COLUMN;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.CHANGE_COLUMN_COLLATION;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.CHANGE_COLUMN_TYPE;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.CHANGE_INDEXED_COLUMN_COLLATION;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.CHANGE_ROW_FORMAT_OR_KEY_BLOCK_SIZE;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.CONVERT_CHARACTER_SET;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.CONVERT_CHARACTER_SET_UTF8MB3_TO_UTF8MB4;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.DROP_CHECK_CONSTRAINT;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.DROP_COLUMN;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.DROP_COLUMN_DEFAULT;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.DROP_FOREIGN_KEY;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.DROP_INDEX;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.DROP_PARTITION;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.DROP_PRIMARY_KEY;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.DROP_PRIMARY_KEY_ADD_PRIMARY_KEY;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.DROP_STORED_GENERATED_COLUMN;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.DROP_VIRTUAL_GENERATED_COLUMN;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.ENUM_SET_APPEND_VALUES;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.ENUM_SET_INSERT_VALUES_MIDDLE;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.EXTEND_VARCHAR_LONGER_LENGTH_PREFIX;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.EXTEND_VARCHAR_LONGER_LENGTH_PREFIX_FROM_SHORT;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.EXTEND_VARCHAR_SAME_LENGTH_PREFIX;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.MAKE_COLUMN_NOT_NULL;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.MAKE_COLUMN_NULL;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.MODIFY_STORED_COLUMN_ORDER;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.MODIFY_VIRTUAL_COLUMN_ORDER;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.OPTIMIZE_TABLE;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.PARTITION_BY;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.REBUILD_FORCE;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.REMOVE_PARTITIONING;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.RENAME_COLUMN;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.RENAME_INDEX;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.RENAME_TABLE;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.REORDER_COLUMN;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.REORGANIZE_OR_REPARTITION;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.SET_AUTO_INCREMENT_VALUE;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.SET_COLUMN_DEFAULT;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.SET_TABLE_DEFAULT_CHARACTER_SET;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.SET_TABLE_OPTIONS_STATS;
import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.TRUNCATE_PARTITION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.ddlguard.dialect.mysql.MariaDbClauseFacts.SyntaxFact;
import dev.ddlguard.dialect.mysql.MySqlClauses.Placement;
import dev.ddlguard.dialect.mysql.MySqlClauses.StatementKind;
import dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Algorithm;
import dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Flavour;
import dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Lock;
import dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Support;
import dev.ddlguard.support.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link OnlineDdlMatrix} and {@link MySqlClauses} against the real MariaDB (10.11 on this project's
 * machines). Every row sets up a scratch table with three rows for its operation and then:
 *
 * <ol>
 *   <li>runs the operation with the strongest explicit clause the matrix claims
 *       ({@code ALGORITHM=X, LOCK=Y}, placed as {@link MySqlClauses} says): the server must accept it,
 *       the table must end as intended (read back from information_schema), and the update count must
 *       be positive exactly when the matrix says COPY (the server reports the rows it copied);
 *   <li>runs, on a fresh table, the clause the guard would append ({@link OnlineDdlMatrix#clause}),
 *       when it differs: it must be accepted too;
 *   <li>runs, on fresh tables, the next stronger algorithm (same lock) and, when the matrix says no
 *       concurrent DML, the same algorithm with LOCK=NONE: the server must refuse each, with the error
 *       code the row records (1845 / 1846; 1064 where the statement takes no clause at all).
 * </ol>
 *
 * The recorded codes are those of MariaDB 10.11; on another version only "refused" is required. A
 * second test replays {@link MariaDbClauseFacts#ALL}, the clause-placement facts.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MariaDbOnlineDdlMatrixTest {

    private static final int E1064 = MySqlClauses.ER_PARSE_ERROR;
    private static final int E1845 = MySqlClauses.ER_ALTER_OPERATION_NOT_SUPPORTED;
    private static final int E1846 = MySqlClauses.ER_ALTER_OPERATION_NOT_SUPPORTED_REASON;

    /** The scratch tables a row starts from; {@code {t}} is the row's table. */
    enum Fixture {
        /** Most operations: one column for each kind of change, a secondary index, a CHECK, an FK parent. */
        BASE(
                "CREATE TABLE {t}_p (id INT PRIMARY KEY) ENGINE=InnoDB",
                "INSERT INTO {t}_p VALUES (1), (2), (3)",
                "CREATE TABLE {t} (id INT NOT NULL PRIMARY KEY, a INT, b VARCHAR(40), n INT NULL, nn INT NOT NULL DEFAULT 0,"
                        + " e ENUM('x','y'), v VARCHAR(10), w VARCHAR(40), k INT NOT NULL, pid INT, g POINT NOT NULL,"
                        + " INDEX i_b (b), CONSTRAINT ck_nn CHECK (nn >= 0)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
                "INSERT INTO {t} (id, a, b, n, nn, e, v, w, k, pid, g) VALUES"
                        + " (1, 1, 'a', 1, 1, 'x', 'a', 'a', 1, 1, POINT(1, 1)),"
                        + " (2, 2, 'b', 2, 2, 'y', 'b', 'b', 2, 2, POINT(2, 2)),"
                        + " (3, 3, 'c', 3, 3, 'x', 'c', 'c', 3, 3, POINT(3, 3))"),
        /** BASE with the foreign key already in place. */
        FK_CHILD(concat(BASE, "ALTER TABLE {t} ADD CONSTRAINT fk_p FOREIGN KEY (pid) REFERENCES {t}_p (id)")),
        /** BASE with an index on the future foreign key's column: adding the key builds nothing. */
        FK_INDEXED(concat(BASE, "CREATE INDEX i_pid ON {t} (pid)")),
        /** Issue 14's cases: a NOT NULL VARCHAR whose length prefix is already two bytes, and a UNIQUE constraint. */
        NAMED(
                "CREATE TABLE {t} (id INT PRIMARY KEY, name VARCHAR(64) NOT NULL, u INT, CONSTRAINT uk UNIQUE (u))"
                        + " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
                "INSERT INTO {t} VALUES (1, 'a', 1), (2, 'b', 2), (3, 'c', 3)"),
        NO_PK(
                "CREATE TABLE {t} (id INT NOT NULL, a INT) ENGINE=InnoDB",
                "INSERT INTO {t} VALUES (1, 1), (2, 2), (3, 3)"),
        AUTO_INC(
                "CREATE TABLE {t} (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, a INT) ENGINE=InnoDB",
                "INSERT INTO {t} (a) VALUES (1), (2), (3)"),
        GENERATED(
                "CREATE TABLE {t} (id INT PRIMARY KEY, a INT, gs INT AS (a + 1) STORED, gv INT AS (a + 2) VIRTUAL, z INT)"
                        + " ENGINE=InnoDB",
                "INSERT INTO {t} (id, a, z) VALUES (1, 1, 1), (2, 2, 2), (3, 3, 3)"),
        FULLTEXT(
                "CREATE TABLE {t} (id INT PRIMARY KEY, a INT, b VARCHAR(40), c VARCHAR(40), FULLTEXT INDEX f_b (b))"
                        + " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
                "INSERT INTO {t} VALUES (1, 1, 'a', 'a'), (2, 2, 'b', 'b'), (3, 3, 'c', 'c')"),
        UTF8MB3(
                "CREATE TABLE {t} (id INT PRIMARY KEY, b VARCHAR(20), INDEX i_b (b)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb3",
                "INSERT INTO {t} VALUES (1, 'a'), (2, 'b'), (3, 'c')"),
        SIMPLE(
                "CREATE TABLE {t} (id INT PRIMARY KEY, a INT) ENGINE=InnoDB",
                "INSERT INTO {t} VALUES (1, 1), (2, 2), (3, 3)"),
        PARTITIONED(
                "CREATE TABLE {t} (id INT PRIMARY KEY, a INT) ENGINE=InnoDB PARTITION BY RANGE (id)"
                        + " (PARTITION p0 VALUES LESS THAN (10), PARTITION p1 VALUES LESS THAN (20))",
                "INSERT INTO {t} VALUES (1, 1), (11, 11), (12, 12)"),
        /** {@link MariaDbClauseFacts.Fixture#PLAIN}. */
        PLAIN(
                "CREATE TABLE {t} (id INT PRIMARY KEY, a INT, b INT, INDEX i_b (b)) ENGINE=InnoDB",
                "INSERT INTO {t} VALUES (1, 1, 1), (2, 2, 2), (3, 3, 3)");

        final List<String> statements;

        Fixture(String... statements) {
            this.statements = List.of(statements);
        }

        Fixture(List<String> statements) {
            this.statements = statements;
        }

        private static List<String> concat(Fixture base, String more) {
            List<String> all = new ArrayList<>(base.statements);
            all.add(more);
            return all;
        }
    }

    /** How a row's information_schema answer is compared. */
    enum Mode {
        EQUALS,
        CONTAINS,
        NOT_CONTAINS,
        STARTS_WITH,
        ENDS_WITH
    }

    /** A query returning one string, and what it must be after the operation. */
    record Check(String query, Mode mode, String expected) {}

    /**
     * One operation (or several in one statement) on one fixture.
     *
     * @param sql            the statement; {@code {t}} is the table, {@code {clause}} marks a prefix clause
     * @param session        a session setting for the statement (e.g. {@code foreign_key_checks=0}), or null
     * @param algorithmCode  the error for the next stronger algorithm (1064 where no clause is taken), 0 if none
     * @param lockCode       the error for LOCK=NONE when the matrix says no concurrent DML, 0 if not applicable
     */
    record Case(
            String label,
            List<OnlineDdlOperation> ops,
            Fixture fixture,
            StatementKind kind,
            String sql,
            String session,
            Check check,
            int algorithmCode,
            int lockCode) {

        boolean fulltextTable() {
            return fixture == Fixture.FULLTEXT;
        }

        Case relabel(String newLabel) {
            return new Case(newLabel, ops, fixture, kind, sql, session, check, algorithmCode, lockCode);
        }

        Case withOps(String newLabel, List<OnlineDdlOperation> newOps) {
            return new Case(newLabel, newOps, fixture, kind, sql, session, check, algorithmCode, lockCode);
        }

        @Override
        public String toString() {
            String cites =
                    ops.stream().map(OnlineDdlOperation::citation).distinct().collect(Collectors.joining(" + "));
            return label + " — " + cites;
        }
    }

    // ---- the rows ------------------------------------------------------------------------------

    static Stream<Case> cases() {
        String all = "id,a,b,n,nn,e,v,w,k,pid,g";
        return Stream.of(
                alter(ADD_INDEX, "ADD INDEX i_a (a)", indexes(Mode.CONTAINS, "i_a:BTREE"), E1846, 0),
                row(
                        "ADD_INDEX (CREATE INDEX)",
                        List.of(ADD_INDEX),
                        Fixture.BASE,
                        StatementKind.CREATE_INDEX,
                        "CREATE INDEX i_a ON {t} (a)",
                        null,
                        indexes(Mode.CONTAINS, "i_a:BTREE"),
                        E1846,
                        0),
                alter(ADD_INDEX, "ADD UNIQUE INDEX u_k (k)", indexes(Mode.CONTAINS, "u_k:BTREE"), E1846, 0)
                        .relabel("ADD_INDEX (UNIQUE)"),
                alter(DROP_INDEX, "DROP INDEX i_b", indexes(Mode.NOT_CONTAINS, "i_b:"), E1846, 0),
                row(
                        "DROP_INDEX (DROP INDEX … ON)",
                        List.of(DROP_INDEX),
                        Fixture.BASE,
                        StatementKind.DROP_INDEX,
                        "DROP INDEX i_b ON {t}",
                        null,
                        indexes(Mode.NOT_CONTAINS, "i_b:"),
                        E1064,
                        0),
                alter(RENAME_INDEX, "RENAME INDEX i_b TO i_b2", indexes(Mode.CONTAINS, "i_b2:BTREE"), 0, 0),
                alter(
                        ADD_FULLTEXT_INDEX,
                        "ADD FULLTEXT INDEX f_b (b)",
                        indexes(Mode.CONTAINS, "f_b:FULLTEXT"),
                        E1845,
                        E1846),
                alter(
                        ADD_SPATIAL_INDEX,
                        "ADD SPATIAL INDEX s_g (g)",
                        indexes(Mode.CONTAINS, "s_g:SPATIAL"),
                        E1846,
                        E1846),
                on(Fixture.NO_PK, ADD_PRIMARY_KEY, "ADD PRIMARY KEY (id)", primaryKey("id"), E1845, 0),
                alter(DROP_PRIMARY_KEY, "DROP PRIMARY KEY", primaryKey("-"), E1846, E1846),
                alter(
                        DROP_PRIMARY_KEY_ADD_PRIMARY_KEY,
                        "DROP PRIMARY KEY, ADD PRIMARY KEY (k)",
                        primaryKey("k"),
                        E1845,
                        0),
                alter(ADD_COLUMN_LAST, "ADD COLUMN z INT", columns(Mode.EQUALS, all + ",z"), 0, 0),
                alter(
                                ADD_COLUMN_FIRST_OR_AFTER,
                                "ADD COLUMN z INT AFTER id",
                                columns(Mode.EQUALS, "id,z,a,b,n,nn,e,v,w,k,pid,g"),
                                0,
                                0)
                        .relabel("ADD_COLUMN_FIRST_OR_AFTER (AFTER)"),
                alter(ADD_COLUMN_FIRST_OR_AFTER, "ADD COLUMN z INT FIRST", columns(Mode.EQUALS, "z," + all), 0, 0)
                        .relabel("ADD_COLUMN_FIRST_OR_AFTER (FIRST)"),
                alter(
                        ADD_COLUMN_ROW_DEFAULT,
                        "ADD COLUMN u CHAR(36) NOT NULL DEFAULT (UUID())",
                        column("u", "DATA_TYPE", "char"),
                        E1845,
                        E1846),
                alter(
                        ADD_AUTO_INCREMENT_COLUMN,
                        "ADD COLUMN ai BIGINT NOT NULL AUTO_INCREMENT UNIQUE",
                        column("ai", "EXTRA", "auto_increment"),
                        E1845,
                        E1846),
                alter(DROP_COLUMN, "DROP COLUMN w", columns(Mode.EQUALS, "id,a,b,n,nn,e,v,k,pid,g"), 0, 0),
                alter(RENAME_COLUMN, "RENAME COLUMN b TO b2", columns(Mode.EQUALS, "id,a,b2,n,nn,e,v,w,k,pid,g"), 0, 0),
                alter(
                                RENAME_COLUMN,
                                "CHANGE b b2 VARCHAR(40)",
                                columns(Mode.EQUALS, "id,a,b2,n,nn,e,v,w,k,pid,g"),
                                0,
                                0)
                        .relabel("RENAME_COLUMN (CHANGE)"),
                alter(
                        REORDER_COLUMN,
                        "MODIFY w VARCHAR(40) AFTER id",
                        columns(Mode.EQUALS, "id,w,a,b,n,nn,e,v,k,pid,g"),
                        0,
                        0),
                alter(CHANGE_COLUMN_TYPE, "MODIFY a BIGINT", column("a", "COLUMN_TYPE", "bigint(20)"), E1846, E1846),
                alter(
                        EXTEND_VARCHAR_SAME_LENGTH_PREFIX,
                        "MODIFY v VARCHAR(60)",
                        column("v", "COLUMN_TYPE", "varchar(60)"),
                        0,
                        0),
                alter(
                        EXTEND_VARCHAR_LONGER_LENGTH_PREFIX,
                        "MODIFY w VARCHAR(100)",
                        column("w", "COLUMN_TYPE", "varchar(100)"),
                        E1846,
                        E1846),
                alter(
                        EXTEND_VARCHAR_LONGER_LENGTH_PREFIX_FROM_SHORT,
                        "MODIFY v VARCHAR(100)",
                        column("v", "COLUMN_TYPE", "varchar(100)"),
                        0,
                        0),
                alter(SET_COLUMN_DEFAULT, "ALTER COLUMN a SET DEFAULT 5", column("a", "COLUMN_DEFAULT", "5"), 0, 0),
                alter(
                        DROP_COLUMN_DEFAULT,
                        "ALTER COLUMN nn DROP DEFAULT",
                        column("nn", "COLUMN_DEFAULT", "NULL"),
                        0,
                        0),
                on(
                        Fixture.AUTO_INC,
                        SET_AUTO_INCREMENT_VALUE,
                        "AUTO_INCREMENT = 100",
                        table("AUTO_INCREMENT", "100"),
                        0,
                        0),
                alter(MAKE_COLUMN_NULL, "MODIFY nn INT NULL DEFAULT 0", column("nn", "IS_NULLABLE", "YES"), E1845, 0),
                alter(MAKE_COLUMN_NOT_NULL, "MODIFY n INT NOT NULL", column("n", "IS_NULLABLE", "NO"), E1845, 0),
                // A MODIFY that restates type and nullability and changes only the default (issue 14).
                alter(
                                SET_COLUMN_DEFAULT,
                                "MODIFY COLUMN nn INT NOT NULL DEFAULT 9",
                                column("nn", "COLUMN_DEFAULT", "9"),
                                0,
                                0)
                        .relabel("SET_COLUMN_DEFAULT (MODIFY restating the column)"),
                alter(
                        CHANGE_COLUMN_COLLATION,
                        "MODIFY v VARCHAR(10) COLLATE utf8mb4_bin",
                        column("v", "COLLATION_NAME", "utf8mb4_bin"),
                        0,
                        0),
                alter(
                        CHANGE_INDEXED_COLUMN_COLLATION,
                        "MODIFY b VARCHAR(40) COLLATE utf8mb4_bin",
                        column("b", "COLLATION_NAME", "utf8mb4_bin"),
                        E1846,
                        0),
                on(Fixture.NAMED, null, "MODIFY name VARCHAR(128)", column("name", "IS_NULLABLE", "YES"), E1845, 0)
                        .withOps(
                                "EXTEND_VARCHAR_SAME_LENGTH_PREFIX + MAKE_COLUMN_NULL (MODIFY drops NOT NULL)",
                                List.of(EXTEND_VARCHAR_SAME_LENGTH_PREFIX, MAKE_COLUMN_NULL)),
                on(Fixture.NAMED, DROP_INDEX, "DROP CONSTRAINT uk", constraints(Mode.NOT_CONTAINS, "uk:"), E1846, 0)
                        .relabel("DROP_INDEX (DROP CONSTRAINT of a UNIQUE key)"),
                alter(
                        ENUM_SET_APPEND_VALUES,
                        "MODIFY e ENUM('x','y','z')",
                        column("e", "COLUMN_TYPE", "enum('x','y','z')"),
                        0,
                        0),
                alter(
                        ENUM_SET_INSERT_VALUES_MIDDLE,
                        "MODIFY e ENUM('x','z','y')",
                        column("e", "COLUMN_TYPE", "enum('x','z','y')"),
                        E1846,
                        E1846),
                alter(
                        ADD_STORED_GENERATED_COLUMN,
                        "ADD COLUMN gs2 INT AS (a * 2) STORED",
                        column("gs2", "EXTRA", "STORED GENERATED"),
                        E1845,
                        E1846),
                on(
                        Fixture.GENERATED,
                        MODIFY_STORED_COLUMN_ORDER,
                        "MODIFY gs INT AS (a + 1) STORED FIRST",
                        columns(Mode.EQUALS, "gs,id,a,gv,z"),
                        E1845,
                        E1846),
                on(
                        Fixture.GENERATED,
                        DROP_STORED_GENERATED_COLUMN,
                        "DROP COLUMN gs",
                        columns(Mode.EQUALS, "id,a,gv,z"),
                        0,
                        0),
                alter(
                        ADD_VIRTUAL_GENERATED_COLUMN,
                        "ADD COLUMN gv2 INT AS (a * 2) VIRTUAL",
                        column("gv2", "EXTRA", "VIRTUAL GENERATED"),
                        0,
                        0),
                on(
                        Fixture.GENERATED,
                        MODIFY_VIRTUAL_COLUMN_ORDER,
                        "MODIFY gv INT AS (a + 2) VIRTUAL FIRST",
                        columns(Mode.EQUALS, "gv,id,a,gs,z"),
                        E1846,
                        E1846),
                on(
                        Fixture.GENERATED,
                        DROP_VIRTUAL_GENERATED_COLUMN,
                        "DROP COLUMN gv",
                        columns(Mode.EQUALS, "id,a,gs,z"),
                        0,
                        0),
                alter(
                        ADD_FOREIGN_KEY,
                        "ADD CONSTRAINT fk_p FOREIGN KEY (pid) REFERENCES {t}_p (id)",
                        constraints(Mode.CONTAINS, "fk_p:FOREIGN KEY"),
                        E1846,
                        E1846),
                row(
                        "ADD_FOREIGN_KEY_NO_CHECKS",
                        List.of(ADD_FOREIGN_KEY_NO_CHECKS),
                        Fixture.BASE,
                        StatementKind.ALTER_TABLE,
                        "ALTER TABLE {t} ADD CONSTRAINT fk_p FOREIGN KEY (pid) REFERENCES {t}_p (id)",
                        "foreign_key_checks=0",
                        constraints(Mode.CONTAINS, "fk_p:FOREIGN KEY"),
                        E1846,
                        0),
                row(
                        "ADD_FOREIGN_KEY_NO_CHECKS_INDEXED",
                        List.of(ADD_FOREIGN_KEY_NO_CHECKS_INDEXED),
                        Fixture.FK_INDEXED,
                        StatementKind.ALTER_TABLE,
                        "ALTER TABLE {t} ADD CONSTRAINT fk_p FOREIGN KEY (pid) REFERENCES {t}_p (id)",
                        "foreign_key_checks=0",
                        constraints(Mode.CONTAINS, "fk_p:FOREIGN KEY"),
                        0,
                        0),
                on(
                        Fixture.FK_CHILD,
                        DROP_FOREIGN_KEY,
                        "DROP FOREIGN KEY fk_p",
                        constraints(Mode.NOT_CONTAINS, "fk_p"),
                        0,
                        0),
                alter(
                        ADD_CHECK_CONSTRAINT,
                        "ADD CONSTRAINT ck_a CHECK (a > 0)",
                        constraints(Mode.CONTAINS, "ck_a:CHECK"),
                        E1845,
                        E1846),
                alter(DROP_CHECK_CONSTRAINT, "DROP CONSTRAINT ck_nn", constraints(Mode.NOT_CONTAINS, "ck_nn"), 0, 0),
                alter(
                        CHANGE_ROW_FORMAT_OR_KEY_BLOCK_SIZE,
                        "ROW_FORMAT=COMPACT",
                        table("ROW_FORMAT", "Compact"),
                        E1846,
                        0),
                alter(
                                CHANGE_ROW_FORMAT_OR_KEY_BLOCK_SIZE,
                                "KEY_BLOCK_SIZE=4",
                                new Check(tableQuery("CREATE_OPTIONS"), Mode.CONTAINS, "key_block_size=4"),
                                E1845,
                                0)
                        .relabel("CHANGE_ROW_FORMAT_OR_KEY_BLOCK_SIZE (KEY_BLOCK_SIZE)"),
                alter(
                        SET_TABLE_OPTIONS_STATS,
                        "STATS_PERSISTENT=0",
                        new Check(tableQuery("CREATE_OPTIONS"), Mode.CONTAINS, "stats_persistent=0"),
                        0,
                        0),
                alter(
                        SET_TABLE_DEFAULT_CHARACTER_SET,
                        "DEFAULT CHARACTER SET latin1",
                        table("TABLE_COLLATION", "latin1_swedish_ci"),
                        0,
                        0),
                alter(
                        CONVERT_CHARACTER_SET,
                        "CONVERT TO CHARACTER SET utf8mb3",
                        column("b", "CHARACTER_SET_NAME", "utf8mb3"),
                        E1846,
                        E1846),
                on(
                        Fixture.UTF8MB3,
                        CONVERT_CHARACTER_SET_UTF8MB3_TO_UTF8MB4,
                        "CONVERT TO CHARACTER SET utf8mb4",
                        column("b", "CHARACTER_SET_NAME", "utf8mb4"),
                        0,
                        0),
                row(
                        "OPTIMIZE_TABLE",
                        List.of(OPTIMIZE_TABLE),
                        Fixture.BASE,
                        StatementKind.OPTIMIZE_TABLE,
                        "OPTIMIZE TABLE {t}",
                        null,
                        rowCount("3"),
                        E1064,
                        0),
                alter(REBUILD_FORCE, "FORCE", rowCount("3"), E1845, 0),
                alter(REBUILD_FORCE, "ENGINE=InnoDB", rowCount("3"), E1845, 0).relabel("REBUILD_FORCE (ENGINE=InnoDB)"),
                alter(
                        RENAME_TABLE,
                        "RENAME TO {t}_r",
                        new Check(
                                "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '{t}_r'",
                                Mode.EQUALS,
                                "1"),
                        0,
                        E1845),
                row(
                        "PARTITION_BY",
                        List.of(PARTITION_BY),
                        Fixture.SIMPLE,
                        StatementKind.ALTER_TABLE_PARTITIONING,
                        "ALTER TABLE {t} {clause} PARTITION BY HASH (id) PARTITIONS 2",
                        null,
                        partitions("p0,p1"),
                        E1845,
                        E1846),
                maintenance(
                        ADD_PARTITION, "ADD PARTITION (PARTITION p2 VALUES LESS THAN (30))", partitions("p0,p1,p2")),
                maintenance(DROP_PARTITION, "DROP PARTITION p0", partitions("p1")),
                maintenance(TRUNCATE_PARTITION, "TRUNCATE PARTITION p1", rowCount("1")),
                maintenance(
                        REORGANIZE_OR_REPARTITION,
                        "REORGANIZE PARTITION p1 INTO (PARTITION p1a VALUES LESS THAN (15), PARTITION p1b VALUES LESS THAN (20))",
                        partitions("p0,p1a,p1b")),
                row(
                        "REMOVE_PARTITIONING",
                        List.of(REMOVE_PARTITIONING),
                        Fixture.PARTITIONED,
                        StatementKind.ALTER_TABLE_PARTITIONING,
                        "ALTER TABLE {t} {clause} REMOVE PARTITIONING",
                        null,
                        partitions("-"),
                        E1845,
                        E1846),

                // A FULLTEXT index (and its hidden FTS_DOC_ID column) changes the answers.
                on(
                                Fixture.FULLTEXT,
                                ADD_COLUMN_LAST,
                                "ADD COLUMN z INT",
                                columns(Mode.EQUALS, "id,a,b,c,z"),
                                E1845,
                                E1846)
                        .relabel("ADD_COLUMN_LAST on a FULLTEXT table"),
                on(Fixture.FULLTEXT, DROP_COLUMN, "DROP COLUMN a", columns(Mode.EQUALS, "id,b,c"), E1845, E1846)
                        .relabel("DROP_COLUMN on a FULLTEXT table"),
                on(Fixture.FULLTEXT, REBUILD_FORCE, "FORCE", rowCount("3"), E1845, E1846)
                        .relabel("REBUILD_FORCE on a FULLTEXT table"),
                on(
                                Fixture.FULLTEXT,
                                ADD_FULLTEXT_INDEX,
                                "ADD FULLTEXT INDEX f_c (c)",
                                indexes(Mode.CONTAINS, "f_c:FULLTEXT"),
                                E1846,
                                E1846)
                        .relabel("ADD_FULLTEXT_INDEX on a FULLTEXT table"),

                // Several operations in one statement: the weakest decides, and some pairs are weaker still.
                combined(
                        List.of(ADD_COLUMN_LAST, ADD_INDEX),
                        "ADD COLUMN z INT, ADD INDEX i_a (a)",
                        columns(Mode.EQUALS, all + ",z"),
                        E1845,
                        0),
                combined(
                        List.of(DROP_COLUMN, ADD_INDEX),
                        "DROP COLUMN w, ADD INDEX i_a (a)",
                        indexes(Mode.CONTAINS, "i_a:BTREE"),
                        E1845,
                        0),
                combined(
                        List.of(ADD_COLUMN_LAST, DROP_INDEX),
                        "ADD COLUMN z INT, DROP INDEX i_b",
                        columns(Mode.EQUALS, all + ",z"),
                        E1846,
                        0),
                combined(
                        List.of(RENAME_COLUMN, ADD_INDEX),
                        "RENAME COLUMN b TO b2, ADD INDEX i_a (a)",
                        indexes(Mode.CONTAINS, "i_a:BTREE"),
                        E1846,
                        0),
                combined(
                        List.of(ADD_COLUMN_LAST, SET_COLUMN_DEFAULT),
                        "ADD COLUMN z INT, ALTER COLUMN a SET DEFAULT 3",
                        column("a", "COLUMN_DEFAULT", "3"),
                        0,
                        0),
                combined(
                        List.of(ADD_VIRTUAL_GENERATED_COLUMN, ADD_COLUMN_LAST),
                        "ADD COLUMN gv2 INT AS (a * 2) VIRTUAL, ADD COLUMN z INT",
                        columns(Mode.EQUALS, all + ",gv2,z"),
                        E1846,
                        E1846));
    }

    // ---- the measurement -----------------------------------------------------------------------

    private static Connection db;
    private static int version;
    private String t;

    @BeforeAll
    static void connect() throws SQLException {
        db = TestDatabases.mariadb();
        String v = query("SELECT VERSION()");
        assertThat(OnlineDdlMatrix.flavourOf(v, query("SELECT @@version_comment")))
                .isEqualTo(Flavour.MARIADB);
        version = OnlineDdlMatrix.parseVersion(v);
        String mode = query("SELECT @@SESSION.sql_mode");
        if (!mode.contains("STRICT_TRANS_TABLES")) {
            // ADD PRIMARY KEY and NOT NULL in place need strict mode (manual and KB agree).
            exec("SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, ',STRICT_TRANS_TABLES')");
        }
        try {
            exec("SET SESSION alter_algorithm = DEFAULT"); // a non-default value would change what a bare ALTER does
        } catch (SQLException ignored) {
            // gone in a later version: nothing to reset
        }
        System.out.println("MariaDbOnlineDdlMatrixTest on " + v + " (" + version + ")");
    }

    @AfterAll
    static void disconnect() throws SQLException {
        if (db != null) {
            db.close();
        }
    }

    @BeforeEach
    void name() {
        t = "ddlguard_odm_" + Long.toHexString(System.nanoTime());
    }

    @AfterEach
    void dropScratch() throws SQLException {
        if (db != null && t != null) {
            dropAll();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void strongestClauseIsAcceptedAndTheNextStrongerRefused(Case c) throws SQLException {
        Support s = OnlineDdlCombination.combine(Flavour.MARIADB, version, c.ops(), c.fulltextTable());
        Placement placement = MySqlClauses.placement(c.kind(), Flavour.MARIADB);
        List<String> report = new ArrayList<>();

        // 1. The strongest explicit clause the matrix claims.
        String explicit = explicit(s.algorithm(), s.lock());
        String accepted = statement(c, explicit);
        fresh(c.fixture());
        long copied = run(c, accepted);
        assertThat(ask(c.check().query()))
                .as("%s: end state after %s", c.label(), accepted)
                .satisfies(actual -> compare(c.check(), actual));
        if (c.kind() != StatementKind.OPTIMIZE_TABLE) {
            assertThat(copied > 0)
                    .as("%s: rows affected %d after %s; the matrix says %s", c.label(), copied, accepted, s)
                    .isEqualTo(s.algorithm() == Algorithm.COPY);
        }
        report.add("accepted: " + (placement == Placement.NONE ? "(no clause)" : explicit)
                + (copied > 0 ? " [" + copied + " rows copied]" : ""));

        // 2. The clause the guard would append, where it differs from the explicit pair.
        String rewrite = OnlineDdlMatrix.clause(Flavour.MARIADB, s);
        if (rewrite != null && (!rewrite.equals(explicit) || placement == Placement.NONE)) {
            String sql;
            if (placement != Placement.NONE) {
                sql = statement(c, rewrite);
            } else if (c.kind() == StatementKind.DROP_INDEX) {
                sql = MySqlClauses.dropIndex(Flavour.MARIADB, "i_b", t, rewrite);
                assertThat(sql).isEqualTo("ALTER TABLE " + t + " DROP INDEX i_b, " + rewrite);
            } else {
                sql = null; // the statement takes no clause: the rule can only judge, not guarantee
            }
            if (sql != null) {
                fresh(c.fixture());
                run(c, sql);
                assertThat(ask(c.check().query()))
                        .as("%s: end state after the guard's rewrite %s", c.label(), sql)
                        .satisfies(actual -> compare(c.check(), actual));
                report.add("rewrite: " + sql.replace(t, "t"));
            }
        }

        // 3. The next stronger guarantees are refused.
        if (placement == Placement.NONE) {
            assertThat(c.algorithmCode())
                    .as("%s takes no clause: any clause is a syntax error", c.label())
                    .isEqualTo(E1064);
            String withClause = c.sql().replace("{t}", t) + ", " + explicit;
            report.add(refused(c, withClause, E1064));
        } else {
            Algorithm stronger = stronger(s.algorithm());
            assertThat(c.algorithmCode() != 0)
                    .as("%s: a refusal code is recorded exactly when a stronger algorithm exists (%s)", c.label(), s)
                    .isEqualTo(stronger != null);
            if (stronger != null) {
                report.add(refused(c, statement(c, explicit(stronger, s.lock())), c.algorithmCode()));
            }
            assertThat(c.lockCode() != 0)
                    .as(
                            "%s: a LOCK=NONE refusal code is recorded exactly when the matrix says no"
                                    + " concurrent DML (%s)",
                            c.label(), s)
                    .isEqualTo(!s.concurrentDml());
            if (!s.concurrentDml()) {
                report.add(refused(c, statement(c, explicit(s.algorithm(), Lock.NONE)), c.lockCode()));
            }
        }
        System.out.println("| " + c.label() + " | " + String.join(" | ", report) + " |");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("syntaxFacts")
    void clausePlacementFacts(SyntaxFact fact) throws SQLException {
        fresh(fact.fixture() == MariaDbClauseFacts.Fixture.PLAIN ? Fixture.PLAIN : Fixture.PARTITIONED);
        String sql = fact.sql(t);
        try (Statement st = db.createStatement()) {
            st.execute(sql);
            int count = st.getUpdateCount();
            if (!fact.accepted()) {
                fail("expected ERROR %d, but the server accepted: %s", fact.errorCode(), sql);
            }
            if (fact.rowsAffected() >= 0) {
                assertThat(count).as("rows affected by %s", sql).isEqualTo(fact.rowsAffected());
            }
        } catch (SQLException e) {
            if (fact.accepted()) {
                throw new AssertionError("expected the server to accept " + sql + ": " + e.getMessage(), e);
            }
            assertThat(e.getErrorCode())
                    .as("%s refused with %s", sql, e.getMessage())
                    .isEqualTo(fact.errorCode());
        }
    }

    static Stream<SyntaxFact> syntaxFacts() {
        return MariaDbClauseFacts.ALL.stream();
    }

    /** Every operation of the enum has at least one row here: the matrix has no unproven MariaDB row. */
    @Test
    void everyOperationIsMeasured() {
        Set<OnlineDdlOperation> measured = EnumSet.noneOf(OnlineDdlOperation.class);
        cases().forEach(c -> measured.addAll(c.ops()));
        assertThat(EnumSet.complementOf(EnumSet.copyOf(measured))).isEmpty();
    }

    // ---- helpers -------------------------------------------------------------------------------

    private String refused(Case c, String sql, int expectedCode) throws SQLException {
        fresh(c.fixture());
        try {
            run(c, sql);
        } catch (SQLException e) {
            if (isMeasuredVersion()) {
                assertThat(e.getErrorCode())
                        .as("%s: %s refused with: %s", c.label(), sql, e.getMessage())
                        .isEqualTo(expectedCode);
            } else {
                assertThat(e.getErrorCode())
                        .as("%s: %s", c.label(), e.getMessage())
                        .isIn(E1064, E1845, E1846);
            }
            return "refused: " + sql.replace(t, "t").replaceFirst("^.*?(ALGORITHM=)", "$1") + " → " + e.getErrorCode();
        }
        return fail(
                "%s: expected the server to refuse %s (ERROR %d), but it was accepted", c.label(), sql, expectedCode);
    }

    /** The codes were recorded on 10.11; other versions only have to refuse. */
    private static boolean isMeasuredVersion() {
        return version / 100 == OnlineDdlMatrix.MARIADB_10_11 / 100;
    }

    private String statement(Case c, String clause) {
        String sql = c.sql().replace("{t}", t);
        if (sql.contains("{clause}")) {
            return sql.replace("{clause}", MySqlClauses.render(c.kind(), Flavour.MARIADB, clause));
        }
        if (!MySqlClauses.acceptsClause(c.kind(), Flavour.MARIADB)) {
            return sql;
        }
        return MySqlClauses.append(c.kind(), Flavour.MARIADB, sql, clause);
    }

    /** Runs one statement of a row (with its session setting) and returns the rows it reports affected. */
    private static long run(Case c, String sql) throws SQLException {
        if (c.session() != null) {
            exec("SET SESSION " + c.session());
        }
        try (Statement st = db.createStatement()) {
            if (st.execute(sql)) {
                // OPTIMIZE TABLE reports failure as a result row, not as an exception.
                try (ResultSet rs = st.getResultSet()) {
                    while (rs.next()) {
                        if ("error".equalsIgnoreCase(rs.getString("Msg_type"))) {
                            throw new SQLException(rs.getString("Msg_text"));
                        }
                    }
                }
                return 0;
            }
            return st.getUpdateCount();
        } finally {
            if (c.session() != null) {
                exec("SET SESSION " + c.session().replaceFirst("=.*", "= DEFAULT"));
            }
        }
    }

    private void fresh(Fixture fixture) throws SQLException {
        dropAll();
        for (String s : fixture.statements) {
            exec(s.replace("{t}", t));
        }
    }

    private void dropAll() throws SQLException {
        exec("SET SESSION foreign_key_checks = 0");
        try {
            exec("DROP TABLE IF EXISTS " + t + ", " + t + "_r, " + t + "_p");
        } finally {
            exec("SET SESSION foreign_key_checks = DEFAULT");
        }
    }

    private static String explicit(Algorithm a, Lock l) {
        return "ALGORITHM=" + a + ", LOCK=" + l;
    }

    private static Algorithm stronger(Algorithm a) {
        return a == Algorithm.INSTANT ? null : Algorithm.values()[a.ordinal() - 1];
    }

    private static void compare(Check check, String actual) {
        switch (check.mode()) {
            case EQUALS -> assertThat(actual).isEqualTo(check.expected());
            case CONTAINS -> assertThat(actual).contains(check.expected());
            case NOT_CONTAINS -> assertThat(actual).doesNotContain(check.expected());
            case STARTS_WITH -> assertThat(actual).startsWith(check.expected());
            case ENDS_WITH -> assertThat(actual).endsWith(check.expected());
        }
    }

    /** A check query for this row's table. */
    private String ask(String sql) throws SQLException {
        return query(sql.replace("{t}", t));
    }

    private static String query(String sql) throws SQLException {
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? String.valueOf(rs.getString(1)) : "(no row)";
        }
    }

    private static void exec(String sql) throws SQLException {
        try (Statement st = db.createStatement()) {
            st.execute(sql);
        }
    }

    // ---- row builders --------------------------------------------------------------------------

    private static Case row(
            String label,
            List<OnlineDdlOperation> ops,
            Fixture f,
            StatementKind kind,
            String sql,
            String session,
            Check check,
            int algorithmCode,
            int lockCode) {
        return new Case(label, ops, f, kind, sql, session, check, algorithmCode, lockCode);
    }

    private static Case alter(OnlineDdlOperation op, String spec, Check check, int algorithmCode, int lockCode) {
        return on(Fixture.BASE, op, spec, check, algorithmCode, lockCode);
    }

    private static Case on(
            Fixture f, OnlineDdlOperation op, String spec, Check check, int algorithmCode, int lockCode) {
        return row(
                op == null ? spec : op.name(),
                op == null ? List.of() : List.of(op),
                f,
                StatementKind.ALTER_TABLE,
                "ALTER TABLE {t} " + spec,
                null,
                check,
                algorithmCode,
                lockCode);
    }

    private static Case maintenance(OnlineDdlOperation op, String spec, Check check) {
        return row(
                op.name(),
                List.of(op),
                Fixture.PARTITIONED,
                StatementKind.ALTER_TABLE_PARTITION_MAINTENANCE,
                "ALTER TABLE {t} " + spec,
                null,
                check,
                E1064,
                0);
    }

    private static Case combined(
            List<OnlineDdlOperation> ops, String spec, Check check, int algorithmCode, int lockCode) {
        String label = ops.stream().map(Enum::name).collect(Collectors.joining(" + "));
        return row(
                label,
                ops,
                Fixture.BASE,
                StatementKind.ALTER_TABLE,
                "ALTER TABLE {t} " + spec,
                null,
                check,
                algorithmCode,
                lockCode);
    }

    private static final String WHERE = " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '{t}'";

    private static Check columns(Mode mode, String expected) {
        return new Check(
                "SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY ORDINAL_POSITION) FROM information_schema.COLUMNS" + WHERE,
                mode,
                expected);
    }

    private static Check column(String name, String attribute, String expected) {
        return new Check(
                "SELECT IFNULL(" + attribute + ", 'NULL') FROM information_schema.COLUMNS" + WHERE
                        + " AND COLUMN_NAME = '" + name + "'",
                Mode.EQUALS,
                expected);
    }

    private static Check indexes(Mode mode, String expected) {
        return new Check(
                "SELECT IFNULL(GROUP_CONCAT(DISTINCT CONCAT(INDEX_NAME, ':', INDEX_TYPE) ORDER BY INDEX_NAME), '-')"
                        + " FROM information_schema.STATISTICS" + WHERE,
                mode,
                expected);
    }

    private static Check primaryKey(String expected) {
        return new Check(
                "SELECT IFNULL(GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX), '-') FROM information_schema.STATISTICS"
                        + WHERE + " AND INDEX_NAME = 'PRIMARY'",
                Mode.EQUALS,
                expected);
    }

    private static Check constraints(Mode mode, String expected) {
        return new Check(
                "SELECT IFNULL(GROUP_CONCAT(CONCAT(CONSTRAINT_NAME, ':', CONSTRAINT_TYPE) ORDER BY CONSTRAINT_NAME), '-')"
                        + " FROM information_schema.TABLE_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = '{t}'",
                mode,
                expected);
    }

    private static String tableQuery(String attribute) {
        return "SELECT IFNULL(CAST(" + attribute + " AS CHAR), 'NULL') FROM information_schema.TABLES" + WHERE;
    }

    private static Check table(String attribute, String expected) {
        return new Check(tableQuery(attribute), Mode.EQUALS, expected);
    }

    private static Check partitions(String expected) {
        return new Check(
                "SELECT GROUP_CONCAT(IFNULL(PARTITION_NAME, '-') ORDER BY PARTITION_ORDINAL_POSITION)"
                        + " FROM information_schema.PARTITIONS" + WHERE,
                Mode.EQUALS,
                expected);
    }

    private static Check rowCount(String expected) {
        return new Check("SELECT COUNT(*) FROM {t}", Mode.EQUALS, expected);
    }
}
