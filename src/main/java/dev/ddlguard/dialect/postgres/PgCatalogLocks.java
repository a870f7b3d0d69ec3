package dev.ddlguard.dialect.postgres;

import static dev.ddlguard.dialect.postgres.PgAlterTableLocks.action;
import static dev.ddlguard.dialect.postgres.PgAlterTableLocks.weight;
import static dev.ddlguard.dialect.postgres.PostgresLockModel.ACCESS_EXCLUSIVE;
import static dev.ddlguard.dialect.postgres.PostgresLockModel.SHARE;
import static dev.ddlguard.dialect.postgres.PostgresLockModel.created;
import static dev.ddlguard.dialect.postgres.PostgresLockModel.lock;
import static dev.ddlguard.rules.LockImpact.NOTHING;

import dev.ddlguard.rules.Catalog;
import dev.ddlguard.rules.LockImpact;
import dev.ddlguard.rules.LockImpact.Work;
import dev.ddlguard.sql.AlterAction;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.DdlStatement.Flag;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.Verb;

/**
 * The part of PostgreSQL's lock model that the statement's text cannot settle and the live catalog can:
 * {@link PostgresLockModel} reads the lock as written, this corrects it with what the database holds.
 */
final class PgCatalogLocks {

    private PgCatalogLocks() {}

    /**
     * What only the live catalog knows: the table of an index (DROP INDEX, REINDEX INDEX), whether ALTER INDEX
     * names a table (the server accepts that and locks it as ALTER TABLE would), whether CREATE … IF NOT EXISTS
     * or CREATE OR REPLACE VIEW finds the relation already there, and whether a column's type change keeps the
     * table's file (PgTypes, as the rule column-type-change judges it).
     */
    static LockImpact withCatalog(DdlStatement s, LockImpact impact, Catalog catalog) {
        String type = s.objectType() == null ? "" : s.objectType();
        QualifiedName first = s.names().isEmpty() ? null : s.names().get(0);
        if (first == null) {
            return retyped(s, impact, catalog);
        }
        if ((s.is(Verb.DROP, "INDEX") || s.is(Verb.REINDEX, "INDEX") || s.is(Verb.DROP, "STATISTICS"))
                && impact.table() == null) {
            QualifiedName table = catalog.tableOfIndex(first);
            return table == null ? impact : impact.onTable(table.toSql());
        }
        if (s.is(Verb.CREATE, "INDEX") && s.has(Flag.ONLY) && s.table() != null && !s.has(Flag.CONCURRENTLY)) {
            // ON ONLY a table that is not partitioned builds the index all the same (measured on 15)
            String relkind = catalog.relationKind(s.table());
            return "r".equals(relkind) || "m".equals(relkind)
                    ? lock(SHARE, Work.INDEX_BUILD).onTable(s.table().toSql())
                    : impact;
        }
        if (s.is(Verb.ALTER, "INDEX") && isTableKind(catalog.relationKind(first))) {
            return lock(ACCESS_EXCLUSIVE, Work.METADATA).onTable(first.toSql());
        }
        if (s.verb() == Verb.CREATE && s.has(Flag.IF_NOT_EXISTS) && catalog.relationKind(first) != null) {
            // The server notices the relation exists and does nothing (an index's table is still locked first).
            return "INDEX".equals(type)
                    ? LockImpact.of(impact.mode(), impact.blocks(), Work.METADATA)
                            .onTable(impact.table())
                    : LockImpact.of(null, NOTHING, Work.METADATA);
        }
        if (s.is(Verb.CREATE, "VIEW")
                && s.has(Flag.OR_REPLACE)
                && catalog.relationKind(first) == null
                && catalog.setting("server_version_num") != null) {
            return created(Work.METADATA).onTable(first.toSql());
        }
        return retyped(s, impact, catalog);
    }

    private static boolean isTableKind(String relkind) {
        return "r".equals(relkind) || "p".equals(relkind);
    }

    /**
     * ALTER COLUMN … TYPE that keeps the file (varchar widened, …; PgTypes, as the rule column-type-change
     * judges it): only the catalog knows the old type. The lock stays the strongest action's; the work is
     * recomputed over the actions.
     */
    private static LockImpact retyped(DdlStatement s, LockImpact impact, Catalog catalog) {
        if (!s.is(Verb.ALTER, "TABLE") || s.table() == null || impact.work() == Work.METADATA) {
            return impact;
        }
        Work work = null;
        for (AlterAction a : s.actions()) {
            Work w = action(s, a).work();
            if (a.kind() == AlterAction.Kind.ALTER_COLUMN_TYPE) {
                String to = a.definition() == null ? null : a.definition().type();
                String from = a.column() == null ? null : catalog.columnType(s.table(), a.column());
                if (from != null
                        && to != null
                        && !s.text().hasWord("USING", a.start(), a.end())
                        && PgTypes.withoutRewrite(from, to, catalog.setting("TimeZone"), true)) {
                    w = Work.METADATA;
                }
            }
            work = work == null || weight(w) > weight(work) ? w : work;
        }
        return work == null || work == impact.work()
                ? impact
                : LockImpact.of(impact.mode(), impact.blocks(), work)
                        .onTable(impact.table())
                        .withOthers(impact.otherTables());
    }
}
