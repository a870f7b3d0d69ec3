package dev.ddlguard.dialect.mysql;

import static dev.ddlguard.dialect.mysql.MySqlClauses.ER_ALTER_OPERATION_NOT_SUPPORTED;
import static dev.ddlguard.dialect.mysql.MySqlClauses.ER_ALTER_OPERATION_NOT_SUPPORTED_REASON;
import static dev.ddlguard.dialect.mysql.MySqlClauses.ER_PARSE_ERROR;

import java.util.List;

/**
 * What MariaDB 10.11 answered to ALGORITHM/LOCK clauses placed one way or another: the measurements behind
 * {@link MySqlClauses}' placements, each with the lesson a rule writer should take from it, replayed on the
 * real server by {@code MariaDbOnlineDdlMatrixTest}.
 */
public final class MariaDbClauseFacts {

    private MariaDbClauseFacts() {}

    /** The scratch table a {@link SyntaxFact} runs on. */
    public enum Fixture {
        /** {@code (id INT PRIMARY KEY, a INT, b INT, INDEX i_b (b))}, three rows. */
        PLAIN,
        /** {@code (id INT PRIMARY KEY, a INT) PARTITION BY RANGE (id) (p0 < 10, p1 < 20)}, rows 1, 11, 12. */
        PARTITIONED
    }

    /**
     * One statement and what MariaDB 10.11 answered.
     *
     * @param sql          the statement; {@code {t}} stands for the scratch table's name
     * @param errorCode    0 when accepted, else the error code
     * @param rowsAffected the update count when accepted and it matters (rows copied), else -1
     * @param lesson       what a rule writer should take from it
     */
    public record SyntaxFact(Fixture fixture, String sql, int errorCode, int rowsAffected, String lesson) {

        /** The statement for a scratch table. */
        public String sql(String table) {
            return sql.replace("{t}", table);
        }

        /** Whether the server accepts the statement. */
        public boolean accepted() {
            return errorCode == 0;
        }

        @Override
        public String toString() {
            return sql + " -> " + (accepted() ? "accepted" : "ERROR " + errorCode);
        }
    }

    private static SyntaxFact ok(Fixture f, String sql, String lesson) {
        return new SyntaxFact(f, sql, 0, -1, lesson);
    }

    private static SyntaxFact copies(Fixture f, String sql, int rows, String lesson) {
        return new SyntaxFact(f, sql, 0, rows, lesson);
    }

    private static SyntaxFact error(Fixture f, int code, String sql, String lesson) {
        return new SyntaxFact(f, sql, code, -1, lesson);
    }

    /** Clause placement and refusal facts, measured on MariaDB 10.11.19 (proven by {@code MariaDbOnlineDdlMatrixTest}). */
    public static final List<SyntaxFact> ALL = List.of(
            ok(
                    Fixture.PLAIN,
                    "CREATE INDEX i_a ON {t} (a) ALGORITHM=NOCOPY LOCK=NONE",
                    "CREATE INDEX takes ALGORITHM and LOCK at the end without commas."),
            ok(
                    Fixture.PLAIN,
                    "CREATE INDEX i_a ON {t} (a) LOCK=NONE ALGORITHM=NOCOPY",
                    "CREATE INDEX takes the two options in either order."),
            error(
                    Fixture.PLAIN,
                    ER_PARSE_ERROR,
                    "CREATE INDEX i_a ON {t} (a) ALGORITHM=NOCOPY, LOCK=NONE",
                    "A comma between the options of CREATE INDEX is a syntax error."),
            error(
                    Fixture.PLAIN,
                    ER_PARSE_ERROR,
                    "CREATE INDEX i_a ON {t} (a), ALGORITHM=NOCOPY, LOCK=NONE",
                    "The ALTER TABLE spelling is a syntax error on CREATE INDEX."),
            error(
                    Fixture.PLAIN,
                    ER_ALTER_OPERATION_NOT_SUPPORTED_REASON,
                    "CREATE INDEX i_a ON {t} (a) ALGORITHM=INSTANT LOCK=NONE",
                    "Building an index is never INSTANT (\"Try ALGORITHM=NOCOPY\")."),
            error(
                    Fixture.PLAIN,
                    ER_PARSE_ERROR,
                    "DROP INDEX i_b ON {t} ALGORITHM=NOCOPY LOCK=NONE",
                    "MariaDB's DROP INDEX takes no clause: rewrite it as ALTER TABLE … DROP INDEX."),
            error(Fixture.PLAIN, ER_PARSE_ERROR, "DROP INDEX i_b ON {t} LOCK=NONE", "Not even LOCK alone."),
            ok(Fixture.PLAIN, "DROP INDEX i_b ON {t}", "The bare statement (NOCOPY by default, no guarantee asked)."),
            ok(
                    Fixture.PLAIN,
                    "ALTER TABLE {t} DROP INDEX i_b, ALGORITHM=NOCOPY, LOCK=NONE",
                    "The ALTER TABLE form of DROP INDEX takes the clause."),
            ok(
                    Fixture.PLAIN,
                    "ALTER TABLE {t} ALGORITHM=NOCOPY, LOCK=NONE, ADD INDEX i_a (a)",
                    "ALTER TABLE also takes the clause first, followed by a comma."),
            error(
                    Fixture.PLAIN,
                    ER_PARSE_ERROR,
                    "ALTER TABLE {t} ADD INDEX i_a (a) ALGORITHM=NOCOPY LOCK=NONE",
                    "ALTER TABLE needs the commas."),
            error(
                    Fixture.PLAIN,
                    ER_PARSE_ERROR,
                    "ALTER TABLE {t} ADD INDEX i_a (a), ALGORITHM=NOCOPY LOCK=NONE",
                    "Both commas."),
            error(
                    Fixture.PLAIN,
                    ER_PARSE_ERROR,
                    "OPTIMIZE TABLE {t} ALGORITHM=INPLACE, LOCK=NONE",
                    "OPTIMIZE TABLE takes no clause."),
            error(Fixture.PLAIN, ER_PARSE_ERROR, "OPTIMIZE TABLE {t} LOCK=NONE", "OPTIMIZE TABLE takes no clause."),
            error(Fixture.PLAIN, ER_PARSE_ERROR, "TRUNCATE TABLE {t} ALGORITHM=COPY", "TRUNCATE takes no clause."),
            error(Fixture.PLAIN, ER_PARSE_ERROR, "TRUNCATE TABLE {t} LOCK=NONE", "TRUNCATE takes no clause."),
            error(
                    Fixture.PLAIN,
                    ER_PARSE_ERROR,
                    "RENAME TABLE {t} TO {t}_r ALGORITHM=INSTANT",
                    "RENAME TABLE takes no clause."),
            error(
                    Fixture.PLAIN,
                    ER_PARSE_ERROR,
                    "RENAME TABLE {t} TO {t}_r, ALGORITHM=INSTANT",
                    "Not after a comma either."),
            error(
                    Fixture.PLAIN,
                    ER_PARSE_ERROR,
                    "RENAME TABLE {t} TO {t}_r LOCK=NONE",
                    "RENAME TABLE takes no clause."),
            error(
                    Fixture.PLAIN,
                    ER_ALTER_OPERATION_NOT_SUPPORTED,
                    "ALTER TABLE {t} RENAME TO {t}_r, LOCK=NONE",
                    "ALTER TABLE … RENAME TO refuses LOCK=NONE (\"Try LOCK=EXCLUSIVE\")."),
            error(
                    Fixture.PLAIN,
                    ER_ALTER_OPERATION_NOT_SUPPORTED,
                    "ALTER TABLE {t} RENAME TO {t}_r, ALGORITHM=INSTANT, LOCK=NONE",
                    "… even with ALGORITHM=INSTANT."),
            ok(
                    Fixture.PLAIN,
                    "ALTER TABLE {t} RENAME TO {t}_r, ALGORITHM=INSTANT",
                    "ALGORITHM=INSTANT alone is accepted for a rename."),
            error(
                    Fixture.PLAIN,
                    ER_PARSE_ERROR,
                    "ALTER TABLE {t} ADD CONSTRAINT ck_a CHECK (a > 0), DROP CHECK ck_a",
                    "MariaDB has no DROP CHECK (MySQL's spelling): it is DROP CONSTRAINT."),
            ok(Fixture.PLAIN, "ALTER ONLINE TABLE {t} ADD INDEX i_a (a)", "ALTER ONLINE TABLE is LOCK=NONE."),
            error(
                    Fixture.PLAIN,
                    ER_ALTER_OPERATION_NOT_SUPPORTED_REASON,
                    "ALTER ONLINE TABLE {t} MODIFY a BIGINT",
                    "ALTER ONLINE TABLE refuses what cannot run with concurrent DML."),
            error(
                    Fixture.PLAIN,
                    ER_ALTER_OPERATION_NOT_SUPPORTED_REASON,
                    "ALTER TABLE {t} MODIFY a BIGINT, ALGORITHM=COPY, LOCK=NONE",
                    "Before 11.2 ALGORITHM=COPY refuses LOCK=NONE (\"COPY algorithm requires a lock\")."),
            ok(
                    Fixture.PLAIN,
                    "ALTER TABLE {t} ALGORITHM=INSTANT, LOCK=NONE",
                    "An ALTER with nothing but the clause is accepted (a no-op)."),
            error(
                    Fixture.PARTITIONED,
                    ER_PARSE_ERROR,
                    "ALTER TABLE {t} ADD PARTITION (PARTITION p2 VALUES LESS THAN (30)), ALGORITHM=INPLACE, LOCK=NONE",
                    "Partition maintenance takes no clause as a suffix…"),
            error(
                    Fixture.PARTITIONED,
                    ER_PARSE_ERROR,
                    "ALTER TABLE {t} ALGORITHM=INPLACE, LOCK=NONE, ADD PARTITION (PARTITION p2 VALUES LESS THAN (30))",
                    "… nor as a prefix with a comma (MySQL's form)…"),
            error(
                    Fixture.PARTITIONED,
                    ER_PARSE_ERROR,
                    "ALTER TABLE {t} ALGORITHM=INPLACE, LOCK=NONE ADD PARTITION (PARTITION p2 VALUES LESS THAN (30))",
                    "… nor as a prefix without one."),
            error(
                    Fixture.PARTITIONED,
                    ER_PARSE_ERROR,
                    "ALTER TABLE {t} DROP PARTITION p0, ALGORITHM=INPLACE, LOCK=NONE",
                    "DROP PARTITION takes no clause."),
            error(
                    Fixture.PARTITIONED,
                    ER_PARSE_ERROR,
                    "ALTER TABLE {t} ALGORITHM=INPLACE, LOCK=NONE DROP PARTITION p0",
                    "DROP PARTITION takes no clause."),
            error(
                    Fixture.PARTITIONED,
                    ER_PARSE_ERROR,
                    "ALTER TABLE {t} TRUNCATE PARTITION p0, ALGORITHM=INPLACE, LOCK=NONE",
                    "TRUNCATE PARTITION takes no clause."),
            error(
                    Fixture.PARTITIONED,
                    ER_PARSE_ERROR,
                    "ALTER TABLE {t} ALGORITHM=COPY, LOCK=SHARED REORGANIZE PARTITION p1 INTO"
                            + " (PARTITION p1a VALUES LESS THAN (15), PARTITION p1b VALUES LESS THAN (20))",
                    "REORGANIZE PARTITION takes no clause."),
            error(
                    Fixture.PARTITIONED,
                    ER_PARSE_ERROR,
                    "ALTER TABLE {t} ALGORITHM=INPLACE OPTIMIZE PARTITION p0",
                    "OPTIMIZE PARTITION takes no clause."),
            copies(
                    Fixture.PARTITIONED,
                    "ALTER TABLE {t} ALGORITHM=COPY, LOCK=SHARED REMOVE PARTITIONING",
                    3,
                    "REMOVE PARTITIONING takes the clause as a prefix, without a trailing comma."),
            error(
                    Fixture.PARTITIONED,
                    ER_PARSE_ERROR,
                    "ALTER TABLE {t} REMOVE PARTITIONING, ALGORITHM=COPY, LOCK=SHARED",
                    "… never as a suffix."),
            copies(
                    Fixture.PARTITIONED,
                    "ALTER TABLE {t} ALGORITHM=COPY, LOCK=SHARED PARTITION BY HASH (id) PARTITIONS 2",
                    3,
                    "PARTITION BY takes the clause as a prefix."),
            error(
                    Fixture.PARTITIONED,
                    ER_PARSE_ERROR,
                    "ALTER TABLE {t} PARTITION BY HASH (id) PARTITIONS 2, ALGORITHM=COPY",
                    "… never as a suffix."),
            copies(
                    Fixture.PARTITIONED,
                    "ALTER TABLE {t} ALGORITHM=INSTANT REMOVE PARTITIONING",
                    3,
                    "DANGER: INSTANT without LOCK=NONE is accepted on re-partitioning and copies every row."),
            copies(
                    Fixture.PARTITIONED,
                    "ALTER TABLE {t} ALGORITHM=NOCOPY PARTITION BY HASH (id) PARTITIONS 2",
                    3,
                    "DANGER: NOCOPY likewise: accepted, every row copied."),
            error(
                    Fixture.PARTITIONED,
                    ER_ALTER_OPERATION_NOT_SUPPORTED_REASON,
                    "ALTER TABLE {t} ALGORITHM=INSTANT, LOCK=NONE REMOVE PARTITIONING",
                    "With LOCK=NONE the server refuses (\"COPY algorithm requires a lock\"): always pair the algorithm with LOCK=NONE."),
            error(
                    Fixture.PARTITIONED,
                    ER_ALTER_OPERATION_NOT_SUPPORTED,
                    "ALTER TABLE {t} ALGORITHM=INPLACE, LOCK=SHARED PARTITION BY HASH (id) PARTITIONS 2",
                    "Re-partitioning has no in-place path."));
}
