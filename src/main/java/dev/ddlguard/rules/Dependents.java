package dev.ddlguard.rules;

import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.DdlStatement.Flag;
import dev.ddlguard.sql.QualifiedName;
import java.util.List;
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
