package dev.ddlguard.dialect.mysql;

import dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Flavour;
import dev.ddlguard.rules.StatementWords;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.TokenCursor;
import java.util.Objects;

/**
 * Where an {@code ALGORITHM=…, LOCK=…} clause goes, per statement kind and flavour, and which
 * statements take none. A rewrite the server rejects as a syntax error is a guard bug, and the
 * spelling differs by statement: {@code ALTER TABLE} separates the clause with commas,
 * {@code CREATE INDEX} takes it without commas, {@code PARTITION BY} takes it only before the
 * partitioning clause, and several statements take none at all.
 *
 * <p>MariaDB facts were measured on MariaDB 10.11 ({@link MariaDbClauseFacts}, proven by
 * {@code MariaDbOnlineDdlMatrixTest}). MySQL facts come from the MySQL 8.0 manual (CREATE INDEX,
 * DROP INDEX, ALTER TABLE, "Online DDL Operations") and its grammar ({@code sql/sql_yacc.yy}:
 * {@code standalone_alter_table_action}, {@code opt_alter_table_actions}); no MySQL server was
 * available to verify them.
 *
 * <p>Typical use by a rule: {@code String c = OnlineDdlMatrix.clause(flavour, support);} then, if
 * {@code c != null && acceptsClause(kind, flavour)}, {@code append(kind, flavour, sql, c)} (suffix
 * kinds) or {@code insertBefore(kind, flavour, head, tail, c)} (prefix kinds). For
 * {@code DROP INDEX} on MariaDB, rewrite to {@link #dropIndexAsAlter}.
 */
public final class MySqlClauses {

    private MySqlClauses() {}

    /** ER_PARSE_ERROR: the clause is not valid syntax for this statement. */
    public static final int ER_PARSE_ERROR = 1064;
    /** ER_WRONG_USAGE (MySQL): "Incorrect usage of ALGORITHM=INSTANT and LOCK=…": INSTANT takes no LOCK clause. */
    public static final int ER_WRONG_USAGE = 1221;
    /** ER_ALTER_OPERATION_NOT_SUPPORTED: "ALGORITHM=X is not supported for this operation. Try ALGORITHM=Y". */
    public static final int ER_ALTER_OPERATION_NOT_SUPPORTED = 1845;
    /** ER_ALTER_OPERATION_NOT_SUPPORTED_REASON: "ALGORITHM=X is not supported. Reason: … Try ALGORITHM=Y". */
    public static final int ER_ALTER_OPERATION_NOT_SUPPORTED_REASON = 1846;

    /** True for the two errors with which a server refuses an algorithm or lock it cannot honour. */
    public static boolean isRefusal(int errorCode) {
        return errorCode == ER_ALTER_OPERATION_NOT_SUPPORTED || errorCode == ER_ALTER_OPERATION_NOT_SUPPORTED_REASON;
    }

    /** The statements whose clause syntax differs. */
    public enum StatementKind {
        /** {@code ALTER TABLE t <specifications>}: columns, indexes, constraints, table options, RENAME TO. */
        ALTER_TABLE,
        /** {@code ALTER TABLE t ADD | DROP | TRUNCATE | REORGANIZE | COALESCE | REBUILD | OPTIMIZE … PARTITION …}. */
        ALTER_TABLE_PARTITION_MAINTENANCE,
        /** {@code ALTER TABLE t PARTITION BY …} and {@code ALTER TABLE t REMOVE PARTITIONING}. */
        ALTER_TABLE_PARTITIONING,
        /** {@code CREATE [UNIQUE|FULLTEXT|SPATIAL] INDEX i ON t (…)}. */
        CREATE_INDEX,
        /** {@code DROP INDEX i ON t}. */
        DROP_INDEX,
        /** {@code OPTIMIZE TABLE t}. */
        OPTIMIZE_TABLE,
        /** {@code TRUNCATE [TABLE] t}. */
        TRUNCATE_TABLE,
        /** {@code RENAME TABLE a TO b}. */
        RENAME_TABLE
    }

    /** Where the clause goes in a statement of a kind. */
    public enum Placement {
        /** At the end, after a comma: {@code ALTER TABLE t ADD INDEX i (a), ALGORITHM=NOCOPY, LOCK=NONE}. */
        SUFFIX_AFTER_COMMA,
        /** At the end, without any comma: {@code CREATE INDEX i ON t (a) ALGORITHM=NOCOPY LOCK=NONE}. */
        SUFFIX_NO_COMMA,
        /** After the table name, followed by a comma: {@code ALTER TABLE t ALGORITHM=INPLACE, LOCK=NONE, ADD PARTITION (…)} (MySQL). */
        PREFIX_WITH_COMMA,
        /** After the table name, no comma before the rest: {@code ALTER TABLE t ALGORITHM=COPY, LOCK=SHARED REMOVE PARTITIONING}. */
        PREFIX_NO_COMMA,
        /** The statement takes no ALGORITHM/LOCK at all: any clause is ERROR 1064. */
        NONE
    }

    /** Where {@code kind} takes the clause on {@code flavour}. */
    public static Placement placement(StatementKind kind, Flavour flavour) {
        boolean maria = flavour == Flavour.MARIADB;
        return switch (kind) {
            case ALTER_TABLE -> Placement.SUFFIX_AFTER_COMMA;
            // MariaDB (measured): no position works, suffix or prefix, comma or not: 1064.
            // MySQL (grammar): alter_commands_modifier_list ',' standalone_alter_commands.
            case ALTER_TABLE_PARTITION_MAINTENANCE -> maria ? Placement.NONE : Placement.PREFIX_WITH_COMMA;
            // Both: opt_alter_command_list alter_table_partition_options; a suffix is 1064 (measured on MariaDB).
            case ALTER_TABLE_PARTITIONING -> Placement.PREFIX_NO_COMMA;
            // Both: [algorithm_option | lock_option] … without commas (a comma is 1064, measured on MariaDB).
            case CREATE_INDEX -> Placement.SUFFIX_NO_COMMA;
            // MySQL's DROP INDEX takes the options like CREATE INDEX; MariaDB's takes none (measured: 1064).
            case DROP_INDEX -> maria ? Placement.NONE : Placement.SUFFIX_NO_COMMA;
            // MySQL manual: "ALGORITHM and LOCK syntax is not permitted" for OPTIMIZE; TRUNCATE and
            // RENAME TABLE have no such options in either grammar (measured on MariaDB: 1064).
            case OPTIMIZE_TABLE, TRUNCATE_TABLE, RENAME_TABLE -> Placement.NONE;
        };
    }

    /** Whether statements of {@code kind} take an ALGORITHM/LOCK clause at all on {@code flavour}. */
    public static boolean acceptsClause(StatementKind kind, Flavour flavour) {
        return placement(kind, flavour) != Placement.NONE;
    }

    /**
     * The clause ({@code "ALGORITHM=X, LOCK=Y"} as {@link OnlineDdlMatrix#clause} gives it) spelled
     * for {@code kind}, without the separator before it: {@code "ALGORITHM=X LOCK=Y"} for
     * {@code CREATE INDEX}, {@code "ALGORITHM=X, LOCK=Y,"} for a MySQL partition-maintenance prefix.
     *
     * @throws IllegalArgumentException when the statement takes no clause
     */
    public static String render(StatementKind kind, Flavour flavour, String clause) {
        Objects.requireNonNull(clause, "clause");
        String canonical = clause.trim().replaceAll("\\s*,\\s*", ", ");
        return switch (placement(kind, flavour)) {
            case SUFFIX_AFTER_COMMA, PREFIX_NO_COMMA -> canonical;
            case SUFFIX_NO_COMMA -> canonical.replace(", ", " ");
            case PREFIX_WITH_COMMA -> canonical + ",";
            case NONE -> throw new IllegalArgumentException(kind + " takes no ALGORITHM/LOCK clause on " + flavour);
        };
    }

    /**
     * {@code sql} with the clause appended, for the suffix kinds: {@code ", " + clause} after an
     * ALTER TABLE, {@code " " + clause} (no commas) after a CREATE INDEX. A trailing semicolon is
     * kept at the end.
     *
     * @throws IllegalArgumentException for kinds that take the clause as a prefix or not at all
     */
    public static String append(StatementKind kind, Flavour flavour, String sql, String clause) {
        Placement p = placement(kind, flavour);
        if (p != Placement.SUFFIX_AFTER_COMMA && p != Placement.SUFFIX_NO_COMMA) {
            throw new IllegalArgumentException(
                    kind + " on " + flavour + " takes the clause as " + p + ", not as a suffix");
        }
        String body = sql.stripTrailing();
        String end = "";
        if (body.endsWith(";")) {
            body = body.substring(0, body.length() - 1).stripTrailing();
            end = ";";
        }
        String separator = p == Placement.SUFFIX_AFTER_COMMA ? ", " : " ";
        return body + separator + render(kind, flavour, clause) + end;
    }

    /** {@code ALTER TABLE t ADD INDEX i (a), ALGORITHM=NOCOPY, LOCK=NONE}. */
    public static String forAlterTable(Flavour flavour, String alterTableSql, String clause) {
        return append(StatementKind.ALTER_TABLE, flavour, alterTableSql, clause);
    }

    /** {@code CREATE INDEX i ON t (a) ALGORITHM=NOCOPY LOCK=NONE}: no commas. */
    public static String forCreateIndex(Flavour flavour, String createIndexSql, String clause) {
        return append(StatementKind.CREATE_INDEX, flavour, createIndexSql, clause);
    }

    /**
     * For the prefix kinds: {@code head + " " + clause + " " + tail}, where {@code head} is
     * {@code "ALTER TABLE t"} and {@code tail} the partitioning clause ({@code "REMOVE PARTITIONING"},
     * {@code "PARTITION BY HASH (id) PARTITIONS 4"}, or on MySQL {@code "ADD PARTITION (…)"}).
     */
    public static String insertBefore(StatementKind kind, Flavour flavour, String head, String tail, String clause) {
        Placement p = placement(kind, flavour);
        if (p != Placement.PREFIX_NO_COMMA && p != Placement.PREFIX_WITH_COMMA) {
            throw new IllegalArgumentException(
                    kind + " on " + flavour + " takes the clause as " + p + ", not as a prefix");
        }
        return head.stripTrailing() + " " + render(kind, flavour, clause) + " " + tail.strip();
    }

    /**
     * {@code DROP INDEX i ON t} with a guarantee. MariaDB's DROP INDEX takes no clause (1064), so it
     * becomes {@code ALTER TABLE t DROP INDEX i, clause}; MySQL's takes it without commas.
     * Identifiers are passed as written (quoted if they need quoting).
     */
    public static String dropIndex(Flavour flavour, String index, String table, String clause) {
        if (flavour == Flavour.MARIADB) {
            return dropIndexAsAlter(flavour, index, table, clause);
        }
        return append(StatementKind.DROP_INDEX, flavour, "DROP INDEX " + index + " ON " + table, clause);
    }

    /** {@code ALTER TABLE t DROP INDEX i, clause}: the form of DROP INDEX that takes a clause on both servers. */
    public static String dropIndexAsAlter(Flavour flavour, String index, String table, String clause) {
        return append(StatementKind.ALTER_TABLE, flavour, "ALTER TABLE " + table + " DROP INDEX " + index, clause);
    }

    /**
     * MariaDB's WAIT n | NOWAIT of a DROP INDEX, which its ALTER TABLE takes after the table's name: kept in the
     * rewrite (it was dropped with IF EXISTS, and the rewritten drop queued where NOWAIT gave up at once).
     */
    static String waitClause(DdlStatement s) {
        if (StatementWords.has(s, "NOWAIT")) {
            return " NOWAIT";
        }
        TokenCursor wait = StatementWords.after(s, "WAIT");
        return wait == null || wait.atEnd()
                ? ""
                : " WAIT " + wait.peek().text(s.text().source());
    }
}
