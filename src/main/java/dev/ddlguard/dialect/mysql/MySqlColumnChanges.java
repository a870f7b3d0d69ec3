package dev.ddlguard.dialect.mysql;

import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.*;

import dev.ddlguard.rules.Catalog;
import dev.ddlguard.sql.AlterAction;
import dev.ddlguard.sql.ColumnDefinition;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a MySQL/MariaDB {@code MODIFY} or {@code CHANGE} of a column changes, compared with the column as
 * the live catalog shows it: a VARCHAR growing within or past its length prefix, ENUM values appended or
 * inserted, a character set or collation, nullability. Without the catalog, a type change is assumed.
 */
final class MySqlColumnChanges {

    private static final Pattern VARCHAR = Pattern.compile("(?i)\\s*varchar\\s*\\(\\s*(\\d+)\\s*\\).*");
    /** MySqlDialect.columnType appends the column's character set: the length prefix depends on it. */
    private static final Pattern CHARSET = Pattern.compile("(?i)(?:character set|charset) (\\w+)");

    private static final Pattern ENUM = Pattern.compile("(?is)\\s*(enum|set)\\s*\\((.*)\\).*");

    private MySqlColumnChanges() {}

    /**
     * MODIFY/CHANGE restate the whole column: only the catalog tells what actually changes. Each
     * change is one operation (a VARCHAR widened and made nullable is both); a restated column whose
     * type, character set, collation and nullability stay changes at most its default or comment,
     * which is metadata only. Without the catalog, the heaviest reading (a type change) is assumed.
     */
    static List<OnlineDdlOperation> modify(
            DdlStatement s, AlterAction a, Catalog catalog, OnlineDdlMatrix.Flavour flavour) {
        List<OnlineDdlOperation> ops = compared(s, a, catalog, flavour);
        if (!movesColumn(s, a) || ops.equals(List.of(CHANGE_COLUMN_TYPE))) {
            return ops;
        }
        // FIRST | AFTER moves the column as well: the move is one more operation, never instead of the others
        // (a collation or type change written with AFTER was read as a move alone and sent INSTANT)
        List<OnlineDdlOperation> moved = new ArrayList<>(ops);
        moved.remove(SET_COLUMN_DEFAULT); // "nothing else changed" holds no operation of its own
        moved.add(REORDER_COLUMN);
        return moved;
    }

    /**
     * Whether the definition ends in a position clause ({@code … FIRST}, {@code … AFTER col}); not a column called
     * first ({@code CHANGE first first_name …}) nor the words in a comment or default.
     */
    private static boolean movesColumn(DdlStatement s, AlterAction a) {
        String sql = s.text().source();
        List<Token> code = s.text().codeWithin(a.start(), a.end());
        int n = code.size();
        return n >= 3 && code.get(n - 1).isWord(sql, "FIRST")
                || n >= 4 && code.get(n - 2).isWord(sql, "AFTER");
    }

    private static List<OnlineDdlOperation> compared(
            DdlStatement s, AlterAction a, Catalog catalog, OnlineDdlMatrix.Flavour flavour) {
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
            } else if (targetCharset != null
                    && (targetCollation == null || !targetCollation.equalsIgnoreCase(current.collation()))) {
                ops.add(current.indexed() ? CHANGE_INDEXED_COLUMN_COLLATION : CHANGE_COLUMN_COLLATION);
            }
        }
        boolean notNull = d.notNull() || d.primaryKey();
        if (notNull != current.notNull()) {
            ops.add(notNull ? MAKE_COLUMN_NOT_NULL : MAKE_COLUMN_NULL);
        }
        if (ops.isEmpty()) {
            ops.add(SET_COLUMN_DEFAULT); // same type, character set, collation and nullability: default or comment
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
            return oldChars * bytesPerChar <= 127
                    ? EXTEND_VARCHAR_LONGER_LENGTH_PREFIX_FROM_SHORT
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
                .filter(t -> !t.isComment() && t.start() >= a.start() && t.end() <= a.end())
                .toList();
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

    /** utf8mb4 takes up to 4 bytes a character, utf8mb3 3, the single-byte sets 1; unknown counts as utf8mb4. */
    private static int bytesPerChar(String charset) {
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
    private static final Pattern INTEGER_WIDTH =
            Pattern.compile("\\b(tinyint|smallint|mediumint|int|integer|bigint)\\(\\d+\\)");

    private static String normal(String type) {
        String t = type.toLowerCase(Locale.ROOT)
                .replaceAll("\\s+", " ")
                .replace(" (", "(")
                .trim()
                .replaceAll(" (not null|null|default .*|comment .*|character set .*|charset .*|collate .*)$", "");
        return INTEGER_WIDTH.matcher(t).replaceAll("$1").replaceAll("\\binteger\\b", "int");
    }
}
