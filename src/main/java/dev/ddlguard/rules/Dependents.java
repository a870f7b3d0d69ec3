package dev.ddlguard.rules;

import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.DdlStatement.Flag;
import dev.ddlguard.sql.QualifiedName;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** What a drop takes with it, as the live catalog lists it ({@link Catalog#dependents}), for the drop rules' messages. */
final class Dependents {

    /** How many dependents a message lists; the rest are counted. */
    static final int LISTED = 20;

    private Dependents() {}

    /**
     * Whether the live catalog says nothing depends on any object the drop names (or the object does not exist: DROP
     * … IF EXISTS … CASCADE of what is not there, as Hibernate's create mode and Rails' force: :cascade send on a
     * fresh database, an outside tester's false positive): CASCADE then takes nothing the statement does not name.
     */
    static boolean noneOf(DdlStatement s, RuleContext c) {
        if (s.names().isEmpty()) {
            return false; // a cast or an operator: its dependents are not asked
        }
        for (QualifiedName name : s.names()) {
            List<String> dependents = name == null ? null : c.catalog().dependents(s.objectType(), name);
            if (dependents == null || !dependents.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** A foreign key of a table, as pg_describe_object names it: "constraint book_author_fkey on table book". */
    private static final Pattern FOREIGN_KEY_OF = Pattern.compile("constraint .+ on table (.+)");

    /**
     * Whether every table the drop names was created by this run, and all CASCADE takes with it is foreign keys of
     * tables this run created too: Hibernate's create-drop ({@code drop table if exists author cascade}, book's key on
     * it, both the run's) was blocked, an outside tester's false positive. A long list (the catalog cuts its own) is
     * not read: not known then.
     */
    static boolean onlyKeysOfTheRunsTables(DdlStatement s, RuleContext c) {
        if (!"TABLE".equals(s.objectType()) || s.names().isEmpty()) {
            return false;
        }
        for (QualifiedName name : s.names()) {
            List<String> dependents = name == null || !c.catalog().createdInThisRun(name)
                    ? null
                    : c.catalog().dependents("TABLE", name);
            if (dependents == null || dependents.size() >= LISTED) {
                return false;
            }
            for (String dependent : dependents) {
                Matcher key = FOREIGN_KEY_OF.matcher(dependent);
                QualifiedName table = key.matches() ? QualifiedName.fromSql(key.group(1)) : null;
                if (table == null || !c.catalog().createdInThisRun(table)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** What a CASCADE drop of each named object takes with it. */
    static String cascade(DdlStatement s, RuleContext c) {
        if (!s.has(Flag.CASCADE)) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (QualifiedName name : s.names()) {
            out.append(listing(name, c, s.objectType()));
        }
        return out.toString();
    }

    static String listing(DdlStatement s, RuleContext c, String type) {
        StringBuilder out = new StringBuilder();
        for (QualifiedName name : s.names()) {
            out.append(listing(name, c, type));
        }
        return out.toString();
    }

    /** "; with x go: a, b" from the live catalog, or what it could not say. */
    static String listing(QualifiedName name, RuleContext c, String type) {
        List<String> dependents = c.catalog().dependents(type, name);
        if (dependents == null) {
            return "; what it takes with " + name + " could not be read from the catalog";
        }
        if (dependents.isEmpty()) {
            return "; nothing else depends on " + name;
        }
        String listed = dependents.stream().limit(LISTED).collect(Collectors.joining(", "));
        int more = dependents.size() - LISTED;
        return "; with " + name + " go: " + listed + (more > 0 ? " and " + more + "+ more" : "");
    }
}
