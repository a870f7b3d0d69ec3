package dev.ddlguard.engine;

import dev.ddlguard.rules.StatementWords;
import dev.ddlguard.sql.AlterAction;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.DdlStatement.Flag;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.TablesTakenIn;
import dev.ddlguard.sql.TokenCursor;
import dev.ddlguard.sql.Verb;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@link RunCreatedTables} up to date after a judged string ran: creates, drops and renames of tables,
 * and plain creates and drops of views and sequences (they share the tables' namespace on every server).
 */
final class CreatedTablesRecord {

    private static final Logger LOG = LoggerFactory.getLogger(CreatedTablesRecord.class);

    private CreatedTablesRecord() {}

    /**
     * The views a CREATE OR REPLACE VIEW, and the tables a CREATE TABLE IF NOT EXISTS, of this string is about to
     * create rather than find, asked before it runs (one catalog question per such statement; an unknown view counts as
     * there already: not recorded; an unknown table is left to the server's "already exists" notice). The server's "already exists" notice is no answer: client_min_messages = warning,
     * MariaDB's sql_notes = 0 or a multi-statement string lose it, and an existing table was taken for the run's own
     * (an outside tester's find).
     */
    static Set<QualifiedName> notThereYet(Judgement j, LiveCatalog catalog) {
        Set<QualifiedName> fresh = null;
        for (JudgedStatement s : j.statements()) {
            DdlStatement ddl = s.executed();
            QualifiedName created = ddl == null || ddl.verb() != Verb.CREATE || ddl.has(Flag.TEMPORARY)
                    ? null
                    : isView(ddl) && ddl.has(Flag.OR_REPLACE) && !ddl.names().isEmpty()
                            ? ddl.names().get(0)
                            : ddl.is(Verb.CREATE, "TABLE") && ddl.has(Flag.IF_NOT_EXISTS) ? ddl.table() : null;
            Boolean exists = created == null ? Boolean.TRUE : catalog.exists(ddl.objectType(), created);
            // A table whose existence the catalog cannot tell (judged as another database than the connected one,
            // or the question failed) is left to the server's notice, as before the catalog was asked
            if (Boolean.FALSE.equals(exists) || (exists == null && "TABLE".equals(ddl.objectType()))) {
                fresh = fresh == null ? new HashSet<>() : fresh;
                fresh.add(created);
            }
        }
        if (fresh == null) {
            return Set.of();
        }
        catalog.takeFailures(); // best effort: a question that failed left the view unrecorded, which only keeps it
        // judged
        return fresh;
    }

    /**
     * {@link #after}, never failing the caller's statement, which has run (and may have committed): a record that
     * could not be kept only leaves this run's new objects judged as old ones, the safe side.
     */
    /** What may take a table away unseen, anywhere in a string (a word in a literal too: the safe side, a question later). */
    private static final Pattern MAY_TAKE_AWAY = Pattern.compile("(?i)\\b(ROLLBACK|ABORT|CALL|DO|DROP|CASCADE)\\b");

    static void afterSafely(
            Judgement j, LiveCatalog catalog, String schema, Statement statement, Set<QualifiedName> newViews) {
        try {
            after(j, catalog, schema, statement, newViews);
        } catch (RuntimeException e) {
            LOG.warn(
                    "ddlguard could not record what this statement created; later statements judge it as existing "
                            + "before the run: {}",
                    e.toString());
        }
    }

    /**
     * After a batch: what its entries created and dropped, as after a string (an outside tester's table created by
     * the run and dropped in a batch stayed "this run's", and a later DROP TABLE of its name, which then found another
     * schema's table, was allowed and dropped it). When the batch failed, which entries ran is not known: only what
     * they dropped, renamed or moved away is forgotten, the safe side.
     */
    static void afterBatch(List<Judgement> entries, LiveCatalog catalog, String schema, boolean failed) {
        try {
            String database = catalog.database();
            for (Judgement j : entries) {
                if (!failed) {
                    after(j, catalog, schema, null, Set.of());
                } else if (database != null) {
                    String in = schema != null ? schema : catalog.currentSchema();
                    for (JudgedStatement s : j.statements()) {
                        DdlStatement ddl = s.executed();
                        if (ddl != null && ddl.verb() != Verb.CREATE && touchesTables(ddl, Set.of())) {
                            ddl.names().stream()
                                    .filter(n -> n != null)
                                    .forEach(n -> RunCreatedTables.dropped(database, catalog.syntax(), in, n));
                            if (ddl.table() != null) {
                                RunCreatedTables.dropped(database, catalog.syntax(), in, ddl.table());
                            }
                        }
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("ddlguard could not record what this batch created or dropped: {}", e.toString());
        }
    }

    /**
     * @param newViews what {@link #notThereYet} answered before the string ran
     */
    static void after(
            Judgement j, LiveCatalog catalog, String schema, Statement statement, Set<QualifiedName> newViews) {
        if (catalog.isMySql() && createsTemporaryTable(j)) {
            catalog.createdTemporaryTable();
        }
        String database = catalog.database();
        if (database == null) {
            return;
        }
        for (JudgedStatement s : j.statements()) {
            if (touchesTables(s.executed(), newViews)) {
                record(
                        j,
                        database,
                        catalog.syntax(),
                        schema != null ? schema : catalog.currentSchema(),
                        statement,
                        newViews,
                        catalog.openTransaction());
                break;
            }
        }
        if (j.sqlToSend() != null && MAY_TAKE_AWAY.matcher(j.sqlToSend()).find()) {
            // BEGIN; CREATE TABLE t …; ROLLBACK in one string, a procedure or DO block that rolls back, a DROP of a
            // partitioned table (its partitions go too), an ALTER TABLE … DROP COLUMN taking the run's sequence OWNED
            // BY it (a fourth round's), anything CASCADE: of any DDL string, whatever it touches
            RunCreatedTables.mayHaveGone();
        }
        if (catalog.isMySql()) {
            // after the record: a CREATE TABLE … FULLTEXT or … LIKE marks the table it just recorded
            noteFulltext(j, database, catalog.syntax(), schema != null ? schema : catalog.currentSchema());
        }
    }

    private static void record(
            Judgement j,
            String database,
            SqlSyntax syntax,
            String in,
            Statement statement,
            Set<QualifiedName> newViews,
            Object openOn) {
        Boolean alreadyThere = null;
        for (JudgedStatement s : j.statements()) {
            DdlStatement ddl = s.executed();
            if (!touchesTables(ddl, newViews)) {
                continue;
            }
            if (afterSchemaMove(s) && ddl.verb() != Verb.DROP && unqualified(ddl)) {
                // the string moved the schema names resolve in before it (SET search_path, USE): where an unqualified
                // name was created is not known, and recording it under the old schema made an old table there "this
                // run's" for a later DROP (an outside tester's dropped it so)
                continue;
            }
            if (isSchema(ddl)) {
                if (ddl.verb() == Verb.CREATE) {
                    RunCreatedTables.createdSchema(
                            database, syntax, ddl.names().get(0).name());
                } else {
                    ddl.names().forEach(name -> RunCreatedTables.droppedSchema(database, syntax, name.name()));
                }
            } else if (ddl.verb() == Verb.CREATE && isType(ddl)) {
                RunCreatedTables.createdType(database, syntax, in, ddl.names().get(0), openOn);
            } else if (ddl.verb() == Verb.CREATE && (isView(ddl) || isSequence(ddl))) {
                RunCreatedTables.created(database, syntax, in, ddl.names().get(0), openOn);
            } else if (ddl.verb() == Verb.CREATE) {
                if (ddl.has(Flag.IF_NOT_EXISTS)) {
                    // known absent before the string ran (notThereYet), and no "already exists" warning either
                    alreadyThere = alreadyThere != null ? alreadyThere : warnedAlreadyExists(statement);
                    if (alreadyThere || !newViews.contains(ddl.table())) {
                        continue; // an old table, or unknown which: not ours
                    }
                }
                RunCreatedTables.created(database, syntax, in, ddl.table(), openOn);
            } else if (ddl.verb() == Verb.DROP) {
                ddl.names().forEach(name -> RunCreatedTables.dropped(database, syntax, in, name));
            } else if (movedOut(ddl) || typeRenamed(ddl) || TablesTakenIn.reachesOtherRows(ddl)) {
                RunCreatedTables.dropped(
                        database,
                        syntax,
                        in,
                        ddl.table() != null ? ddl.table() : ddl.names().get(0));
            } else if (renamedTo(ddl) != null) {
                RunCreatedTables.renamed(database, syntax, in, ddl.names().get(0), renamedTo(ddl));
            } else {
                renamed(database, syntax, in, ddl);
            }
        }
    }

    private static boolean afterSchemaMove(JudgedStatement s) {
        return s.note() != null && s.note().contains(SchemaMoves.NOTE);
    }

    /** Whether the statement's object (or, for a rename, its new name) is named without a schema. */
    private static boolean unqualified(DdlStatement ddl) {
        QualifiedName named = ddl.table() != null
                ? ddl.table()
                : ddl.names().isEmpty() ? null : ddl.names().get(0);
        return named == null || named.schema() == null || renamedTo(ddl) != null;
    }

    private static boolean createsTemporaryTable(Judgement j) {
        for (JudgedStatement s : j.statements()) {
            if (s.executed() != null
                    && s.executed().is(Verb.CREATE, "TABLE")
                    && s.executed().has(Flag.TEMPORARY)) {
                return true;
            }
        }
        return false;
    }

    /** MySQL/MariaDB: a statement on a table that names FULLTEXT (or copies indexes with LIKE) marks it (RunCreatedTables). */
    private static void noteFulltext(Judgement j, String database, SqlSyntax syntax, String schema) {
        for (JudgedStatement s : j.statements()) {
            DdlStatement ddl = s.executed();
            if (ddl != null
                    && ddl.table() != null
                    && (ddl.text().hasWord("FULLTEXT") || ddl.text().hasWord("LIKE"))) {
                RunCreatedTables.mayHaveFulltext(database, syntax, schema, ddl.table());
            }
        }
    }

    private static boolean touchesTables(DdlStatement ddl, Set<QualifiedName> newViews) {
        if (ddl == null) {
            return false;
        }
        if (ddl.is(Verb.CREATE, "TABLE")) {
            return ddl.table() != null && !ddl.has(Flag.TEMPORARY) && !TablesTakenIn.reachesOtherRows(ddl);
        }
        if (isSchema(ddl)) {
            // IF NOT EXISTS may have found an old one, OR REPLACE (MariaDB) replaced one: neither is known to be ours
            return ddl.verb() == Verb.DROP
                    || (ddl.verb() == Verb.CREATE && !ddl.has(Flag.IF_NOT_EXISTS) && !ddl.has(Flag.OR_REPLACE));
        }
        if (ddl.verb() == Verb.CREATE && isView(ddl)) {
            // CREATE OR REPLACE of a view that was there replaced one deployed code may read: not recorded.
            return !ddl.names().isEmpty()
                    && ddl.names().get(0) != null
                    && !ddl.has(Flag.IF_NOT_EXISTS)
                    && !ddl.has(Flag.TEMPORARY)
                    && (!ddl.has(Flag.OR_REPLACE)
                            || newViews.contains(ddl.names().get(0)));
        }
        if (ddl.verb() == Verb.CREATE && isType(ddl)) {
            // PostgreSQL CREATE TYPE / DOMAIN has no IF NOT EXISTS or OR REPLACE: it made the type, or failed
            return !ddl.names().isEmpty() && ddl.names().get(0) != null;
        }
        if (ddl.verb() == Verb.CREATE && isSequence(ddl)) {
            // IF NOT EXISTS may have found an old one, OR REPLACE (MariaDB) replaced one: neither is known to be ours
            return !ddl.names().isEmpty()
                    && ddl.names().get(0) != null
                    && !ddl.has(Flag.IF_NOT_EXISTS)
                    && !ddl.has(Flag.OR_REPLACE)
                    && !ddl.has(Flag.TEMPORARY);
        }
        return ddl.is(Verb.DROP, "TABLE")
                || (ddl.verb() == Verb.DROP && (isView(ddl) || isType(ddl) || isSequence(ddl)))
                || ddl.hasAction(AlterAction.Kind.RENAME_TABLE)
                || renamedTo(ddl) != null
                || movedOut(ddl)
                || typeRenamed(ddl)
                || TablesTakenIn.reachesOtherRows(ddl); // the run's table now holds old rows: no longer the run's
    }

    /**
     * ALTER TYPE | DOMAIN … RENAME TO: the run's record of the old name goes (a renamed type is judged as old, README),
     * else the old name found an older type of the search path: an outside tester's ALTER TYPE mood RENAME TO m2, then
     * ALTER TYPE mood RENAME VALUE rewrote the deployed public.mood as the run's.
     */
    private static boolean typeRenamed(DdlStatement ddl) {
        return ddl.verb() == Verb.ALTER
                && isType(ddl)
                && !ddl.names().isEmpty()
                && StatementWords.has(ddl, "RENAME", "TO");
    }

    /**
     * ALTER TABLE | VIEW | SEQUENCE … SET SCHEMA: the object leaves its schema, and its old name finds an older table
     * or none (CREATE TABLE t; ALTER TABLE t SET SCHEMA other; DROP TABLE t dropped the deployed table of the next
     * schema of the search path: a review's find). Its record is forgotten: in its new schema it is judged as old.
     */
    private static boolean movedOut(DdlStatement ddl) {
        return ddl.verb() == Verb.ALTER
                && ddl.objectType() != null
                && (ddl.table() != null || !ddl.names().isEmpty())
                && StatementWords.has(ddl, "SET", "SCHEMA");
    }

    /**
     * The new name of ALTER VIEW | MATERIALIZED VIEW | SEQUENCE … RENAME TO (their statements carry no actions): a view
     * or sequence this run created keeps its age under the new name, as a table does. Null for anything else.
     */
    private static Identifier renamedTo(DdlStatement ddl) {
        if (ddl.verb() != Verb.ALTER
                || !(isView(ddl) || isSequence(ddl))
                || ddl.names().isEmpty()) {
            return null;
        }
        TokenCursor to = StatementWords.after(ddl, "RENAME", "TO");
        QualifiedName name = to == null ? null : to.acceptName();
        return name == null ? null : name.name();
    }

    /**
     * A schema (MySQL/MariaDB: a database, its synonym there) named plainly: PostgreSQL's CREATE SCHEMA AUTHORIZATION
     * joe names none (the reader takes the key word for one).
     */
    private static boolean isSchema(DdlStatement ddl) {
        return (ddl.verb() == Verb.CREATE || ddl.verb() == Verb.DROP)
                && ("SCHEMA".equals(ddl.objectType())
                        || ("DATABASE".equals(ddl.objectType()) && ddl.syntax() == SqlSyntax.MYSQL))
                && !ddl.names().isEmpty()
                && ddl.names().stream().allMatch(n -> n != null && n.parts().size() == 1)
                && !(ddl.names().get(0).name().text().equalsIgnoreCase("AUTHORIZATION")
                        && !ddl.names().get(0).name().quoted());
    }

    /** A type or domain (PostgreSQL): a type this run created is as new as a table it created. */
    private static boolean isType(DdlStatement ddl) {
        return ddl.syntax() == SqlSyntax.POSTGRESQL
                && ("TYPE".equals(ddl.objectType()) || "DOMAIN".equals(ddl.objectType()));
    }

    /** A sequence: a relation in the tables' namespace on PostgreSQL, a table of its own kind on MariaDB. */
    private static boolean isSequence(DdlStatement ddl) {
        return "SEQUENCE".equals(ddl.objectType());
    }

    private static boolean isView(DdlStatement ddl) {
        return "VIEW".equals(ddl.objectType()) || "MATERIALIZED VIEW".equals(ddl.objectType());
    }

    /** ALTER TABLE a RENAME TO b, or MySQL's RENAME TABLE a TO b, c TO d (one RENAME_TABLE action per pair). */
    private static void renamed(String database, SqlSyntax syntax, String schema, DdlStatement ddl) {
        List<AlterAction> renames = ddl.actions().stream()
                .filter(a -> a.kind() == AlterAction.Kind.RENAME_TABLE)
                .toList();
        for (int i = 0; i < renames.size(); i++) {
            QualifiedName from = ddl.verb() == Verb.RENAME && i < ddl.names().size()
                    ? ddl.names().get(i)
                    : ddl.table();
            if (from != null && renames.get(i).newName() != null) {
                RunCreatedTables.renamed(
                        database, syntax, schema, from, renames.get(i).newName());
            }
        }
    }

    /** True when the statement's warnings say a table already existed, or cannot be read (then: not ours). */
    private static boolean warnedAlreadyExists(Statement statement) {
        if (statement == null) {
            return true;
        }
        try {
            for (SQLWarning w = statement.getWarnings(); w != null; w = w.getNextWarning()) {
                if ("42P07".equals(w.getSQLState()) || w.getErrorCode() == 1050) {
                    return true;
                }
            }
            return false;
        } catch (SQLException | RuntimeException e) {
            return true;
        }
    }
}
