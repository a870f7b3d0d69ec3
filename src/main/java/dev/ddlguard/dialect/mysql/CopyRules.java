package dev.ddlguard.dialect.mysql;

import dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Flavour;
import dev.ddlguard.policy.Action;
import dev.ddlguard.rules.Catalog;
import dev.ddlguard.rules.CoreRules;
import dev.ddlguard.rules.Rule;
import dev.ddlguard.rules.Rule.Advice;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.TokenCursor;
import dev.ddlguard.sql.TokenKind;
import dev.ddlguard.sql.Verb;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code CREATE TABLE … [AS] SELECT} on MySQL and MariaDB. Under REPEATABLE READ, the default, InnoDB reads the
 * rows it copies with shared next-key locks held until the statement commits (manual: "Locks Set by Different SQL
 * Statements in InnoDB": CREATE TABLE … SELECT as INSERT … SELECT): every write to a row already copied waits for
 * the whole copy. Measured on MariaDB 10.11: copying 2M rows took 2.6 s, and an UPDATE of the first row waited
 * 1.9 s of it, to the copy's end; under READ COMMITTED the read is a consistent one and the UPDATE went through at
 * once. Also the backup step of the guard's own advice before a drop ({@code CoreRules}), which says so there.
 */
final class CopyRules {

    /** Words after a table's name in a FROM or JOIN list that are no alias. */
    private static final Set<String> NOT_AN_ALIAS = Set.of(
            "WHERE",
            "JOIN",
            "INNER",
            "LEFT",
            "RIGHT",
            "CROSS",
            "NATURAL",
            "STRAIGHT_JOIN",
            "ON",
            "USING",
            "GROUP",
            "ORDER",
            "HAVING",
            "LIMIT",
            "UNION",
            "EXCEPT",
            "INTERSECT",
            "FOR",
            "LOCK",
            "WINDOW",
            "PARTITION",
            "USE",
            "FORCE",
            "IGNORE",
            "INTO",
            "AS");

    /** MariaDB's Sequence engine answers these names with generated rows: {@code seq_1_to_100}, {@code seq_0_to_99_step_2}. */
    private static final Pattern SEQUENCE = Pattern.compile("(?i)seq_\\d+_to_\\d+(_step_\\d+)?");

    private CopyRules() {}

    static Rule copyLocksSource(Flavour flavour) {
        return Rule.builder("copy-locks-source")
                .defaultAction(Action.BLOCK)
                .lockBound() // the lock lasts as long as the copy: the source's size, which sizes the lock record
                .lock("shared locks on every row it reads, held until the copy commits: writes to those rows wait "
                        + "(REPEATABLE READ, the default; READ COMMITTED reads without locks)")
                .reason("under REPEATABLE READ, CREATE TABLE … SELECT reads the rows it copies with shared locks "
                        + "held until it commits: every write to a row already copied waits for the whole copy")
                .safeAlternative("copy under READ COMMITTED, a consistent read that locks no row: SET SESSION "
                        + "TRANSACTION ISOLATION LEVEL READ COMMITTED before it (binlog_format ROW or MIXED), back "
                        + "to REPEATABLE READ after, and no FOR UPDATE / FOR SHARE / LOCK IN SHARE MODE; or "
                        + "create the table empty (CREATE TABLE … LIKE) and copy in primary-key batches")
                .on(Verb.CREATE)
                .matches((s, c) -> {
                    List<QualifiedName> sources = lockedSources(s, c.catalog(), flavour);
                    if (sources.isEmpty()) {
                        return null;
                    }
                    String clause = lockingClause(s);
                    String isolation = isolation(c.catalog(), flavour);
                    String read = clause != null
                            ? "with " + clause + ", which locks them at any isolation level"
                            : isolation == null
                                    ? "under the session's isolation level, REPEATABLE READ by default"
                                    : "under " + isolation.replace('-', ' ');
                    return "copies the rows of " + names(sources) + " " + read
                            + ": writes to each row it has read wait until the whole copy commits";
                })
                .advice((s, c) -> lockingClause(s) != null
                        ? Advice.NONE // the clause is the user's own: the reason says to drop it
                        : new Advice(CoreRules.readCommitted(s.code()), null))
                .build();
    }

    /**
     * The tables a CREATE TABLE … SELECT reads with row locks: none under READ COMMITTED or READ UNCOMMITTED
     * without a locking clause; none of this run's own tables (no deployed code writes them). Unknown isolation
     * (offline, or a catalog question that failed) is taken as the default, REPEATABLE READ.
     */
    static List<QualifiedName> lockedSources(DdlStatement s, Catalog catalog, Flavour flavour) {
        List<QualifiedName> sources = sources(s);
        if (sources.isEmpty()) {
            return sources;
        }
        String isolation = isolation(catalog, flavour);
        if (lockingClause(s) == null && isolation != null && isolation.startsWith("READ-")) {
            return List.of(); // READ-COMMITTED, READ-UNCOMMITTED: a consistent (or dirty) read, no row locked
        }
        return sources.stream()
                .filter(t -> !lockless(t, flavour))
                .filter(t -> !catalog.createdInThisRun(t) && !catalog.createdInThisTransaction(t))
                .toList();
    }

    /**
     * The tables a CREATE TABLE … SELECT reads (each name after FROM or JOIN, in subqueries too, and MySQL 8.0.19's
     * {@code TABLE t}, which is {@code SELECT * FROM t}: {@code CREATE TABLE b AS TABLE t}); empty for any other
     * statement, or for a SELECT of no table.
     */
    static List<QualifiedName> sources(DdlStatement s) {
        if (!s.is(Verb.CREATE, "TABLE")) {
            return List.of();
        }
        TokenCursor c = new TokenCursor(s.text());
        boolean select = false;
        boolean created = false; // the first TABLE is CREATE TABLE's own; TABLE is reserved, so any later one reads
        List<QualifiedName> tables = new ArrayList<>(2);
        while (!c.atEnd()) {
            if (c.acceptWord("TABLE")) {
                if (created) {
                    QualifiedName source = c.acceptName();
                    if (source != null) {
                        tables.add(source);
                    }
                }
                created = true;
            } else if (c.acceptWord("SELECT")) {
                select = true;
                c.acceptWord("STRAIGHT_JOIN"); // SELECT STRAIGHT_JOIN …: a modifier, not a join
            } else if (select && (c.acceptWord("FROM") || c.acceptWord("JOIN") || c.acceptWord("STRAIGHT_JOIN"))) {
                readTableList(c, tables);
            } else {
                c.next();
            }
        }
        return tables;
    }

    /**
     * {@code a [PARTITION (p)] [AS] x [USE INDEX (i)], (b JOIN c …), d}: each name, up to what is not part of the
     * list. A subquery is read on its own (its FROM is met later); a table function ({@code JSON_TABLE(…)}) is no
     * table.
     */
    private static void readTableList(TokenCursor c, List<QualifiedName> tables) {
        do {
            while (c.peekKind(TokenKind.LEFT_PAREN) && !c.peekWord(1, "SELECT") && !c.peekWord(1, "WITH")) {
                c.next(); // FROM (orders o JOIN customers c …): the group's tables
            }
            QualifiedName name = c.acceptName();
            if (name == null) {
                return; // a subquery or nothing: its own FROM is met later
            }
            if (c.peekKind(TokenKind.LEFT_PAREN)) {
                return; // JSON_TABLE(…), a table function: no table; a subquery in its arguments is met later
            }
            if (!name.name().text().equalsIgnoreCase("DUAL") && !tables.contains(name)) {
                tables.add(name);
            }
            if (c.acceptWord("PARTITION")) {
                c.skipParenthesised();
            }
            if (!c.acceptWord("AS")) {
                var next = c.peek();
                if (next != null && !NOT_AN_ALIAS.contains(next.text(c.sql()).toUpperCase(Locale.ROOT))) {
                    c.acceptIdentifier(); // a bare alias (a comma or a keyword is not one)
                }
            } else {
                c.acceptIdentifier();
            }
            skipIndexHints(c);
            while (c.acceptKind(TokenKind.RIGHT_PAREN)) {
                // the end of a parenthesised group of tables
            }
        } while (c.acceptKind(TokenKind.COMMA));
    }

    /** {@code USE | FORCE | IGNORE {INDEX | KEY} [FOR …] (…)}, any number of them. */
    private static void skipIndexHints(TokenCursor c) {
        while ((c.peekWord("USE") || c.peekWord("FORCE") || c.peekWord("IGNORE"))
                && (c.peekWord(1, "INDEX") || c.peekWord(1, "KEY"))) {
            while (!c.atEnd() && !c.peekKind(TokenKind.LEFT_PAREN)) {
                c.next();
            }
            c.skipParenthesised();
        }
    }

    /**
     * A source no row lock is taken on: MariaDB's Sequence-engine tables ({@code seq_1_to_100}, generated rows),
     * and the server's own information_schema and performance_schema views.
     */
    private static boolean lockless(QualifiedName t, Flavour flavour) {
        String schema = t.schema() == null ? "" : t.schema().text().toLowerCase(Locale.ROOT);
        return schema.equals("information_schema")
                || schema.equals("performance_schema")
                || (flavour == Flavour.MARIADB
                        && SEQUENCE.matcher(t.name().text()).matches());
    }

    /** FOR UPDATE, FOR SHARE or LOCK IN SHARE MODE in the SELECT: row locks whatever the isolation level. */
    static String lockingClause(DdlStatement s) {
        TokenCursor c = new TokenCursor(s.text());
        while (!c.atEnd()) {
            int mark = c.position();
            if (c.acceptWords("FOR", "UPDATE")) {
                return "FOR UPDATE";
            }
            c.reset(mark);
            if (c.acceptWords("FOR", "SHARE")) {
                return "FOR SHARE";
            }
            c.reset(mark);
            if (c.acceptWords("LOCK", "IN", "SHARE", "MODE")) {
                return "LOCK IN SHARE MODE";
            }
            c.reset(mark);
            c.next();
        }
        return null;
    }

    /** The session's isolation level as the server spells it (REPEATABLE-READ, READ-COMMITTED, …), or null. */
    private static String isolation(Catalog catalog, Flavour flavour) {
        // MySQL 8 removed tx_isolation; MariaDB has it in every version, transaction_isolation only from 11.1
        String value = catalog.setting(flavour == Flavour.MYSQL ? "transaction_isolation" : "tx_isolation");
        return value == null ? null : value.strip().toUpperCase(Locale.ROOT).replace(' ', '-');
    }

    private static String names(List<QualifiedName> tables) {
        return tables.stream().map(QualifiedName::toString).collect(Collectors.joining(", "));
    }
}
