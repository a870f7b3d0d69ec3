package dev.ddlguard.dialect.mysql;

import dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Flavour;
import dev.ddlguard.policy.Action;
import dev.ddlguard.rules.Rule;
import dev.ddlguard.rules.Rule.Advice;
import dev.ddlguard.sql.AlterAction;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.Token;
import dev.ddlguard.sql.TokenCursor;
import dev.ddlguard.sql.TokenKind;
import dev.ddlguard.sql.Verb;

/**
 * Partitions of MySQL and MariaDB tables: changing how a table is partitioned copies it, and swapping a table in
 * for a partition checks every row it brings. The online-DDL clauses do not apply to either.
 */
final class PartitionRules {

    private PartitionRules() {}

    static Rule partitioningChange(Flavour flavour, int defaultVersion) {
        return Rule.builder("partitioning-change")
                .defaultAction(Action.BLOCK)
                .lockBound()
                .lock("a full table copy; MariaDB copies every row even when ALGORITHM=INSTANT/NOCOPY is accepted")
                .reason("re-partitioning rewrites every row, and the server's online clause is no safety net here")
                .safeAlternative("build the partitioned table beside the old one and move rows in batches, or use "
                        + MySqlRules.ALTERNATIVES)
                .matches(
                        (s, c) -> MySqlRules.read(s, c, flavour, defaultVersion).repartitions()
                                ? "changes the partitioning of " + s.table()
                                : null)
                .build();
    }

    /**
     * Measured on MariaDB 10.11: swapping in a table of 2M rows took 456 ms, and an UPDATE of another partition of
     * the partitioned table waited 159 ms of it (reads went on); WITHOUT VALIDATION skips the row check (MySQL
     * 5.7.5+, MariaDB 11.4+; 10.11 refuses the clause).
     */
    static Rule exchangeScan(Flavour flavour, int defaultVersion) {
        return Rule.builder("exchange-partition-scan")
                .defaultAction(Action.BLOCK)
                // not lockBound: the exemptions read the partitioned table (often new: the usual way to
                // partition a table is to swap it into a new one), while the scan is of the swapped-in table
                .lock("writes to both tables wait (reads go on) while every row of the swapped-in table is checked "
                        + "against the partition's bounds; WITHOUT VALIDATION: a brief metadata swap")
                .reason("ALTER TABLE … EXCHANGE PARTITION checks that every row of the table it swaps in fits the "
                        + "partition, while writes to the partitioned table and to that table wait")
                .safeAlternative("check the rows fit with a query first, then EXCHANGE … WITHOUT VALIDATION (MySQL; "
                        + "MariaDB 11.4+), a metadata swap; where the server has no WITHOUT VALIDATION, swap while the "
                        + "table is small or in a maintenance window")
                .on(Verb.ALTER)
                .matches((s, c) -> {
                    AlterAction a = checkedExchange(s);
                    if (a == null) {
                        return null;
                    }
                    QualifiedName swapped = swappedInTable(s, a);
                    if (swapped != null
                            && (c.catalog().createdInThisRun(swapped)
                                    || c.catalog().createdInThisTransaction(swapped))) {
                        return null; // a table this run created: no deployed code writes it, no row to wait for
                    }
                    String name = named(swapped);
                    return "swaps " + name + " in for " + partition(s, a) + " of " + s.table()
                            + ", checking every row of " + name + " while writes to both wait";
                })
                .advice((s, c) -> {
                    AlterAction a = checkedExchange(s);
                    String name = named(swappedInTable(s, a));
                    boolean skippable = flavour == Flavour.MYSQL
                            || MySqlRules.version(c, defaultVersion) >= OnlineDdlMatrix.MARIADB_11_4;
                    String check = "-- 1. every row must fit the partition's bounds: this must count 0\n"
                            + "SELECT COUNT(*) FROM " + name + " WHERE NOT (<the partition's bounds>);\n";
                    return new Advice(
                            skippable
                                    ? check + "-- 2. then swap without checking again\n" + withoutValidation(s, a)
                                    : check + "-- 2. this server has no WITHOUT VALIDATION: swap while " + name
                                            + " is small, or in a maintenance window",
                            null);
                })
                .build();
    }

    /** The EXCHANGE PARTITION action that checks its rows (no WITHOUT VALIDATION), or null. */
    private static AlterAction checkedExchange(DdlStatement s) {
        AlterAction a = exchange(s);
        return a != null && checksRows(s, a) ? a : null;
    }

    /** The statement's EXCHANGE PARTITION action, read as words (a comment is none), or null. */
    static AlterAction exchange(DdlStatement s) {
        if (!s.is(Verb.ALTER, "TABLE") || s.table() == null) {
            return null;
        }
        for (AlterAction a : s.actions()) {
            if (a.kind() == AlterAction.Kind.OTHER && cursorAt(s, a).acceptWords("EXCHANGE", "PARTITION")) {
                return a;
            }
        }
        return null;
    }

    /** Whether the exchange checks the swapped-in rows: unless WITHOUT VALIDATION follows the table's name. */
    static boolean checksRows(DdlStatement s, AlterAction a) {
        return !afterSwappedIn(s, a).acceptWords("WITHOUT", "VALIDATION");
    }

    /** "EXCHANGE PARTITION p0 WITH TABLE t2" → "partition p0". */
    private static String partition(DdlStatement s, AlterAction a) {
        TokenCursor c = cursorAt(s, a);
        c.acceptWords("EXCHANGE", "PARTITION");
        return "partition " + c.acceptName();
    }

    /** The table swapped in for the partition, or null when the statement names none. */
    static QualifiedName swappedInTable(DdlStatement s, AlterAction a) {
        return afterWithTable(s, a).acceptName();
    }

    /** The swapped-in table as written, for messages. */
    private static String named(QualifiedName swapped) {
        return swapped == null ? "the swapped-in table" : swapped.toString();
    }

    /**
     * The statement with WITHOUT VALIDATION in place of WITH VALIDATION (or after the table's name), the rest as
     * written: spliced at the clause's own place, so that a comment after it cannot swallow it.
     */
    private static String withoutValidation(DdlStatement s, AlterAction a) {
        String sql = s.text().source();
        TokenCursor c = afterSwappedIn(s, a);
        int from = c.previous().end();
        int to = from;
        if (c.acceptWords("WITH", "VALIDATION")) {
            to = c.previous().end();
        }
        int last = to;
        for (Token t : s.text().tokens()) {
            if (!t.isComment() && t.kind() != TokenKind.SEMICOLON) {
                last = Math.max(last, t.end());
            }
        }
        return sql.substring(s.text().codeStart(), from) + " WITHOUT VALIDATION" + sql.substring(to, last) + ";";
    }

    private static TokenCursor afterWithTable(DdlStatement s, AlterAction a) {
        TokenCursor c = cursorAt(s, a);
        while (!c.atEnd() && c.peek().start() < a.end() && !c.acceptWords("WITH", "TABLE")) {
            c.next();
        }
        return c;
    }

    private static TokenCursor afterSwappedIn(DdlStatement s, AlterAction a) {
        TokenCursor c = afterWithTable(s, a);
        c.acceptName();
        return c;
    }

    private static TokenCursor cursorAt(DdlStatement s, AlterAction a) {
        return TokenCursor.at(s.text(), a.start());
    }
}
