package dev.ddlguard.dialect.mysql;

import dev.ddlguard.policy.Action;
import dev.ddlguard.rules.Catalog;
import dev.ddlguard.rules.Rule;
import dev.ddlguard.rules.RuleContext;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.DdlStatement.Flag;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.Verb;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * MySQL's and MariaDB's CREATE OR REPLACE VIEW and ALTER VIEW take any new definition, where PostgreSQL's may only add
 * columns at the end: a column of the old view the new one lacks is dropped, or renamed, at once (an outside tester's
 * {@code ALTER VIEW v AS SELECT id AS customer_id …} on MariaDB 10.11: deployed code reading {@code v.id} failed with
 * "Unknown column"). The old view's columns are asked of the live catalog; offline nothing is known, and nothing found.
 */
final class ViewRules {

    private ViewRules() {}

    static final Rule REPLACE_VIEW_COLUMNS = Rule.builder("replace-view-columns")
            .defaultAction(Action.BLOCK)
            .aboutDeployedCode()
            .on(Verb.CREATE, Verb.ALTER)
            .lock("an exclusive metadata lock on the view, briefly; queries of it wait while it waits")
            .reason("the new definition of an existing view lacks a column of the old one: every deployed query that "
                    + "reads that column of the view fails from the moment it commits, as after DROP COLUMN")
            .safeAlternative("keep every old column in the new definition (add new ones, keep old names with AS), "
                    + "deploy code that no longer reads a column before a later change drops it, or create a view "
                    + "under a new name and move the code to it")
            .matches(ViewRules::lostColumns)
            .build();

    private static String lostColumns(DdlStatement s, RuleContext c) {
        boolean replaces = s.is(Verb.CREATE, "VIEW") && s.has(Flag.OR_REPLACE) || s.is(Verb.ALTER, "VIEW");
        if (!replaces || s.names().isEmpty()) {
            return null;
        }
        QualifiedName view = s.names().get(0);
        List<String> old = c.catalog().columnNames(view);
        if (Catalog.COLUMNS_WITHHELD.equals(old)) {
            // an earlier statement of the string changed it, or where its name resolves (USE): an outside tester's USE
            // other_db; CREATE OR REPLACE VIEW w … dropped other_db.w's column, judged from this database's w
            return "replaces view " + view + " after an earlier statement of the same string changed it or where its "
                    + "name resolves: its columns, and so what the new definition drops, are not known";
        }
        if (old == null || old.isEmpty()) {
            return null; // offline, unknown, or no view of that name yet: nothing to lose
        }
        List<String> now = ViewColumns.of(s, c.catalog());
        if (now == null) {
            return "replaces view " + view + ", whose columns are " + String.join(", ", old)
                    + ", with a definition whose columns the guard cannot tell (a * over more than one table, a "
                    + "first branch that is no SELECT)";
        }
        Set<String> kept = new HashSet<>();
        now.forEach(n -> kept.add(n.strip().toLowerCase(Locale.ROOT)));
        List<String> lost = new ArrayList<>();
        for (String column : old) {
            if (!kept.contains(column.strip().toLowerCase(Locale.ROOT))) {
                lost.add(column);
            }
        }
        return lost.isEmpty()
                ? null
                : "replaces view " + view + " with a definition without its column" + (lost.size() > 1 ? "s " : " ")
                        + String.join(", ", lost);
    }
}
