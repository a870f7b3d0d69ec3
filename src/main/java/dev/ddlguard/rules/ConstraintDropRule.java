package dev.ddlguard.rules;

import dev.ddlguard.policy.Action;
import dev.ddlguard.sql.AlterAction;
import dev.ddlguard.sql.AlterAction.Kind;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.DdlStatement.Flag;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.Verb;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * drop-constraint: a foreign key, unique, primary key or exclusion constraint dropped (ALTER TABLE … DROP CONSTRAINT,
 * MySQL's DROP FOREIGN KEY | PRIMARY KEY | INDEX of a unique key, MariaDB's CREATE OR REPLACE INDEX (not UNIQUE) of a
 * unique key, PostgreSQL's DROP INDEX of a unique index). One of
 * {@link DestructiveRules}' list, in a file of its own for its catalog questions.
 */
public final class ConstraintDropRule {

    private ConstraintDropRule() {}

    public static final Rule RULE = Rule.builder("drop-constraint")
            .defaultAction(Action.BLOCK)
            .aboutDeployedCode()
            .lock("ACCESS EXCLUSIVE (a foreign key: also on the referenced table), briefly; MySQL: per online DDL")
            .reason(
                    "dropping a foreign key, unique, primary key or exclusion constraint removes a guarantee the data and "
                            + "deployed code rely on (ON CONFLICT and upserts need the unique key; joins and deletes rely on the "
                            + "foreign key); invalid rows can arrive at once, and putting it back needs a full validation (a CHECK "
                            + "the catalog knows as one, or MySQL's DROP CHECK, is not judged here: the safe path of set-not-null "
                            + "ends by dropping one)")
            .safeAlternative("deploy code that no longer relies on it, then drop it with an inline ddlguard:allow "
                    + "drop-constraint comment giving the reason; to replace a constraint, add the new one first")
            .on(Verb.DROP, Verb.ALTER, Verb.CREATE) // MariaDB's CREATE OR REPLACE INDEX drops the index first
            .matches(ConstraintDropRule::droppedConstraints)
            .build();

    /** The table's age is asked last: most statements drop nothing, and it is a catalog question in a transaction. */
    private static String droppedConstraints(DdlStatement s, RuleContext c) {
        if (s.is(Verb.DROP, "INDEX") && s.syntax() == SqlSyntax.POSTGRESQL) {
            return uniqueIndexesDropped(s, c);
        }
        if (s.table() == null) {
            return null;
        }
        String dropped = droppedConstraintsOf(s, c);
        return dropped == null || DestructiveRules.createdHere(s, c) ? null : dropped;
    }

    /**
     * PostgreSQL's DROP INDEX [CONCURRENTLY] a, b names no table: each index's table and uniqueness are asked of the
     * live catalog (offline nothing is known, and a plain index is common: not judged). A unique index that backs a
     * constraint cannot be dropped this way; one created alone (CREATE UNIQUE INDEX) is what ON CONFLICT relies on.
     */
    private static String uniqueIndexesDropped(DdlStatement s, RuleContext c) {
        List<String> dropped = new ArrayList<>(1);
        for (QualifiedName index : s.names()) {
            QualifiedName table = index == null ? null : c.catalog().tableOfIndex(index);
            if (table != null
                    && Boolean.TRUE.equals(c.catalog().isUniqueIndex(table, index.name()))
                    && (c.autocommit() || !c.catalog().createdInThisTransaction(table))) {
                dropped.add("unique index " + index + " of " + table);
            }
        }
        return dropped.isEmpty() ? null : "drops " + String.join(", ", dropped);
    }

    private static String droppedConstraintsOf(DdlStatement s, RuleContext c) {
        if (s.is(Verb.DROP, "INDEX")) { // MySQL: DROP INDEX i ON t
            return s.syntax() == SqlSyntax.MYSQL
                            && !s.names().isEmpty()
                            && uniqueOnMySql(s, c, s.names().get(0).name().text())
                    ? "drops unique index " + s.names().get(0) + " of " + s.table()
                    : null;
        }
        if (s.is(Verb.CREATE, "INDEX")) {
            return replacedUniqueIndex(s, c);
        }
        if (!s.is(Verb.ALTER, "TABLE")) {
            return null;
        }
        List<String> dropped = new ArrayList<>();
        for (AlterAction a : s.actions()) {
            if (a.kind() == Kind.DROP_CONSTRAINT && !isCheck(s, a, c)) {
                dropped.add(
                        a.column() != null
                                ? "constraint " + a.column()
                                : a.constraintDef() != null
                                        ? a.constraintDef().kind().toLowerCase(Locale.ROOT)
                                        : "a constraint");
            } else if (a.kind() == Kind.DROP_INDEX
                    && s.syntax() == SqlSyntax.MYSQL
                    && a.column() != null
                    && uniqueOnMySql(s, c, a.column().text())) {
                dropped.add("unique index " + a.column());
            }
        }
        return dropped.isEmpty() ? null : "drops " + String.join(", ", dropped) + " of " + s.table();
    }

    /**
     * MariaDB's CREATE OR REPLACE INDEX i ON t (…) drops t's index i, if there is one, and builds the new one in the same
     * ALTER (online, measured on 10.11). Without UNIQUE, a unique key of that name becomes a plain index: duplicates are
     * accepted at once. A plain index replaced, or a unique one replaced by a UNIQUE index, keeps the guarantee.
     */
    private static String replacedUniqueIndex(DdlStatement s, RuleContext c) {
        return s.syntax() == SqlSyntax.MYSQL
                        && s.has(Flag.OR_REPLACE)
                        && !s.has(Flag.UNIQUE)
                        && !s.names().isEmpty()
                        && s.names().get(0) != null
                        && uniqueOnMySql(s, c, s.names().get(0).name().text())
                ? "replaces unique index " + s.names().get(0) + " of " + s.table()
                        + " with a non-unique one (CREATE OR REPLACE INDEX drops the unique key first)"
                : null;
    }

    /** MySQL's DROP CHECK says so; otherwise the catalog (unknown: not taken as a CHECK, the drop is judged). */
    private static boolean isCheck(DdlStatement s, AlterAction a, RuleContext c) {
        String text = a.text(s.text().source()).strip();
        if (text.regionMatches(true, 0, "DROP", 0, 4)
                && text.substring(4).stripLeading().regionMatches(true, 0, "CHECK ", 0, 6)) {
            return true;
        }
        return a.column() != null && "CHECK".equals(c.catalog().constraintKind(s.table(), a.column()));
    }

    /** MySQL's PRIMARY is its primary key; otherwise the catalog says (unknown: not taken as unique, a plain index is common). */
    private static boolean uniqueOnMySql(DdlStatement s, RuleContext c, String index) {
        return index.equalsIgnoreCase("PRIMARY")
                || Boolean.TRUE.equals(c.catalog().isUniqueIndex(s.table(), new Identifier(index, false)));
    }
}
