package dev.ddlguard.engine;

import dev.ddlguard.rules.Catalog;
import dev.ddlguard.sql.AlterAction;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.DdlStatement.Flag;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.TablesTakenIn;
import dev.ddlguard.sql.Token;
import dev.ddlguard.sql.TokenKind;
import dev.ddlguard.sql.Verb;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The tables a multi-statement string creates, for the statements after them ({@link StatementJudge}): kept as the
 * string is judged, statement by statement, before any of it runs.
 */
final class StringTables {

    private StringTables() {}

    /**
     * A table a statement of this string creates is new for the statements after it: PostgreSQL runs a
     * multi-statement string as one transaction, and on MySQL/MariaDB it is a table of this run. CREATE
     * TABLE IF NOT EXISTS counts only when the table is known not to exist yet.
     */
    static void remember(DdlStatement ddl, Catalog catalog, List<QualifiedName> createdHere) {
        forgetGone(ddl, createdHere);
        forgetLinked(ddl, createdHere);
        boolean created = ddl.is(Verb.CREATE, "TABLE")
                && ddl.table() != null
                && !TablesTakenIn.reachesOtherRows(ddl) // a MERGE table over old ones is not new
                && (!ddl.has(Flag.IF_NOT_EXISTS) || Boolean.FALSE.equals(catalog.exists("TABLE", ddl.table())));
        if (created && !ddl.has(Flag.TEMPORARY)) {
            createdHere.add(ddl.table());
        } else if (created
                && ddl.syntax() == SqlSyntax.POSTGRESQL
                && ddl.table().schema() == null) {
            // PostgreSQL: a temporary table lives in pg_temp, which an unqualified name finds first; recorded there, so
            // that public.t is never taken for it (an outside tester's staging table, created, filled and dropped in
            // one string, was blocked). MySQL's temporary table hides a table of its name but not a view: not kept.
            createdHere.add(new QualifiedName(
                    List.of(new Identifier("pg_temp", false), ddl.table().name())));
        } else if (ddl.verb() == Verb.CREATE
                && ddl.objectType() != null // Set.of(…).contains(null) throws
                && SAME_NAMESPACE.contains(ddl.objectType())
                && !ddl.names().isEmpty()
                && ddl.names().get(0) != null
                && !ddl.has(Flag.TEMPORARY)
                && !ddl.has(Flag.OR_REPLACE)
                && !ddl.has(Flag.IF_NOT_EXISTS)) {
            // a view, sequence or (PostgreSQL) type the string makes: as new as its tables for the statements after
            // (REFRESH of a materialized view created WITH NO DATA was blocked in a replayed dump)
            createdHere.add(ddl.names().get(0));
        }
    }

    /** Objects that a plain CREATE makes new, whose later statements name them as a table's name them. */
    private static final Set<String> SAME_NAMESPACE = Set.of("VIEW", "MATERIALIZED VIEW", "SEQUENCE", "TYPE", "DOMAIN");

    /**
     * A table of the string dropped, renamed or moved to another schema: its name, from then on, finds an older table
     * or none ({@code CREATE TABLE t; DROP TABLE t; DROP TABLE t} dropped the deployed t second: a review's find).
     * Matched without case, the safe side; a rename's new name is the string's table in turn.
     */
    private static void forgetGone(DdlStatement ddl, List<QualifiedName> createdHere) {
        if (createdHere.isEmpty()) {
            return;
        }
        boolean gone = ddl.verb() == Verb.DROP
                || ddl.verb() == Verb.RENAME
                || (ddl.verb() == Verb.ALTER
                        && (ddl.text().hasWord("RENAME") || ddl.text().hasWord("SCHEMA")));
        if (!gone) {
            return;
        }
        List<QualifiedName> named = new ArrayList<>(ddl.names());
        if (ddl.table() != null) {
            named.add(ddl.table());
        }
        List<QualifiedName> forgotten = new ArrayList<>();
        createdHere.removeIf(t -> {
            boolean hit = named.stream()
                    .anyMatch(n -> n != null
                            && n.name().text().equalsIgnoreCase(t.name().text()));
            if (hit) {
                forgotten.add(t);
            }
            return hit;
        });
        if (ddl.verb() == Verb.ALTER && !ddl.text().hasWord("SCHEMA") && forgotten.size() == 1) {
            for (AlterAction a : ddl.actions()) {
                if (a.kind() == AlterAction.Kind.RENAME_TABLE && a.newName() != null) {
                    QualifiedName old = forgotten.get(0);
                    createdHere.add(
                            old.schema() == null
                                    ? new QualifiedName(List.of(a.newName()))
                                    : new QualifiedName(List.of(old.schema(), a.newName())));
                }
            }
        }
    }

    /**
     * A table of the string that an old table now hangs on is no longer new for the statements after it: an old
     * partition attached to it, an old table made to inherit from it or to reference it (an outside tester's DROP of
     * the new partitioned table took the old partition with it, exempt). The catalog sees such links only once they
     * ran ({@link Exemption}).
     */
    private static void forgetLinked(DdlStatement ddl, List<QualifiedName> createdHere) {
        if (createdHere.isEmpty() || !ddl.is(Verb.ALTER, "TABLE") || ddl.table() == null) {
            return;
        }
        boolean targetIsNew = named(createdHere, ddl.table().name());
        if (targetIsNew && TablesTakenIn.reachesOtherRows(ddl)) {
            createdHere.removeIf(
                    t -> t.name().text().equalsIgnoreCase(ddl.table().name().text()));
            return;
        }
        if (targetIsNew) {
            for (AlterAction a : ddl.actions()) {
                if (a.kind() == AlterAction.Kind.ATTACH_PARTITION
                        && (a.column() == null || !named(createdHere, a.column()))) {
                    createdHere.removeIf(t ->
                            t.name().text().equalsIgnoreCase(ddl.table().name().text()));
                }
            }
            return;
        }
        // an old table's ALTER that names a table of the string (INHERIT it, REFERENCES it): the safe side
        for (String word : wordsOf(ddl)) {
            createdHere.removeIf(created -> created.name().text().equalsIgnoreCase(word));
        }
    }

    /** Every word and quoted name of the statement, as names read (unquoted): what a link statement may name. */
    static List<String> wordsOf(DdlStatement ddl) {
        String sql = ddl.text().source();
        List<String> words = new ArrayList<>();
        for (Token t : ddl.text().tokens()) {
            if (t.kind() == TokenKind.WORD) {
                words.add(t.text(sql));
            } else if (t.kind() == TokenKind.QUOTED_IDENTIFIER) {
                words.add(Identifier.ofQuoted(t.text(sql)).text());
            }
        }
        return words;
    }

    private static boolean named(List<QualifiedName> tables, Identifier name) {
        return tables.stream().anyMatch(t -> t.name().text().equalsIgnoreCase(name.text()));
    }
}
