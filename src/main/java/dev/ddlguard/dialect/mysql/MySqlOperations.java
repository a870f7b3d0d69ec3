package dev.ddlguard.dialect.mysql;

import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.*;

import dev.ddlguard.dialect.Catalog;
import dev.ddlguard.sql.AlterAction;
import dev.ddlguard.sql.ColumnDefinition;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.Verb;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps a statement to the operation classes of the online-DDL matrix, one per ALTER TABLE action.
 * Where the class depends on the column as it is (a VARCHAR growing past its length prefix, an ENUM
 * value appended or inserted), the live catalog decides; without it, the heavier class is assumed.
 */
final class MySqlOperations {

    private static final Pattern VARCHAR = Pattern.compile("(?i)\\s*varchar\\s*\\(\\s*(\\d+)\\s*\\).*");
    /** MySqlDialect.columnType appends the column's character set: the length prefix depends on it. */
    private static final Pattern CHARSET = Pattern.compile("(?i)character set (\\w+)");
    private static final Pattern ENUM = Pattern.compile("(?is)\\s*(enum|set)\\s*\\((.*)\\).*");

    private MySqlOperations() {
    }

    /** The operations the statement performs; empty when it is not one the matrix covers. */
    static List<OnlineDdlOperation> of(DdlStatement s, Catalog catalog) {
        List<OnlineDdlOperation> ops = new ArrayList<>();
        if (s.is(Verb.CREATE, "INDEX")) {
            ops.add(s.text().hasWord("FULLTEXT", 0, Integer.MAX_VALUE) ? ADD_FULLTEXT_INDEX
                    : s.text().hasWord("SPATIAL", 0, Integer.MAX_VALUE) ? ADD_SPATIAL_INDEX : ADD_INDEX);
        } else if (s.is(Verb.DROP, "INDEX")) {
            ops.add(DROP_INDEX);
        } else if (s.verb() == Verb.OPTIMIZE) {
            ops.add(OPTIMIZE_TABLE);
        } else if (s.is(Verb.ALTER, "TABLE")) {
            boolean dropsPrimaryKey = s.actions().stream().anyMatch(a -> a.kind() == AlterAction.Kind.DROP_CONSTRAINT
                    && "PRIMARY KEY".equals(a.constraint()));
            for (AlterAction a : s.actions()) {
                OnlineDdlOperation op = of(s, a, catalog, dropsPrimaryKey);
                if (op != null && !(op == DROP_PRIMARY_KEY && s.actions().stream().anyMatch(
                        x -> x.kind() == AlterAction.Kind.ADD_CONSTRAINT && "PRIMARY KEY".equals(x.constraint())))) {
                    ops.add(op);
                }
            }
        }
        return ops;
    }

    private static OnlineDdlOperation of(DdlStatement s, AlterAction a, Catalog catalog, boolean dropsPrimaryKey) {
        String sql = s.text().source();
        return switch (a.kind()) {
            case ADD_INDEX -> s.text().hasWord("FULLTEXT", a.start(), a.end()) ? ADD_FULLTEXT_INDEX
                    : s.text().hasWord("SPATIAL", a.start(), a.end()) ? ADD_SPATIAL_INDEX : ADD_INDEX;
            case ADD_CONSTRAINT -> switch (a.constraint()) {
                case "PRIMARY KEY" -> dropsPrimaryKey ? DROP_PRIMARY_KEY_ADD_PRIMARY_KEY : ADD_PRIMARY_KEY;
                case "UNIQUE" -> ADD_INDEX;
                case "FOREIGN KEY" -> "0".equals(catalog.setting("foreign_key_checks")) ? ADD_FOREIGN_KEY_NO_CHECKS : ADD_FOREIGN_KEY;
                case "CHECK" -> ADD_CHECK_CONSTRAINT;
                default -> null;
            };
            case DROP_INDEX -> DROP_INDEX;
            case DROP_CONSTRAINT -> "PRIMARY KEY".equals(a.constraint()) ? DROP_PRIMARY_KEY
                    : s.text().hasWord("FOREIGN", a.start(), a.end()) ? DROP_FOREIGN_KEY : DROP_CHECK_CONSTRAINT;
            case ADD_COLUMN -> addColumn(s, a);
            case DROP_COLUMN -> DROP_COLUMN;
            case RENAME_COLUMN -> RENAME_COLUMN;
            case RENAME_TABLE -> RENAME_TABLE;
            case SET_DEFAULT -> SET_COLUMN_DEFAULT;
            case DROP_DEFAULT -> DROP_COLUMN_DEFAULT;
            case ALTER_COLUMN_TYPE, SET_NOT_NULL, DROP_NOT_NULL -> modify(s, a, catalog);
            case OPTION -> option(a.text(sql));
            case OTHER -> other(a.text(sql));
            default -> null;
        };
    }

    private static OnlineDdlOperation addColumn(DdlStatement s, AlterAction a) {
        ColumnDefinition d = a.definition();
        if (d != null && d.identity()) {
            return ADD_AUTO_INCREMENT_COLUMN;
        }
        if (d != null && d.generated()) {
            return s.text().hasWord("STORED", a.start(), a.end()) || s.text().hasWord("PERSISTENT", a.start(), a.end())
                    ? ADD_STORED_GENERATED_COLUMN : ADD_VIRTUAL_GENERATED_COLUMN;
        }
        return s.text().hasWord("FIRST", a.start(), a.end()) || s.text().hasWord("AFTER", a.start(), a.end())
                ? ADD_COLUMN_FIRST_OR_AFTER : ADD_COLUMN_LAST;
    }

    /**
     * MODIFY/CHANGE keep the column but may change its type: only the catalog tells a same-type
     * NULL/NOT NULL change, a VARCHAR growing within its length prefix, or ENUM values appended.
     */
    private static OnlineDdlOperation modify(DdlStatement s, AlterAction a, Catalog catalog) {
        if (a.kind() == AlterAction.Kind.SET_NOT_NULL) {
            return MAKE_COLUMN_NOT_NULL;
        }
        if (a.kind() == AlterAction.Kind.DROP_NOT_NULL) {
            return MAKE_COLUMN_NULL;
        }
        if (s.text().hasWord("FIRST", a.start(), a.end()) || s.text().hasWord("AFTER", a.start(), a.end())) {
            return REORDER_COLUMN;
        }
        ColumnDefinition d = a.definition();
        String current = s.table() == null || a.column() == null ? null : catalog.columnType(s.table(), a.column());
        if (d == null || d.type() == null || current == null) {
            return CHANGE_COLUMN_TYPE;
        }
        String from = normal(current);
        String to = normal(d.type());
        if (from.equals(to)) {
            return d.notNull() ? MAKE_COLUMN_NOT_NULL : MAKE_COLUMN_NULL;
        }
        Matcher fromVarchar = VARCHAR.matcher(from);
        Matcher toVarchar = VARCHAR.matcher(to);
        if (fromVarchar.matches() && toVarchar.matches()) {
            int oldChars = Integer.parseInt(fromVarchar.group(1));
            int newChars = Integer.parseInt(toVarchar.group(1));
            if (newChars < oldChars) {
                return CHANGE_COLUMN_TYPE;
            }
            Matcher charset = CHARSET.matcher(current);
            int bytesPerChar = bytesPerChar(charset.find() ? charset.group(1) : null);
            boolean oldShortPrefix = oldChars * bytesPerChar <= 255;
            boolean newShortPrefix = newChars * bytesPerChar <= 255;
            if (oldShortPrefix == newShortPrefix) {
                return EXTEND_VARCHAR_SAME_LENGTH_PREFIX;
            }
            // Up to 127 bytes a one-byte length is also a valid two-byte-prefix length (values < 128 take one
            // byte either way), so MariaDB 10.4.3+ extends such a column instantly (measured: utf8mb4
            // VARCHAR(31) to VARCHAR(100) is INSTANT, VARCHAR(32) is refused).
            return oldChars * bytesPerChar <= 127 ? EXTEND_VARCHAR_LONGER_LENGTH_PREFIX_FROM_SHORT
                    : EXTEND_VARCHAR_LONGER_LENGTH_PREFIX;
        }
        Matcher fromEnum = ENUM.matcher(from);
        Matcher toEnum = ENUM.matcher(to);
        if (fromEnum.matches() && toEnum.matches() && fromEnum.group(1).equalsIgnoreCase(toEnum.group(1))) {
            String oldValues = fromEnum.group(2).replace(" ", "");
            String newValues = toEnum.group(2).replace(" ", "");
            return newValues.startsWith(oldValues + ",") ? ENUM_SET_APPEND_VALUES : ENUM_SET_INSERT_VALUES_MIDDLE;
        }
        return CHANGE_COLUMN_TYPE;
    }

    /** Table options written as {@code NAME=value}; ALGORITHM and LOCK are the statement's own clause, not an operation. */
    private static OnlineDdlOperation option(String text) {
        String upper = text.toUpperCase(Locale.ROOT).replace(" ", "");
        if (upper.startsWith("ALGORITHM") || upper.startsWith("LOCK")) {
            // PARTITION BY and REMOVE PARTITIONING take the clause as a prefix without a comma, so the action
            // reads "ALGORITHM=INSTANT REMOVE PARTITIONING": what follows the clause is the operation.
            String rest = text.replaceFirst("(?is)^\\s*(ALGORITHM|LOCK)\\s*=?\\s*\\w+\\s*", "");
            return rest.isBlank() ? null : other(rest);
        }
        if (upper.startsWith("ENGINE")) {
            return REBUILD_FORCE;
        }
        if (upper.startsWith("ROW_FORMAT") || upper.startsWith("KEY_BLOCK_SIZE")) {
            return CHANGE_ROW_FORMAT_OR_KEY_BLOCK_SIZE;
        }
        if (upper.startsWith("STATS_")) {
            return SET_TABLE_OPTIONS_STATS;
        }
        if (upper.startsWith("AUTO_INCREMENT")) {
            return SET_AUTO_INCREMENT_VALUE;
        }
        if (upper.startsWith("CHARACTERSET") || upper.startsWith("CHARSET") || upper.startsWith("DEFAULTCHARACTERSET")
                || upper.startsWith("DEFAULTCHARSET") || upper.startsWith("COLLATE") || upper.startsWith("DEFAULTCOLLATE")) {
            return SET_TABLE_DEFAULT_CHARACTER_SET;
        }
        return SET_TABLE_OPTIONS_STATS;   // COMMENT=, other metadata-only table options
    }

    private static OnlineDdlOperation other(String text) {
        String upper = text.toUpperCase(Locale.ROOT).replaceAll("\\s+", " ").trim();
        if (upper.startsWith("CONVERT TO")) {
            return CONVERT_CHARACTER_SET;
        }
        if (upper.startsWith("DEFAULT CHARACTER SET") || upper.startsWith("DEFAULT CHARSET") || upper.startsWith("CHARACTER SET")) {
            return SET_TABLE_DEFAULT_CHARACTER_SET;
        }
        if (upper.equals("FORCE") || upper.startsWith("ENGINE")) {
            return REBUILD_FORCE;
        }
        if (upper.startsWith("RENAME INDEX") || upper.startsWith("RENAME KEY")) {
            return RENAME_INDEX;
        }
        if (upper.startsWith("PARTITION BY")) {
            return PARTITION_BY;
        }
        if (upper.startsWith("ADD PARTITION")) {
            return ADD_PARTITION;
        }
        if (upper.startsWith("DROP PARTITION")) {
            return DROP_PARTITION;
        }
        if (upper.startsWith("TRUNCATE PARTITION")) {
            return TRUNCATE_PARTITION;
        }
        if (upper.startsWith("REORGANIZE PARTITION") || upper.startsWith("COALESCE PARTITION")) {
            return REORGANIZE_OR_REPARTITION;
        }
        if (upper.startsWith("REMOVE PARTITIONING")) {
            return REMOVE_PARTITIONING;
        }
        return null;
    }

    /** utf8mb4 takes up to 4 bytes a character, utf8mb3 3, the single-byte sets 1; unknown counts as utf8mb4. */
    static int bytesPerChar(String charset) {
        if (charset == null) {
            return 4;
        }
        String c = charset.toLowerCase(Locale.ROOT);
        if (c.startsWith("utf8mb3") || c.equals("utf8")) {
            return 3;
        }
        if (c.startsWith("utf16") || c.startsWith("ucs2")) {
            return c.startsWith("ucs2") ? 2 : 4;
        }
        if (c.startsWith("latin") || c.equals("ascii") || c.equals("binary") || c.startsWith("cp125")) {
            return 1;
        }
        return 4;
    }

    /** An integer type's display width, which COLUMN_TYPE shows ({@code int(11)}) and a definition usually omits. */
    private static final Pattern INTEGER_WIDTH = Pattern.compile("\\b(tinyint|smallint|mediumint|int|integer|bigint)\\(\\d+\\)");

    private static String normal(String type) {
        String t = type.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").replace(" (", "(").trim()
                .replaceAll(" (not null|null|default .*|comment .*|character set .*|collate .*)$", "");
        return INTEGER_WIDTH.matcher(t).replaceAll("$1").replaceAll("\\binteger\\b", "int");
    }
}
