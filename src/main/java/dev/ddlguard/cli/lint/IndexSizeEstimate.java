package dev.ddlguard.cli.lint;

import dev.ddlguard.rules.Catalog;
import dev.ddlguard.sql.AlterAction;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.StatementText;
import dev.ddlguard.sql.Token;
import dev.ddlguard.sql.Verb;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The size of an index a statement builds, estimated from the table's row count and the key columns' types
 * (from the live catalog), with the storage engine's per-entry overhead:
 * <ul>
 * <li>PostgreSQL B-tree: each leaf entry is an 8-byte tuple header plus the key, padded to 8 bytes, plus a 4-byte
 * line pointer; a build fills leaf pages to 90% (the default fillfactor) and each 8 kB page keeps 40 bytes for itself.
 * <li>InnoDB secondary index: each record is a 5-byte header, a byte of lengths, the key and the primary key
 * (assumed 8 bytes: the table's key is not looked up), plus about half a byte of page directory; a sorted build
 * leaves 1/16 of each 16 kB page free.
 * </ul>
 * A key column of variable length (text, varchar) counts {@value #VARIABLE_WIDTH} bytes, an expression too: the
 * data decides, so the estimate can be off by that much per row. Internal pages (well under 1%) are left out.
 */
final class IndexSizeEstimate {

    /** The width assumed for a key of variable length or an expression. */
    static final int VARIABLE_WIDTH = 32;

    private static final Pattern LENGTH = Pattern.compile("\\((\\d+)\\)");

    private IndexSizeEstimate() {}

    /** The estimated bytes, or null when the row count is unknown. */
    static Long bytes(DdlStatement ddl, QualifiedName table, Long rows, Catalog catalog, boolean mysql) {
        if (rows == null) {
            return null;
        }
        int key = 0;
        List<String> columns = keyColumns(ddl);
        for (String column : columns) {
            key += column == null ? VARIABLE_WIDTH : width(catalog.columnType(table, identifier(column)));
        }
        if (columns.isEmpty()) {
            key = VARIABLE_WIDTH;
        }
        double perRow = mysql
                ? (5 + 1 + key + 8 + 0.5) / (15.0 / 16) * 16384 / (16384 - 120)
                : (align8(8 + key) + 4) / 0.9 * 8192 / (8192 - 40);
        return (long) Math.ceil(rows * perRow);
    }

    /** The key columns of the index the statement builds, in order; null for an expression. */
    static List<String> keyColumns(DdlStatement ddl) {
        StatementText text = ddl.text();
        int from = text.codeStart();
        int to = text.end();
        if (ddl.verb() == Verb.ALTER) {
            AlterAction add = ddl.actions().stream()
                    .filter(a -> a.kind() == AlterAction.Kind.ADD_INDEX || a.kind() == AlterAction.Kind.ADD_CONSTRAINT)
                    .findFirst()
                    .orElse(null);
            if (add == null) {
                return List.of();
            }
            from = add.start();
            to = add.end();
        }
        List<Token> tokens = text.codeWithin(from, to);
        int open = 0;
        if (ddl.verb() == Verb.CREATE) {
            // CREATE INDEX name ON table [USING method] ( … ): the list after ON
            while (open < tokens.size() && !tokens.get(open).isWord(text.source(), "ON")) {
                open++;
            }
        }
        while (open < tokens.size() && !tokens.get(open).text(text.source()).equals("(")) {
            open++;
        }
        List<String> columns = new ArrayList<>();
        List<String> element = new ArrayList<>();
        int depth = 0;
        for (int i = open; i < tokens.size(); i++) {
            String word = tokens.get(i).text(text.source());
            if (word.equals("(")) {
                depth++;
                if (depth == 1) {
                    continue;
                }
            } else if (word.equals(")")) {
                depth--;
                if (depth == 0) {
                    columns.add(column(element));
                    return columns;
                }
            } else if (word.equals(",") && depth == 1) {
                columns.add(column(element));
                element.clear();
                continue;
            }
            element.add(word);
        }
        return columns;
    }

    /** The column of one key element: its first word when a word starts it and no parenthesis follows (a call), else null. */
    private static String column(List<String> element) {
        if (element.isEmpty()) {
            return null;
        }
        String first = element.get(0);
        // lower(email) is an expression; MySQL's name(10) is a column with a prefix length
        boolean call = element.size() > 1
                && element.get(1).equals("(")
                && !(element.size() > 2 && element.get(2).matches("\\d+"));
        return first.equals("(") || call ? null : first;
    }

    private static Identifier identifier(String written) {
        return written.startsWith("\"") || written.startsWith("`")
                ? Identifier.ofQuoted(written)
                : new Identifier(written, false);
    }

    /** The bytes one key column takes, from the type the catalog gives ({@code integer}, {@code int(11) not null …}). */
    static int width(String type) {
        if (type == null) {
            return VARIABLE_WIDTH;
        }
        String t = type.toLowerCase(Locale.ROOT).strip();
        if (t.startsWith("bigint")
                || t.startsWith("double")
                || t.startsWith("timestamp")
                || t.startsWith("datetime")
                || t.startsWith("numeric")
                || t.startsWith("decimal")
                || t.startsWith("time")) {
            return 8;
        }
        if (t.startsWith("smallint")) {
            return 2;
        }
        if (t.startsWith("mediumint")) {
            return 3;
        }
        if (t.startsWith("tinyint") || t.startsWith("boolean") || t.startsWith("bool") || t.startsWith("bit")) {
            return 1;
        }
        if (t.startsWith("int")
                || t.startsWith("real")
                || t.startsWith("float")
                || t.startsWith("date")
                || t.startsWith("year")) {
            return 4;
        }
        if (t.startsWith("uuid") || t.startsWith("interval")) {
            return 16;
        }
        if (t.startsWith("char")
                || t.startsWith("character(")
                || t.startsWith("varchar")
                || t.startsWith("character varying")) {
            Matcher m = LENGTH.matcher(t);
            return m.find() ? Math.min(Integer.parseInt(m.group(1)), VARIABLE_WIDTH) + 1 : VARIABLE_WIDTH;
        }
        return VARIABLE_WIDTH;
    }

    private static int align8(int n) {
        return (n + 7) / 8 * 8;
    }
}
