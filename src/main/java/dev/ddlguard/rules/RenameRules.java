package dev.ddlguard.rules;

import dev.ddlguard.policy.Action;
import dev.ddlguard.rules.Rule.Advice;
import dev.ddlguard.sql.AlterAction.Kind;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.Token;
import dev.ddlguard.sql.TokenCursor;
import dev.ddlguard.sql.TokenKind;
import dev.ddlguard.sql.Verb;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Renames that rule-rename-table and rename-column do not see because they are not spelled ALTER TABLE:
 * views and materialized views (and a table renamed through ALTER INDEX or ALTER SEQUENCE, which
 * PostgreSQL accepts for any relation), their columns, types and their attributes and enum values,
 * schemas, moves to another schema, and the {@code _RETURN} rule that turns a table into a view.
 * Each breaks deployed code that uses the old name the moment it commits. Where the object's kind
 * matters it is read from the live catalog; objects created in the open transaction are invisible to
 * other sessions and stay allowed.
 */
public final class RenameRules {

    /** PostgreSQL relkinds that queries name: table, partitioned table, view, materialized view, foreign table. */
    private static final Set<String> QUERIED_KINDS = Set.of("r", "p", "v", "m", "f");

    /** The relations other than tables that queries name: their renames are this file's. */
    private static final String[] VIEW_LIKE = {"VIEW", "MATERIALIZED VIEW", "FOREIGN TABLE"};

    private RenameRules() {}

    private static final String VIEW_PLAN = "create the new object next to the old one (a view with the new name or "
            + "column over the same query), deploy code that uses it, then drop the old one";

    public static final Rule RENAME_RELATION = Rule.builder("rename-relation")
            .defaultAction(Action.BLOCK)
            .aboutDeployedCode()
            .lock("ACCESS EXCLUSIVE, briefly: blocks reads and writes; metadata only")
            .reason(
                    "renaming a view, materialized view, foreign table or sequence (or a table through ALTER INDEX, ALTER "
                            + "SEQUENCE or ALTER VIEW, which PostgreSQL accepts for any relation) breaks every deployed "
                            + "query that uses the old name, the moment it commits")
            .safeAlternative(VIEW_PLAN + "; for a table, see rename-table; for a sequence, deploy code that no longer "
                    + "names it first (column DEFAULTs follow the rename)")
            .on(Verb.ALTER)
            .matches(RenameRules::renamedRelation)
            .build();

    public static final Rule RENAME_VIEW_COLUMN = Rule.builder("rename-view-column")
            .defaultAction(Action.BLOCK)
            .aboutDeployedCode()
            .lock("ACCESS EXCLUSIVE, briefly: blocks reads of the view; metadata only")
            .reason("renaming a column of a view, materialized view or foreign table breaks every deployed query that "
                    + "selects it by the old name")
            .safeAlternative("CREATE OR REPLACE VIEW may only add columns at the end: add the new name as an extra "
                    + "column (old AS new), deploy code that uses it, then recreate the view without the old one; "
                    + "for a foreign table, let deployed code read it through such a view first")
            .on(Verb.ALTER)
            .matches((s, c) -> {
                if (!alters(s, VIEW_LIKE) || createdHere(s, c)) {
                    return null;
                }
                TokenCursor r = StatementWords.after(s, "RENAME");
                if (r == null || r.peekWord("TO")) {
                    return null;
                }
                r.acceptWord("COLUMN");
                Identifier column = r.acceptIdentifier();
                return column == null
                        ? null
                        : "renames column " + column + " of " + kind(s) + " "
                                + s.names().get(0) + to(r);
            })
            .build();

    public static final Rule RENAME_TYPE = Rule.builder("rename-type")
            .defaultAction(Action.BLOCK)
            .aboutDeployedCode()
            .lock("the type's own lock; tables using it go on being read and written")
            .reason("renaming a type or domain, an attribute of a composite type or a value of an enum breaks deployed "
                    + "code that names it (casts such as 'x'::mood, enum literals the application writes, functions "
                    + "reading the attribute)")
            .safeAlternative("add the new name next to the old one (ALTER TYPE … ADD VALUE for an enum; a new "
                    + "attribute or type), deploy code that uses it, migrate the data, then remove the old one")
            .on(Verb.ALTER)
            .matches((s, c) -> {
                if (!alters(s, "TYPE", "DOMAIN")) {
                    return null;
                }
                String type = s.objectType().toLowerCase(Locale.ROOT) + " "
                        + s.names().get(0);
                TokenCursor r = StatementWords.after(s, "RENAME");
                if (r == null) {
                    return null;
                }
                if (r.peekWord("TO")) {
                    return "renames " + type + to(r);
                }
                if (r.acceptWord("ATTRIBUTE")) {
                    Identifier attribute = r.acceptIdentifier();
                    return "renames attribute " + attribute + " of " + type + to(r);
                }
                if (r.acceptWord("VALUE")) {
                    Token value = r.next();
                    return "renames value " + (value == null ? "" : value.text(r.sql())) + " of enum "
                            + s.names().get(0) + to(r);
                }
                return null;
            })
            .build();

    public static final Rule RENAME_SCHEMA = Rule.builder("rename-schema")
            .defaultAction(Action.BLOCK)
            .lock("the schema's own lock")
            .reason("renaming a schema breaks every deployed query, search_path and grant that names it; renaming a "
                    + "PostgreSQL database breaks every connection URL that names it")
            .safeAlternative("create the new schema, move the objects with views left behind in the old one, deploy "
                    + "code that uses the new name, then drop the old schema; a database has no such path: rename it "
                    + "in a maintenance window together with the connection URLs (PostgreSQL refuses while anyone is "
                    + "connected to it)")
            .on(Verb.ALTER)
            .matches((s, c) -> {
                if (!alters(s, "SCHEMA", "DATABASE")) {
                    return null;
                }
                TokenCursor r = StatementWords.after(s, "RENAME", "TO");
                return r == null ? null : "renames " + kind(s) + " " + s.names().get(0) + " to " + r.acceptName();
            })
            .build();

    public static final Rule SET_SCHEMA = Rule.builder("set-schema")
            .defaultAction(Action.BLOCK)
            .aboutDeployedCode()
            .lock("ACCESS EXCLUSIVE, briefly: blocks reads and writes; metadata only")
            .reason("moving an object to another schema breaks every deployed query that names it with its old schema, "
                    + "or finds it through a search_path without the new one")
            .safeAlternative(
                    "create it in the new schema (or move it and leave a view behind in the old one in the same "
                            + "transaction), deploy code that uses the new name, then drop what is left")
            .on(Verb.ALTER)
            .matches((s, c) -> {
                if (s.verb() != Verb.ALTER || s.names().isEmpty() || s.objectType() == null) {
                    return null;
                }
                boolean moved = "TABLE".equals(s.objectType())
                        ? s.actions().stream()
                                .anyMatch(a -> a.kind() == Kind.OTHER && StatementWords.has(s, "SET", "SCHEMA"))
                        : StatementWords.has(s, "SET", "SCHEMA");
                if (!moved || createdHere(s, c)) { // the table's age last: a catalog question in a transaction
                    return null;
                }
                TokenCursor to = StatementWords.after(s, "SET", "SCHEMA");
                return "moves " + s.objectType().toLowerCase(Locale.ROOT) + " "
                        + s.names().get(0) + " to schema " + to.acceptName();
            })
            .build();

    public static final Rule TABLE_TO_VIEW = Rule.builder("create-return-rule")
            .defaultAction(Action.BLOCK)
            .lock("ACCESS EXCLUSIVE on the table: blocks reads and writes")
            .reason("CREATE RULE \"_RETURN\" AS ON SELECT turns an empty table into a view (PostgreSQL 15 and older): "
                    + "writes to it fail from then on")
            .safeAlternative("create a view under a new name, deploy code that reads it, then drop the table; "
                    + "or rename the table and create the view under its old name in one transaction")
            .on(Verb.CREATE)
            .matches((s, c) -> {
                if (!s.is(Verb.CREATE, "RULE")
                        || s.names().isEmpty()
                        || !s.names().get(0).name().text().equalsIgnoreCase("_RETURN")) {
                    return null;
                }
                TokenCursor to = StatementWords.after(s, "SELECT", "TO");
                QualifiedName table = to == null ? null : to.acceptName();
                return table == null || !c.autocommit() && c.catalog().createdInThisTransaction(table)
                        ? null
                        : "turns table " + table + " into a view";
            })
            .advice((s, c) -> new Advice("CREATE VIEW <new name> AS <the rule's SELECT>;", null))
            .build();

    /** In the order they are reported. */
    /**
     * A warning: constraint and index names are often cosmetic, but deployed code names some of them (an outside
     * tester's: after RENAME CONSTRAINT customers_pkey, INSERT … ON CONFLICT ON CONSTRAINT customers_pkey failed with
     * 42704; MySQL's FORCE INDEX (ka) after RENAME INDEX ka failed with 1176).
     */
    public static final Rule RENAME_CONSTRAINT = Rule.builder("rename-constraint")
            .defaultAction(Action.WARN)
            .aboutDeployedCode()
            .lock("ACCESS EXCLUSIVE (PostgreSQL), an exclusive metadata lock (MySQL), briefly; metadata only")
            .reason("renaming a constraint or an index breaks deployed code that names it: PostgreSQL's INSERT … ON "
                    + "CONFLICT ON CONSTRAINT name, MySQL's FORCE | USE | IGNORE INDEX (name) hints, and error handling "
                    + "that matches the constraint's name in a violation's message")
            .safeAlternative("search the application for the old name first; for ON CONFLICT, name the columns (ON "
                    + "CONFLICT (email)) instead of the constraint; then rename it with an inline ddlguard:allow "
                    + "rename-constraint comment")
            .on(Verb.ALTER)
            .matches((s, c) -> {
                if (s.is(Verb.ALTER, "INDEX")) {
                    return constraintIndexRenamed(s, c);
                }
                if (!s.is(Verb.ALTER, "TABLE")
                        || s.table() == null
                        || c.catalog().createdInThisRun(s.table())
                        || !c.autocommit() && c.catalog().createdInThisTransaction(s.table())) {
                    return null; // no deployed code names a constraint of a table this run created
                }
                for (String kind : List.of("CONSTRAINT", "INDEX", "KEY")) {
                    TokenCursor r = StatementWords.after(s, "RENAME", kind);
                    Identifier old = r == null ? null : r.acceptIdentifier();
                    if (old != null && r.acceptWord("TO")) {
                        return "renames " + kind.toLowerCase(Locale.ROOT) + " " + old + " of " + s.table() + " to "
                                + r.acceptIdentifier();
                    }
                }
                return null;
            })
            .build();

    /**
     * PostgreSQL's ALTER INDEX i RENAME TO j of the index behind a primary key, unique or exclusion constraint renames
     * the constraint too (an outside tester's: ON CONFLICT ON CONSTRAINT tr_pk failed after it). The live catalog says
     * whether a constraint of the index's name exists; offline nothing is known.
     */
    private static String constraintIndexRenamed(DdlStatement s, RuleContext c) {
        TokenCursor r = StatementWords.after(s, "RENAME", "TO");
        if (r == null || s.names().isEmpty() || s.names().get(0) == null) {
            return null;
        }
        QualifiedName index = s.names().get(0);
        QualifiedName table = c.catalog().tableOfIndex(index);
        if (table == null
                || c.catalog().createdInThisRun(table)
                || c.catalog().constraintKind(table, index.name()) == null) {
            return null;
        }
        return "renames index " + index + ", and with it the constraint of " + table + " it backs, to "
                + r.acceptIdentifier();
    }

    public static final List<Rule> ALL = List.of(
            RENAME_RELATION,
            RENAME_VIEW_COLUMN,
            RENAME_TYPE,
            RENAME_SCHEMA,
            SET_SCHEMA,
            TABLE_TO_VIEW,
            RENAME_CONSTRAINT);

    private static String renamedRelation(DdlStatement s, RuleContext c) {
        if (s.verb() != Verb.ALTER || s.names().isEmpty() || s.objectType() == null) {
            return null;
        }
        TokenCursor r = StatementWords.after(s, "RENAME", "TO");
        if (r == null || createdHere(s, c)) {
            return null;
        }
        QualifiedName name = s.names().get(0);
        if (isOneOf(s, VIEW_LIKE)) {
            return "renames " + kind(s) + " " + name + " to " + r.acceptName();
        }
        if (isOneOf(s, "INDEX", "SEQUENCE")) {
            String relkind = c.catalog().relationKind(name);
            // a sequence (or, offline, what ALTER SEQUENCE most likely names): DEFAULT nextval(…) follows it by OID,
            // but code that names it does not (nextval('orders_id_seq'), an ORM's sequence generator)
            if ("SEQUENCE".equals(s.objectType())
                    && ("S".equals(relkind)
                            || (relkind == null
                                    && !Boolean.FALSE.equals(c.catalog().relationExists(name))))) {
                return "renames sequence " + name + " to " + r.acceptName() + ": code that names it (nextval('"
                        + name.name().text() + "'), an ORM's sequence generator) fails from then on";
            }
            return relkind != null && QUERIED_KINDS.contains(relkind)
                    ? "renames " + describeKind(relkind) + " " + name + " (through ALTER " + s.objectType() + ") to "
                            + r.acceptName()
                    : null;
        }
        return null;
    }

    /** Whether {@code s} is an ALTER, with a name, of one of these kinds of object. */
    private static boolean alters(DdlStatement s, String... kinds) {
        return s.verb() == Verb.ALTER && !s.names().isEmpty() && isOneOf(s, kinds);
    }

    private static boolean isOneOf(DdlStatement s, String... kinds) {
        return Arrays.asList(kinds).contains(s.objectType()); // List.of(…).contains(null) would throw
    }

    private static String kind(DdlStatement s) {
        return s.objectType().toLowerCase(Locale.ROOT);
    }

    private static String describeKind(String relkind) {
        return switch (relkind) {
            case "v" -> "view";
            case "m" -> "materialized view";
            case "f" -> "foreign table";
            default -> "table";
        };
    }

    /** " to <new name>" after RENAME … TO, as written. */
    private static String to(TokenCursor r) {
        while (!r.atEnd() && !r.peekWord("TO")) {
            r.next();
        }
        if (!r.acceptWord("TO") || r.atEnd()) {
            return "";
        }
        Token next = r.peek();
        return " to " + (next.kind() == TokenKind.STRING ? next.text(r.sql()) : String.valueOf(r.acceptName()));
    }

    private static boolean createdHere(DdlStatement s, RuleContext c) {
        return !c.autocommit() && c.catalog().createdInThisTransaction(s.names().get(0));
    }
}
