package dev.ddlguard.dialect.postgres;

import dev.ddlguard.policy.Action;
import dev.ddlguard.rules.Catalog;
import dev.ddlguard.rules.PlanAdvice;
import dev.ddlguard.rules.Rule;
import dev.ddlguard.rules.Rule.Advice;
import dev.ddlguard.rules.RuleContext;
import dev.ddlguard.sql.AlterAction;
import dev.ddlguard.sql.AlterAction.Kind;
import dev.ddlguard.sql.ColumnDefinition;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.FunctionCalls;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.Verb;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Column changes that rewrite the whole table, and every index, under ACCESS EXCLUSIVE. Since
 * PostgreSQL 11 a non-volatile DEFAULT is stored in the catalog instead (manual: ALTER TABLE,
 * "Notes"); a volatile one, identity, serial and stored generated columns still rewrite.
 */
final class ColumnRules {

    private static final Set<String> VOLATILE = PgAlterTableLocks.VOLATILE_FUNCTIONS;

    private ColumnRules() {}

    static final Rule ADD_COLUMN_REWRITES_TABLE = Rule.builder("add-column-rewrites-table")
            .defaultAction(Action.BLOCK)
            .lockBound()
            .lock("ACCESS EXCLUSIVE for a table and index rewrite: blocks reads and writes")
            .reason("this column is filled in for every existing row: the table and all its indexes are rewritten "
                    + "under ACCESS EXCLUSIVE, blocking reads and writes")
            .safeAlternative("expand-contract: add the column without a default, SET DEFAULT for new rows, backfill "
                    + "existing rows in batches (for serial/identity: create the sequence first)")
            .on(Verb.ALTER, Verb.RENAME)
            .matches((s, c) -> s.actions().stream()
                    .filter(a -> a.kind() == Kind.ADD_COLUMN && a.definition() != null && s.table() != null)
                    .map(a -> why(s, a, c))
                    .filter(Objects::nonNull)
                    .findFirst()
                    .map(why -> "adds column to " + s.table() + " " + why)
                    .orElse(null))
            .advice((s, c) -> {
                if (ofCheckedDomain(s, c)) {
                    return baseTypeThenCheck(s);
                }
                return s.actions().stream()
                        .filter(a -> a.kind() == Kind.ADD_COLUMN
                                && a.definition() != null
                                && ofVolatileDomain(a.definition(), c))
                        .findFirst()
                        .map(a -> explicitNullDefault(s, a))
                        .orElseGet(() -> expand(s));
            })
            .build();

    static final Rule CHANGE_COLUMN_TYPE = Rule.builder("change-column-type")
            .defaultAction(Action.BLOCK)
            .lockBound()
            .lock("ACCESS EXCLUSIVE for a table and index rewrite: blocks reads and writes")
            .reason("changing a column's type rewrites the table and every index under ACCESS EXCLUSIVE unless "
                    + "the old values are valid as they are (varchar(n) to a longer varchar or text, …)")
            .safeAlternative("expand-contract: add a column of the new type, keep it in sync with a trigger, backfill "
                    + "in batches, switch the application, then drop the old column")
            .on(Verb.ALTER, Verb.RENAME)
            .matches(ColumnRules::typeChange)
            .advice((s, c) -> typeChangePlan(s))
            .build();

    /** This pack's rules, in the order they are reported: a new rule of the pack is listed here. */
    static final List<Rule> ALL = List.of(ADD_COLUMN_REWRITES_TABLE, CHANGE_COLUMN_TYPE);

    /**
     * The expand-contract plan {@code ddlguard plan} prints for this statement, so the two never disagree: the
     * column keeps its name (code never reads a {@code _new} column), and the contract steps carry their
     * ddlguard:allow comments. Without a plan (several changes in one statement), the same steps in outline.
     */
    private static Advice typeChangePlan(DdlStatement s) {
        return PlanAdvice.of(s, () -> {
            AlterAction a = s.actions().stream()
                    .filter(x -> x.kind() == Kind.ALTER_COLUMN_TYPE)
                    .findFirst()
                    .orElseThrow();
            String t = s.table().toSql();
            String col = a.column().toSql();
            String newType = a.definition() == null || a.definition().type() == null
                    ? "<new type>"
                    : a.definition().type();
            String next = a.column().withSuffix("_new").toSql();
            return new Advice(
                    "-- one change per statement, then `ddlguard plan` prints the full plan; in outline:\n"
                            + "-- expand\nALTER TABLE " + t + " ADD COLUMN " + next + " " + newType + ";\n"
                            + "-- plus a trigger copying " + col + " into " + next + " on INSERT and UPDATE\n"
                            + "-- migrate, in batches\nUPDATE " + t + " SET " + next + " = " + col + " WHERE " + next
                            + " IS NULL;\n"
                            + "-- deploy code that accepts " + col + " as " + newType
                            + " (the swap keeps its name); contract, in one transaction:\n"
                            + "BEGIN;\n/* ddlguard:allow drop-column replaced by " + next
                            + ", which holds the same values */ ALTER TABLE "
                            + t + " DROP COLUMN " + col + ";\n"
                            + "/* ddlguard:allow rename-column " + next
                            + " takes the name of the column it replaces */ ALTER TABLE "
                            + t + " RENAME COLUMN " + next + " TO " + col + ";\nCOMMIT;",
                    null);
        });
    }

    /** Why adding this column rewrites the table, or null when it does not. */
    private static String why(DdlStatement s, AlterAction a, RuleContext c) {
        ColumnDefinition d = a.definition();
        String type = d.type() == null ? "" : d.type().toLowerCase(Locale.ROOT);
        if (type.contains("serial")) {
            return "of type " + d.type() + ", which fills every row from a sequence";
        }
        if (d.identity()) {
            return "as an identity column, which fills every row";
        }
        // PostgreSQL 18's virtual generated columns (VIRTUAL, the default there) are computed on read: no rewrite.
        if (PgAlterTableLocks.storedGenerated(s, a, d)) {
            return "as a stored generated column, computed for every row";
        }
        // A domain with a CHECK or NOT NULL is checked for every row, with the default or NULL: measured on 15, the
        // table file is replaced even with a constant default (an outside tester's find).
        if (checkedDomain(d, c)) {
            return "of the domain " + d.type() + ", whose constraints are checked against every row in a rewrite";
        }
        // without a DEFAULT of its own, the column takes the domain's: volatile, it is evaluated for every row
        // (an outside tester's domain DEFAULT random(): 1253 ms and a new table file for 3M rows, judged metadata)
        if (ofVolatileDomain(d, c)) {
            return "of the domain " + d.type() + ", whose volatile DEFAULT is evaluated for every row";
        }
        if (d.hasDefault() && !c.atLeast(11)) {
            return "with a DEFAULT, which rewrites the table before PostgreSQL 11";
        }
        if (d.hasDefault()) {
            for (String function : FunctionCalls.in(d.defaultExpr(), SqlSyntax.POSTGRESQL)) {
                Boolean live =
                        VOLATILE.contains(function) ? Boolean.TRUE : c.catalog().isVolatile(function);
                if (Boolean.TRUE.equals(live)) {
                    return "with the volatile DEFAULT " + d.defaultExpr() + ", evaluated for every row";
                }
            }
        }
        return null;
    }

    private static boolean checkedDomain(ColumnDefinition d, RuleContext c) {
        return d.type() != null
                && !PgTypes.builtIn(d.type())
                && Boolean.TRUE.equals(c.catalog().exists(Catalog.CONSTRAINED_DOMAIN, typeName(d.type())));
    }

    private static boolean ofVolatileDomain(ColumnDefinition d, RuleContext c) {
        return !d.hasDefault()
                && d.type() != null
                && !PgTypes.builtIn(d.type())
                && Boolean.TRUE.equals(c.catalog().exists(Catalog.VOLATILE_DEFAULT_DOMAIN, typeName(d.type())));
    }

    /**
     * An explicit DEFAULT NULL overrides the domain's default (heap.c keeps it: "the column default needs to override
     * the domain's default") and is no volatile expression: added at once; new rows then take the domain's default.
     */
    private static Advice explicitNullDefault(DdlStatement s, AlterAction a) {
        String t = s.table().toSql();
        String col = a.definition().name() == null
                ? "<column>"
                : a.definition().name().toSql();
        return new Advice(
                "ALTER TABLE " + t + " ADD COLUMN " + col + " " + a.definition().type()
                        + " DEFAULT NULL;   -- overrides the domain's default: nothing evaluated per row\n"
                        + "ALTER TABLE " + t + " ALTER COLUMN " + col
                        + " DROP DEFAULT;   -- new rows take the domain's default again\n"
                        + "-- backfill existing rows in batches:\nUPDATE " + t + " SET " + col + " = DEFAULT WHERE "
                        + col + " IS NULL AND <key> BETWEEN <from> AND <to>;",
                null);
    }

    private static boolean ofCheckedDomain(DdlStatement s, RuleContext c) {
        return s.actions().stream()
                .anyMatch(
                        a -> a.kind() == Kind.ADD_COLUMN && a.definition() != null && checkedDomain(a.definition(), c));
    }

    /** A domain's constraints come with every column of it: the same guarantee as a table CHECK, validated apart. */
    private static Advice baseTypeThenCheck(DdlStatement s) {
        return new Advice(
                "-- a column of a domain with a CHECK or NOT NULL is checked in a rewrite whatever its default:\n"
                        + "-- add it as the domain's base type (nullable, no default), backfill it in batches, then\n"
                        + "-- ALTER TABLE " + s.table().toSql()
                        + " ADD CONSTRAINT … CHECK (<the domain's check>) NOT VALID; and VALIDATE CONSTRAINT …",
                null);
    }

    /** The type as one name the catalog resolves as written (to_regtype reads modifiers and qualification itself). */
    private static QualifiedName typeName(String type) {
        return new QualifiedName(List.of(new Identifier(type.strip(), false)));
    }

    /** The table's name before the column (USING t.body::text): only the altered table's columns are allowed there. */
    private static final String QUALIFIER = "(?:(?:\"[^\"]+\"|\\w+)\\s*\\.\\s*)?";

    /** USING col::type or CAST(col AS type), the column itself cast to the type the clause names. */
    private static final Pattern PLAIN_CAST =
            Pattern.compile("(?is).*\\bUSING\\s+(?:\\(?\\s*" + QUALIFIER + "(\"[^\"]+\"|\\w+)\\s*\\)?\\s*::\\s*(.+?)"
                    + "|CAST\\s*\\(\\s*" + QUALIFIER + "(\"[^\"]+\"|\\w+)\\s+AS\\s+(.+?)\\s*\\))\\s*");

    /**
     * Whether the USING clause only casts the column to the type the clause names (Django writes {@code TYPE text USING
     * "body"::text}): PostgreSQL then does what it does without USING, a rewrite only when the cast needs one (an
     * outside tester measured the file unchanged for varchar to text). Anything else in USING is taken to rewrite.
     */
    private static boolean castToItsNewType(DdlStatement s, AlterAction a, String to) {
        Matcher m = PLAIN_CAST.matcher(a.text(s.text().source()));
        if (to == null || !m.matches()) {
            return false;
        }
        String column = m.group(1) != null ? m.group(1) : m.group(3);
        String type = m.group(2) != null ? m.group(2) : m.group(4);
        Identifier named = column.startsWith("\"")
                ? new Identifier(column.substring(1, column.length() - 1), true)
                : new Identifier(column, false);
        return named.sameAs(a.column()) && normal(type).equals(normal(to));
    }

    private static String normal(String type) {
        return type.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    private static String typeChange(DdlStatement s, RuleContext c) {
        for (AlterAction a : s.actions()) {
            if (a.kind() != Kind.ALTER_COLUMN_TYPE || s.table() == null || a.column() == null) {
                continue;
            }
            String to = a.definition() == null ? null : a.definition().type();
            if (s.text().hasWord("USING", a.start(), a.end()) && !castToItsNewType(s, a, to)) {
                return "changes the type of " + s.table() + "." + a.column() + " with USING, which rewrites every row";
            }
            // The table stays, but every index on the column is rebuilt under ACCESS EXCLUSIVE for a new collation
            // (measured on 15: the unique index's file replaced; an outside tester's find). The current collation is
            // not known here: a COLLATE is taken to change it.
            if (s.text().hasWord("COLLATE", a.start(), a.end())) {
                return "changes the collation of " + s.table() + "." + a.column()
                        + ", which rebuilds every index on the column under ACCESS EXCLUSIVE";
            }
            String from = c.catalog().columnType(s.table(), a.column());
            if (from == null || to == null) {
                return "changes the type of " + s.table() + "." + a.column() + " to " + to
                        + " (its current type could not be read, so a rewrite must be assumed)";
            }
            if (!PgTypes.withoutRewrite(from, to, c.catalog().setting("TimeZone"), c.atLeast(12))) {
                return "changes the type of " + s.table() + "." + a.column() + " from " + from + " to " + to
                        + ", which rewrites the table";
            }
        }
        return null;
    }

    private static Advice expand(DdlStatement s) {
        AlterAction a = s.actions().stream()
                .filter(x -> x.kind() == Kind.ADD_COLUMN && x.definition() != null)
                .findFirst()
                .orElseThrow();
        ColumnDefinition d = a.definition();
        String t = s.table().toSql();
        String col = d.name() == null ? "<column>" : d.name().toSql();
        String type = d.type() == null
                ? "<type>"
                : d.type()
                        .toLowerCase(Locale.ROOT)
                        .replace("bigserial", "bigint")
                        .replace("smallserial", "smallint")
                        .replace("serial", "integer");
        String value = d.hasDefault()
                ? d.defaultExpr()
                : "nextval('" + s.table().name().text() + "_" + col + "_seq')";
        String sequence =
                d.hasDefault() ? "" : "CREATE SEQUENCE " + s.table().name().text() + "_" + col + "_seq;\n";
        return new Advice(
                sequence + "ALTER TABLE " + t + " ADD COLUMN " + col + " " + type + ";\n"
                        + "ALTER TABLE " + t + " ALTER COLUMN " + col + " SET DEFAULT " + value
                        + ";   -- new rows only\n"
                        + "-- backfill existing rows in batches:\nUPDATE " + t + " SET " + col + " = " + value
                        + " WHERE " + col
                        + " IS NULL AND <key> BETWEEN <from> AND <to>;",
                null);
    }
}
