package dev.ddlguard.dialect.mysql;

import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.*;

import dev.ddlguard.dialect.Catalog;
import dev.ddlguard.sql.AlterAction;
import dev.ddlguard.sql.ColumnDefinition;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.Token;
import dev.ddlguard.sql.Verb;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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
    private static final Pattern CHARSET = Pattern.compile("(?i)(?:character set|charset) (\\w+)");
    private static final Pattern ENUM = Pattern.compile("(?is)\\s*(enum|set)\\s*\\((.*)\\).*");

    private MySqlOperations() {
    }

    /** The operations the statement performs; empty when it is not one the matrix covers. */
    static List<OnlineDdlOperation> of(DdlStatement s, Catalog catalog, OnlineDdlMatrix.Flavour flavour) {
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
                if (a.kind() == AlterAction.Kind.ALTER_COLUMN_TYPE) {
                    ops.addAll(modify(s, a, catalog, flavour));
                    continue;
                }
                if (a.kind() == AlterAction.Kind.RENAME_COLUMN && a.definition() != null && a.definition().type() != null) {
                    // CHANGE old new <definition> renames and restates the column: what else changes counts too
                    // (CHANGE a a2 BIGINT is a type change, not an instant rename).
                    ops.add(RENAME_COLUMN);
                    modify(s, a, catalog, flavour).stream().filter(op -> op != SET_COLUMN_DEFAULT).forEach(ops::add);
                    continue;
                }
                OnlineDdlOperation op = of(s, a, catalog, dropsPrimaryKey);
                if (op != null && !(op == DROP_PRIMARY_KEY && s.actions().stream().anyMatch(
                        x -> x.kind() == AlterAction.Kind.ADD_CONSTRAINT && "PRIMARY KEY".equals(x.constraint())))) {
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
     * TABLESPACE, EXCHANGE PARTITION). Asked without the catalog: none of these reads it.
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
            String text = a.text(sql).strip();
            if (of(s, a, Catalog.OFFLINE, false) == null && !text.isEmpty() && !HARMLESS.matcher(text).lookingAt()
                    && !ONLY_CLAUSE.matcher(text).matches()) {
                unknown.add(text);
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
            case ADD_INDEX -> s.text().hasWord("FULLTEXT", a.start(), a.end()) ? ADD_FULLTEXT_INDEX
                    : s.text().hasWord("SPATIAL", a.start(), a.end()) ? ADD_SPATIAL_INDEX : ADD_INDEX;
            case ADD_CONSTRAINT -> switch (a.constraint()) {
                case "PRIMARY KEY" -> dropsPrimaryKey ? DROP_PRIMARY_KEY_ADD_PRIMARY_KEY : ADD_PRIMARY_KEY;
                case "UNIQUE" -> ADD_INDEX;
                case "FOREIGN KEY" -> foreignKey(s, a, catalog);
                case "CHECK" -> ADD_CHECK_CONSTRAINT;
                default -> null;
            };
            case DROP_INDEX -> DROP_INDEX;
            case DROP_CONSTRAINT -> dropConstraint(s, a, catalog);
            case ADD_COLUMN -> addColumn(s, a);
            case DROP_COLUMN -> DROP_COLUMN;
            case RENAME_COLUMN -> RENAME_COLUMN;
            case RENAME_TABLE -> RENAME_TABLE;
            case SET_DEFAULT -> SET_COLUMN_DEFAULT;
            case DROP_DEFAULT -> DROP_COLUMN_DEFAULT;
            case SET_NOT_NULL -> MAKE_COLUMN_NOT_NULL;
            case DROP_NOT_NULL -> MAKE_COLUMN_NULL;
            case OPTION -> option(a.text(sql));
            case OTHER -> convert(s, other(a.text(sql)), a.text(sql), catalog);
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
     * With {@code foreign_key_checks=0} (the session's own value, asked live: a migration often sets it
     * just before) the key is added in place, and instantly when an index already leads with its first
     * column; with checks on, only a copy checks the rows. The manual, "Foreign Key Operations".
     */
    private static OnlineDdlOperation foreignKey(DdlStatement s, AlterAction a, Catalog catalog) {
        if (!"0".equals(catalog.setting("foreign_key_checks"))) {
            return ADD_FOREIGN_KEY;
        }
        List<Identifier> columns = a.constraintDef().columns();
        if (s.table() == null || columns.isEmpty()) {
            return ADD_FOREIGN_KEY_NO_CHECKS;
        }
        String first = catalog.columnType(s.table(), columns.get(0));
        // A multi-column key whose index covers only the first column makes the server refuse INSTANT;
        // the guard then falls back to NOCOPY (ConnectionGuard), never below the truth.
        return first != null && MySqlColumn.parse(first).leadsIndex() ? ADD_FOREIGN_KEY_NO_CHECKS_INDEXED
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

    /**
     * MODIFY/CHANGE restate the whole column: only the catalog tells what actually changes. Each
     * change is one operation (a VARCHAR widened and made nullable is both); a restated column whose
     * type, character set, collation and nullability stay changes at most its default or comment,
     * which is metadata only. Without the catalog, the heaviest reading (a type change) is assumed.
     */
    private static List<OnlineDdlOperation> modify(DdlStatement s, AlterAction a, Catalog catalog,
                                                   OnlineDdlMatrix.Flavour flavour) {
        if (s.text().hasWord("FIRST", a.start(), a.end()) || s.text().hasWord("AFTER", a.start(), a.end())) {
            return List.of(REORDER_COLUMN);
        }
        ColumnDefinition d = a.definition();
        String line = s.table() == null || a.column() == null ? null : catalog.columnType(s.table(), a.column());
        if (d == null || d.type() == null || line == null) {
            return List.of(CHANGE_COLUMN_TYPE);
        }
        MySqlColumn current = MySqlColumn.parse(line);
        List<OnlineDdlOperation> ops = new ArrayList<>();
        String from = normal(current.type());
        String to = normal(d.type());
        if (!from.equals(to)) {
            OnlineDdlOperation typeChange = typeChange(from, to, current.charset());
            if (typeChange == CHANGE_COLUMN_TYPE) {
                return List.of(CHANGE_COLUMN_TYPE);
            }
            ops.add(typeChange);
        }
        if (current.charset() != null) {
            String writtenCollation = wordAfter(s, a, "COLLATE");
            Matcher writtenCharset = CHARSET.matcher(d.type().replaceAll("\\s+", " "));
            String targetCollation;
            String targetCharset;
            if (writtenCollation != null) {
                targetCollation = writtenCollation;
                targetCharset = MySqlColumn.charsetOf(writtenCollation);
            } else if (writtenCharset.find()) {
                targetCharset = MySqlColumn.normalCharset(writtenCharset.group(1));
                targetCollation = MySqlColumn.defaultCollation(targetCharset, flavour);
            } else {
                // A MODIFY that names no character set gives the column the table's default one.
                targetCollation = current.tableCollation();
                targetCharset = MySqlColumn.charsetOf(targetCollation);
            }
            String currentCharset = MySqlColumn.normalCharset(current.charset());
            if (targetCharset != null && !targetCharset.equals(currentCharset)) {
                if (!(currentCharset.equals("utf8mb3") && targetCharset.equals("utf8mb4"))) {
                    return List.of(CHANGE_COLUMN_TYPE);
                }
                ops.add(CONVERT_CHARACTER_SET_UTF8MB3_TO_UTF8MB4);
            } else if (targetCharset != null && (targetCollation == null || !targetCollation.equalsIgnoreCase(current.collation()))) {
                ops.add(current.indexed() ? CHANGE_INDEXED_COLUMN_COLLATION : CHANGE_COLUMN_COLLATION);
            }
        }
        boolean notNull = d.notNull() || d.primaryKey();
        if (notNull != current.notNull()) {
            ops.add(notNull ? MAKE_COLUMN_NOT_NULL : MAKE_COLUMN_NULL);
        }
        if (ops.isEmpty()) {
            ops.add(SET_COLUMN_DEFAULT);   // same type, character set, collation and nullability: default or comment
        }
        return ops;
    }

    /** The operation for a changed base type: a VARCHAR widened, ENUM values added, or a real type change. */
    private static OnlineDdlOperation typeChange(String from, String to, String charset) {
        Matcher fromVarchar = VARCHAR.matcher(from);
        Matcher toVarchar = VARCHAR.matcher(to);
        if (fromVarchar.matches() && toVarchar.matches()) {
            int oldChars = Integer.parseInt(fromVarchar.group(1));
            int newChars = Integer.parseInt(toVarchar.group(1));
            if (newChars < oldChars) {
                return CHANGE_COLUMN_TYPE;
            }
            int bytesPerChar = bytesPerChar(charset);
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

    /** The word after {@code keyword} within the action ({@code COLLATE utf8mb4_bin}: utf8mb4_bin), or null. */
    private static String wordAfter(DdlStatement s, AlterAction a, String keyword) {
        String sql = s.text().source();
        List<Token> tokens = s.text().tokens().stream()
                .filter(t -> !t.isComment() && t.start() >= a.start() && t.end() <= a.end()).toList();
        for (int i = 0; i + 1 < tokens.size(); i++) {
            if (tokens.get(i).isWord(sql, keyword)) {
                int v = i + 1;
                if ("=".equals(tokens.get(v).text(sql)) && v + 1 < tokens.size()) {
                    v++;
                }
                String word = tokens.get(v).text(sql);
                return word.replace("`", "").replace("'", "").replace("\"", "").toLowerCase(Locale.ROOT);
            }
        }
        return null;
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

    /**
     * {@code CONVERT TO CHARACTER SET utf8mb4} of a table whose string columns are all utf8mb3 (or
     * already utf8mb4) changes no stored byte: MariaDB 10.4.3+ does it instantly. Any other column
     * (latin1 …) is re-encoded by a copy; without the catalog the copy is assumed.
     */
    private static OnlineDdlOperation convert(DdlStatement s, OnlineDdlOperation op, String text, Catalog catalog) {
        if (op != CONVERT_CHARACTER_SET || s.table() == null) {
            return op;
        }
        String upper = text.toUpperCase(Locale.ROOT).replaceAll("\\s+", " ").trim();
        if (!upper.startsWith("CONVERT TO CHARACTER SET UTF8MB4") && !upper.startsWith("CONVERT TO CHARSET UTF8MB4")) {
            return op;
        }
        Set<String> charsets = catalog.columnCharsets(s.table());
        boolean allUtf8 = !charsets.isEmpty() && charsets.stream().allMatch(
                c -> c.equals("utf8mb3") || c.equals("utf8") || c.equals("utf8mb4"));
        return allUtf8 ? CONVERT_CHARACTER_SET_UTF8MB3_TO_UTF8MB4 : op;
    }

    /** Table options written without {@code =} ({@code COMMENT 'x'}, {@code ENGINE InnoDB}), read as options. */
    private static final Pattern OPTION_WITHOUT_EQUALS = Pattern.compile("(?i)(COMMENT|ENGINE|ROW_FORMAT|KEY_BLOCK_SIZE"
            + "|STATS_\\w+|AUTO_INCREMENT|CHECKSUM|PACK_KEYS|DELAY_KEY_WRITE|AVG_ROW_LENGTH|MAX_ROWS|MIN_ROWS|PAGE_CHECKSUM"
            + "|PAGE_COMPRESSED|PAGE_COMPRESSION_LEVEL|TRANSACTIONAL|ENCRYPTED|ENCRYPTION_KEY_ID|IETF_QUOTES)\\b");

    private static OnlineDdlOperation other(String text) {
        if (OPTION_WITHOUT_EQUALS.matcher(text.strip()).lookingAt()) {
            return option(text.strip());
        }
        String upper = text.toUpperCase(Locale.ROOT).replaceAll("\\s+", " ").trim();
        if (upper.startsWith("CONVERT TO")) {
            return CONVERT_CHARACTER_SET;   // refined by convert(), which knows the table's columns
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
                .replaceAll(" (not null|null|default .*|comment .*|character set .*|charset .*|collate .*)$", "");
        return INTEGER_WIDTH.matcher(t).replaceAll("$1").replaceAll("\\binteger\\b", "int");
    }
}
