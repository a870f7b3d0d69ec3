package dev.ddlguard.dialect.mysql;

import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.*;

import dev.ddlguard.rules.Catalog;
import dev.ddlguard.sql.AlterAction;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.Verb;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Maps a statement to the operation classes of the online-DDL matrix, one per ALTER TABLE action.
 * Where the class depends on the column as it is (a VARCHAR growing past its length prefix, an ENUM
 * value appended or inserted), the live catalog decides; without it, the heavier class is assumed.
 */
final class MySqlOperations {

    private MySqlOperations() {}

    /** The operations the statement performs; empty when it is not one the matrix covers. */
    static List<OnlineDdlOperation> of(DdlStatement s, Catalog catalog, OnlineDdlMatrix.Flavour flavour) {
        List<OnlineDdlOperation> ops = new ArrayList<>();
        if (s.is(Verb.CREATE, "INDEX")) {
            ops.add(
                    s.text().hasWord("FULLTEXT", 0, Integer.MAX_VALUE)
                            ? ADD_FULLTEXT_INDEX
                            : s.text().hasWord("SPATIAL", 0, Integer.MAX_VALUE) ? ADD_SPATIAL_INDEX : ADD_INDEX);
        } else if (s.is(Verb.DROP, "INDEX")) {
            ops.add(DROP_INDEX);
        } else if (s.verb() == Verb.OPTIMIZE) {
            ops.add(OPTIMIZE_TABLE);
        } else if (s.is(Verb.ALTER, "TABLE")) {
            boolean dropsPrimaryKey = s.actions().stream()
                    .anyMatch(
                            a -> a.kind() == AlterAction.Kind.DROP_CONSTRAINT && "PRIMARY KEY".equals(a.constraint()));
            for (AlterAction a : s.actions()) {
                if (a.kind() == AlterAction.Kind.ALTER_COLUMN_TYPE) {
                    ops.addAll(MySqlColumnChanges.modify(s, a, catalog, flavour));
                    continue;
                }
                if (a.kind() == AlterAction.Kind.ADD_COLUMN) {
                    ops.addAll(NewColumns.operations(s, a, catalog, flavour));
                    continue;
                }
                if (a.kind() == AlterAction.Kind.RENAME_COLUMN
                        && a.definition() != null
                        && a.definition().type() != null) {
                    // CHANGE old new <definition> renames and restates the column: what else changes counts too
                    // (CHANGE a a2 BIGINT is a type change, not an instant rename).
                    ops.add(RENAME_COLUMN);
                    MySqlColumnChanges.modify(s, a, catalog, flavour).stream()
                            .filter(op -> op != SET_COLUMN_DEFAULT)
                            .forEach(ops::add);
                    continue;
                }
                if (a.kind() == AlterAction.Kind.OPTION || a.kind() == AlterAction.Kind.OTHER) {
                    String text = a.text(s.text().source());
                    for (OnlineDdlOperation op : MySqlTableOptions.operations(s, a)) {
                        if (op != null) {
                            ops.add(MySqlTableOptions.convert(s, op, text, catalog));
                        }
                    }
                    continue;
                }
                OnlineDdlOperation op = of(s, a, catalog, dropsPrimaryKey);
                if (op != null
                        && !(op == DROP_PRIMARY_KEY
                                && s.actions().stream()
                                        .anyMatch(x -> x.kind() == AlterAction.Kind.ADD_CONSTRAINT
                                                && "PRIMARY KEY".equals(x.constraint())))) {
                    ops.add(op);
                }
            }
        }
        return ops;
    }

    /**
     * ALTER TABLE actions the online-DDL matrix has no row for (measured on MariaDB 10.11: {@code ORDER BY}
     * is COPY only, with LOCK=SHARED; {@code REBUILD / OPTIMIZE / REPAIR PARTITION} rebuild rows and take no
     * ALGORITHM or LOCK clause), without the read-only or metadata-only ones the server does at once
     * ({@code ANALYZE / CHECK PARTITION}, an index made IGNORED or INVISIBLE, ENABLE / DISABLE KEYS, IMPORT
     * TABLESPACE), and EXCHANGE PARTITION, whose row check exchange-partition-scan judges. Asked without the
     * catalog: none of these reads it.
     */
    static List<String> unmodelled(DdlStatement s) {
        List<String> unknown = new ArrayList<>();
        if (!s.is(Verb.ALTER, "TABLE")) {
            return unknown;
        }
        String sql = s.text().source();
        for (AlterAction a : s.actions()) {
            if (a.kind() != AlterAction.Kind.OTHER && a.kind() != AlterAction.Kind.OPTION) {
                continue;
            }
            for (String part : MySqlTableOptions.parts(s, a)) {
                String text = part.strip();
                if (!MySqlTableOptions.isClause(part)
                        && MySqlTableOptions.operation(part) == null
                        && !text.isEmpty()
                        && !HARMLESS.matcher(text).lookingAt()
                        && !ONLY_CLAUSE.matcher(text).matches()) {
                    unknown.add(text);
                }
            }
        }
        return unknown;
    }

    private static final Pattern HARMLESS = Pattern.compile("(?is)(ANALYZE|CHECK)\\s+PARTITION\\b"
            + "|ALTER\\s+(INDEX|KEY)\\s+\\S+\\s+(NOT\\s+)?(IGNORED|INVISIBLE|VISIBLE)\\b"
            + "|ALTER\\s+(COLUMN\\s+)?\\S+\\s+SET\\s+(VISIBLE|INVISIBLE)\\b|(ENABLE|DISABLE)\\s+KEYS\\b"
            + "|IMPORT\\s+(PARTITION\\s+\\S+\\s+)?TABLESPACE\\b|EXCHANGE\\s+PARTITION\\b");

    /** An action that is only the statement's own ALGORITHM= / LOCK= clause. */
    private static final Pattern ONLY_CLAUSE = Pattern.compile("(?is)(ALGORITHM|LOCK)\\s*=?\\s*\\w+");

    private static OnlineDdlOperation of(DdlStatement s, AlterAction a, Catalog catalog, boolean dropsPrimaryKey) {
        String sql = s.text().source();
        return switch (a.kind()) {
            case ADD_INDEX ->
                s.text().hasWord("FULLTEXT", a.start(), a.end())
                        ? ADD_FULLTEXT_INDEX
                        : s.text().hasWord("SPATIAL", a.start(), a.end()) ? ADD_SPATIAL_INDEX : ADD_INDEX;
            case ADD_CONSTRAINT ->
                switch (a.constraint()) {
                    case "PRIMARY KEY" -> dropsPrimaryKey ? DROP_PRIMARY_KEY_ADD_PRIMARY_KEY : ADD_PRIMARY_KEY;
                    case "UNIQUE" -> ADD_INDEX;
                    case "FOREIGN KEY" -> foreignKey(s, a, catalog);
                    case "CHECK" -> ADD_CHECK_CONSTRAINT;
                    default -> null;
                };
            case DROP_INDEX -> DROP_INDEX;
            case DROP_CONSTRAINT -> dropConstraint(s, a, catalog);
            case ADD_COLUMN -> NewColumns.added(s, a);
            case DROP_COLUMN -> DROP_COLUMN;
            case RENAME_COLUMN -> RENAME_COLUMN;
            case RENAME_TABLE -> RENAME_TABLE;
            case SET_DEFAULT -> SET_COLUMN_DEFAULT;
            case DROP_DEFAULT -> DROP_COLUMN_DEFAULT;
            case SET_NOT_NULL -> MAKE_COLUMN_NOT_NULL;
            case DROP_NOT_NULL -> MAKE_COLUMN_NULL;
            default -> null; // OPTION, OTHER: MySqlTableOptions.operations, one per option
        };
    }

    /**
     * With {@code foreign_key_checks=0} (the session's own value, asked live: a migration often sets it
     * just before) the key is added in place, and instantly when an index already leads with its first
     * column; with checks on, only a copy checks the rows. The manual, "Foreign Key Operations".
     */
    private static OnlineDdlOperation foreignKey(DdlStatement s, AlterAction a, Catalog catalog) {
        return foreignKey(s, a.constraintDef().columns(), catalog);
    }

    /** The same for a key on these columns (an inline REFERENCES of a new column names its one column). */
    static OnlineDdlOperation foreignKey(DdlStatement s, List<Identifier> columns, Catalog catalog) {
        if (!"0".equals(catalog.setting("foreign_key_checks"))) {
            return ADD_FOREIGN_KEY;
        }
        if (s.table() == null || columns.isEmpty()) {
            return ADD_FOREIGN_KEY_NO_CHECKS;
        }
        String first = catalog.columnType(s.table(), columns.get(0));
        // A multi-column key whose index covers only the first column makes the server refuse INSTANT;
        // the guard then falls back to NOCOPY (ConnectionGuard), never below the truth.
        return first != null && MySqlColumn.parse(first).leadsIndex()
                ? ADD_FOREIGN_KEY_NO_CHECKS_INDEXED
                : ADD_FOREIGN_KEY_NO_CHECKS;
    }

    /**
     * {@code DROP CONSTRAINT c} names a CHECK, a UNIQUE key or a foreign key alike (MariaDB 10.2+,
     * MySQL 8.0.19+): the catalog says which. Dropping a UNIQUE key drops its index (NOCOPY on
     * MariaDB, not INSTANT). Unknown, the instant guess stands: a refusal falls back to the next
     * online clause.
     */
    private static OnlineDdlOperation dropConstraint(DdlStatement s, AlterAction a, Catalog catalog) {
        if ("PRIMARY KEY".equals(a.constraint())) {
            return DROP_PRIMARY_KEY;
        }
        if (s.text().hasWord("FOREIGN", a.start(), a.end())) {
            return DROP_FOREIGN_KEY;
        }
        String type = s.table() == null || a.column() == null ? null : catalog.constraintKind(s.table(), a.column());
        if (type == null) {
            return DROP_CHECK_CONSTRAINT;
        }
        return switch (type.toUpperCase(Locale.ROOT)) {
            case "UNIQUE" -> DROP_INDEX;
            case "FOREIGN KEY" -> DROP_FOREIGN_KEY;
            case "PRIMARY KEY" -> DROP_PRIMARY_KEY;
            default -> DROP_CHECK_CONSTRAINT;
        };
    }
}
