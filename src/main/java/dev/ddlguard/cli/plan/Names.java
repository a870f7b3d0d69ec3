package dev.ddlguard.cli.plan;

import dev.ddlguard.policy.Target;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.QualifiedName;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Names of the objects a plan creates (trigger, function, check, backup table), and quoting of catalog names. */
final class Names {

    /** Words that cannot be used unquoted as a column name in one of the targets. */
    private static final Set<String> RESERVED = Set.of(
            "all",
            "and",
            "as",
            "by",
            "check",
            "column",
            "constraint",
            "create",
            "default",
            "desc",
            "distinct",
            "from",
            "group",
            "in",
            "index",
            "key",
            "limit",
            "not",
            "null",
            "or",
            "order",
            "primary",
            "references",
            "select",
            "table",
            "to",
            "union",
            "unique",
            "user",
            "where",
            "with");

    private Names() {}

    /**
     * A generated name {@code prefix_piece_piece_suffix}, quoted when any piece was, cut in the middle
     * to the target's name length so the suffix (which tells what the object is) survives.
     */
    static Identifier generated(Target target, String prefix, String suffix, Identifier... pieces) {
        List<String> parts = new ArrayList<>();
        boolean quoted = false;
        for (Identifier piece : pieces) {
            parts.add(piece.text());
            quoted |= piece.quoted();
        }
        String middle = String.join("_", parts);
        String head = prefix.isEmpty() ? "" : prefix + "_";
        String tail = suffix.isEmpty() ? "" : "_" + suffix;
        int max = target == Target.POSTGRESQL ? 63 : 64; // NAMEDATALEN - 1; MySQL's identifier limit
        int room = max - head.length() - tail.length();
        if (middle.length() > room) {
            middle = middle.substring(0, Math.max(1, room));
        }
        return new Identifier(head + middle + tail, quoted, target == Target.POSTGRESQL ? '"' : '`');
    }

    /** A generated object in the table's schema, so it sits beside the table it serves. */
    static String inSchemaOf(QualifiedName table, Identifier name) {
        return table.schema() == null ? name.toSql() : table.schema().toSql() + "." + name.toSql();
    }

    /** A name read from the catalog, as SQL: quoted where it would not read back as itself. */
    static String fromCatalog(String name, Target target) {
        boolean plain = target == Target.POSTGRESQL
                ? name.matches("[a-z_][a-z0-9_$]*")
                : name.matches("[A-Za-z_][A-Za-z0-9_$]*");
        if (plain && !RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
            return name;
        }
        return new Identifier(name, true, target == Target.POSTGRESQL ? '"' : '`').toSql();
    }

    /** The name as the catalog stores it: PostgreSQL folds unquoted names to lower case. */
    static String catalogName(Identifier id, Target target) {
        return id.quoted() || target != Target.POSTGRESQL
                ? id.text()
                : id.text().toLowerCase(Locale.ROOT);
    }

    /** The table as {@link TableInfo} is asked about it: {@code schema.table} or {@code table}. */
    static String catalogName(QualifiedName table, Target target) {
        List<String> parts = new ArrayList<>();
        if (table.schema() != null) {
            parts.add(catalogName(table.schema(), target));
        }
        parts.add(catalogName(table.name(), target));
        return String.join(".", parts);
    }
}
