package dev.ddlguard.dialect.mysql;

import dev.ddlguard.rules.Catalog;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.Token;
import dev.ddlguard.sql.TokenKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The column names a MySQL or MariaDB view definition gives, as the server names them ({@link ViewRules}): its column
 * list, else its first SELECT's items. What it cannot read (a * over a join or a WITH name, VALUES) is null.
 */
final class ViewColumns {

    private ViewColumns() {}

    /** Words a SELECT may start with before its first column. */
    private static final Set<String> SELECT_OPTIONS = Set.of(
            "ALL",
            "DISTINCT",
            "DISTINCTROW",
            "HIGH_PRIORITY",
            "STRAIGHT_JOIN",
            "SQL_SMALL_RESULT",
            "SQL_BIG_RESULT",
            "SQL_BUFFER_RESULT",
            "SQL_CACHE",
            "SQL_NO_CACHE",
            "SQL_CALC_FOUND_ROWS");

    /** Words that end a SELECT's items: FROM, a set operation, INTO, or a clause of a SELECT without FROM. */
    private static final Set<String> AFTER_ITEMS = Set.of(
            "FROM",
            "UNION",
            "EXCEPT",
            "INTERSECT",
            "INTO",
            "WHERE",
            "GROUP",
            "HAVING",
            "ORDER",
            "LIMIT",
            "WINDOW",
            "FOR",
            "LOCK");

    /** Words that end the FROM clause's one table (and its alias and index hints). */
    private static final Set<String> AFTER_TABLE = Set.of(
            "WHERE",
            "GROUP",
            "HAVING",
            "ORDER",
            "LIMIT",
            "UNION",
            "EXCEPT",
            "INTERSECT",
            "WINDOW",
            "FOR",
            "LOCK",
            "INTO");

    /** Words after which a name is an operand, not an alias: {@code BINARY price} is named "BINARY price". */
    private static final Set<String> BEFORE_OPERAND = Set.of(
            "BINARY",
            "NOT",
            "DISTINCT",
            "INTERVAL",
            "AND",
            "OR",
            "XOR",
            "DIV",
            "MOD",
            "IS",
            "LIKE",
            "REGEXP",
            "RLIKE",
            "IN",
            "BETWEEN",
            "COLLATE",
            "ESCAPE",
            "CASE",
            "WHEN",
            "THEN",
            "ELSE",
            "ALL",
            "ANY",
            "SOME",
            "EXISTS",
            "SOUNDS",
            "USING",
            "MEMBER",
            "OF",
            "ROW",
            "DEFAULT",
            "PRIOR",
            "OVER",
            "DATE",
            "TIME",
            "TIMESTAMP");

    /**
     * The column names the new definition gives, in order: its column list, else its first SELECT's items (the name
     * after AS, a column's own name, else the expression's text, which is how the server names it; a * over one table
     * is that table's visible columns); null when the guard cannot tell.
     */
    static List<String> of(DdlStatement s, Catalog catalog) {
        String sql = s.text().source();
        List<Token> code = s.text().code();
        int i = 0;
        while (i < code.size() && !code.get(i).isWord(sql, "VIEW")) {
            i++;
        }
        while (i < code.size() && !code.get(i).isWord(sql, "AS") && code.get(i).kind() != TokenKind.LEFT_PAREN) {
            i++; // the view's name (IF NOT EXISTS)
        }
        if (i < code.size() && code.get(i).kind() == TokenKind.LEFT_PAREN) {
            List<List<Token>> list = items(code, i + 1, sql, true);
            return list == null ? null : names(list, sql);
        }
        int select = firstSelect(code, i + 1, sql);
        if (select < 0) {
            return null;
        }
        boolean with =
                false; // a WITH name may hide a table of its name: a * over it is not the table's (a third round's)
        for (int k = i + 1; k < select; k++) {
            with |= code.get(k).isWord(sql, "WITH");
        }
        int first = select + 1;
        while (first < code.size() && isOneOf(code.get(first), sql, SELECT_OPTIONS)) {
            first++;
        }
        List<List<Token>> items = items(code, first, sql, false);
        if (items == null) {
            return null;
        }
        List<String> names = new ArrayList<>();
        for (List<Token> item : items) {
            Token last = item.get(item.size() - 1);
            if (last.kind() == TokenKind.OPERATOR && last.text(sql).equals("*")) {
                List<String> star = with ? null : starColumns(code, first, sql, catalog);
                if (star == null || Catalog.COLUMNS_WITHHELD.equals(star)) {
                    return null;
                }
                names.addAll(star);
            } else {
                names.add(nameOf(item, sql, names.size() + 1));
            }
        }
        return names;
    }

    /**
     * Where the definition's first SELECT is: after opening parentheses (a parenthesised query, or the first branch of
     * a UNION, whose names the view takes) and a WITH clause; -1 for anything else (VALUES, TABLE), not read here.
     */
    private static int firstSelect(List<Token> code, int from, String sql) {
        int k = from;
        while (k < code.size() && code.get(k).kind() == TokenKind.LEFT_PAREN) {
            k++;
        }
        if (k < code.size() && code.get(k).isWord(sql, "WITH")) {
            int depth = 0;
            for (k++; k < code.size(); k++) {
                depth += change(code.get(k));
                if (depth == 0 && code.get(k).isWord(sql, "SELECT")) {
                    return k;
                }
            }
            return -1;
        }
        return k < code.size() && code.get(k).isWord(sql, "SELECT") ? k : -1;
    }

    /**
     * The comma-separated items from {@code from} to a closing parenthesis (a column list's end, a parenthesised
     * query's), or, outside a list, to a word that ends a SELECT's items; null when one is empty or a list is not closed.
     */
    private static List<List<Token>> items(List<Token> code, int from, String sql, boolean inList) {
        List<List<Token>> items = new ArrayList<>();
        List<Token> item = new ArrayList<>();
        int depth = 0;
        for (int k = from; k < code.size(); k++) {
            Token t = code.get(k);
            boolean end = depth == 0
                    && (t.kind() == TokenKind.RIGHT_PAREN
                            || !inList && (t.kind() == TokenKind.SEMICOLON || isOneOf(t, sql, AFTER_ITEMS)));
            if (end || depth == 0 && t.kind() == TokenKind.COMMA) {
                if (item.isEmpty()) {
                    return null;
                }
                items.add(item);
                item = new ArrayList<>();
                if (end) {
                    return items;
                }
                continue;
            }
            depth += change(t);
            item.add(t);
        }
        if (inList || item.isEmpty()) {
            return null;
        }
        items.add(item);
        return items;
    }

    private static List<String> names(List<List<Token>> list, String sql) {
        List<String> names = new ArrayList<>();
        for (List<Token> item : list) {
            if (item.size() != 1) {
                return null;
            }
            names.add(identifier(item.get(0), sql));
        }
        return names;
    }

    /**
     * The name the server gives an item: after AS, an alias ('alias' too), a column's own name, else the expression as
     * written, or {@code Name_exp_<position>} for one longer than 64 characters (MySQL manual, "CREATE VIEW").
     */
    private static String nameOf(List<Token> item, String sql, int position) {
        while (item.size() >= 3 && wrapped(item)) {
            item = item.subList(1, item.size() - 1); // (total), (p.total) are named total
        }
        int n = item.size();
        Token last = item.get(n - 1);
        Token before = n >= 2 ? item.get(n - 2) : null;
        // CASE … END is named by its text, as a window's OVER w and a typed literal DATE '…' are (a third round's)
        // INTERVAL 1 YEAR ends in its unit, no alias (a fourth round's dropped a column year unseen)
        boolean interval = false;
        for (Token t : item) {
            interval |= t.isWord(sql, "INTERVAL");
        }
        boolean unit = interval && isOneOf(last, sql, UNITS) && (before == null || !before.isWord(sql, "AS"));
        boolean named = last.kind() == TokenKind.WORD && !last.isWord(sql, "END") && !unit
                || last.kind() == TokenKind.QUOTED_IDENTIFIER
                || last.kind() == TokenKind.STRING && (before == null || before.kind() != TokenKind.STRING);
        // t.price + t.total ends in a column of an expression, no alias (a fifth round's); t.total alone is named total
        boolean alias = before == null
                || before.isWord(sql, "AS")
                || before.kind() == TokenKind.DOT && dottedName(item)
                || before.kind() != TokenKind.DOT
                        && before.kind() != TokenKind.OPERATOR
                        && !isOneOf(before, sql, BEFORE_OPERAND);
        if (named && alias) {
            String name = last.kind() == TokenKind.STRING ? unquoteString(last.text(sql)) : identifier(last, sql);
            return name.isEmpty() ? "Name_exp_" + position : name; // '' is named as an expression
        }
        String expression = sql.substring(item.get(0).start(), last.end());
        return expression.length() > 64 ? "Name_exp_" + position : expression;
    }

    private static String identifier(Token t, String sql) {
        return t.kind() == TokenKind.QUOTED_IDENTIFIER
                ? Identifier.ofQuoted(t.text(sql)).text()
                : t.text(sql);
    }

    private static String unquoteString(String literal) {
        if (literal.length() < 2) {
            return literal;
        }
        char quote = literal.charAt(0);
        return literal.substring(1, literal.length() - 1).replace("" + quote + quote, "" + quote);
    }

    /** INTERVAL's units: the last word of INTERVAL 1 DAY, no alias. */
    private static final Set<String> UNITS = Set.of(
            "MICROSECOND",
            "SECOND",
            "MINUTE",
            "HOUR",
            "DAY",
            "WEEK",
            "MONTH",
            "QUARTER",
            "YEAR",
            "SECOND_MICROSECOND",
            "MINUTE_MICROSECOND",
            "MINUTE_SECOND",
            "HOUR_MICROSECOND",
            "HOUR_SECOND",
            "HOUR_MINUTE",
            "DAY_MICROSECOND",
            "DAY_SECOND",
            "DAY_MINUTE",
            "DAY_HOUR",
            "YEAR_MONTH");

    /** Whether the item is one parenthesised group: ( … ), its first parenthesis closed by its last. */
    private static boolean wrapped(List<Token> item) {
        if (item.get(0).kind() != TokenKind.LEFT_PAREN
                || item.get(item.size() - 1).kind() != TokenKind.RIGHT_PAREN) {
            return false;
        }
        int depth = 0;
        for (int k = 0; k < item.size() - 1; k++) {
            depth += change(item.get(k));
            if (depth == 0) {
                return false; // (a) + (b): closed before the end
            }
        }
        return true;
    }

    /** Only names and dots: t.col, db.t.col. */
    private static boolean dottedName(List<Token> item) {
        for (Token t : item) {
            if (t.kind() != TokenKind.WORD && t.kind() != TokenKind.QUOTED_IDENTIFIER && t.kind() != TokenKind.DOT) {
                return false;
            }
        }
        return true;
    }

    /** A * over the FROM clause's one table (an alias, index hints): that table's columns; null for anything else. */
    private static List<String> starColumns(List<Token> code, int first, String sql, Catalog catalog) {
        int depth = 0;
        int k = first;
        while (k < code.size() && !(depth == 0 && code.get(k).isWord(sql, "FROM"))) {
            depth += change(code.get(k));
            k++;
        }
        k++;
        List<Identifier> parts = new ArrayList<>(2);
        while (k < code.size() && isName(code.get(k), sql)) {
            Token t = code.get(k);
            parts.add(
                    t.kind() == TokenKind.WORD ? new Identifier(t.text(sql), false) : Identifier.ofQuoted(t.text(sql)));
            boolean dot = k + 1 < code.size() && code.get(k + 1).kind() == TokenKind.DOT;
            k += dot ? 2 : 1;
            if (!dot) {
                break;
            }
        }
        if (parts.isEmpty() || parts.size() > 2) {
            return null;
        }
        if (k < code.size() && code.get(k).isWord(sql, "AS")) {
            k++;
        }
        if (k < code.size() && isName(code.get(k), sql) && !isHint(code.get(k), sql)) {
            k++; // the alias
        }
        while (k < code.size() && isHint(code.get(k), sql)) { // USE | FORCE | IGNORE {INDEX | KEY} [FOR …] (…)
            while (k < code.size() && code.get(k).kind() != TokenKind.LEFT_PAREN) {
                k++;
            }
            int level = 0;
            do {
                level += k < code.size() ? change(code.get(k)) : -level;
                k++;
            } while (level > 0 && k < code.size());
        }
        boolean ends = k >= code.size()
                || code.get(k).kind() == TokenKind.SEMICOLON
                || code.get(k).kind() == TokenKind.RIGHT_PAREN
                || isOneOf(code.get(k), sql, AFTER_TABLE);
        return ends ? catalog.columnNames(new QualifiedName(parts)) : null; // a join, a second table: not read
    }

    private static boolean isName(Token t, String sql) {
        return t.kind() == TokenKind.QUOTED_IDENTIFIER || t.kind() == TokenKind.WORD && !isOneOf(t, sql, AFTER_TABLE);
    }

    private static boolean isHint(Token t, String sql) {
        return t.isWord(sql, "USE") || t.isWord(sql, "FORCE") || t.isWord(sql, "IGNORE");
    }

    private static boolean isOneOf(Token t, String sql, Set<String> words) {
        if (t.kind() != TokenKind.WORD) {
            return false;
        }
        for (String word : words) {
            if (t.isWord(sql, word)) {
                return true;
            }
        }
        return false;
    }

    private static int change(Token t) {
        return t.kind() == TokenKind.LEFT_PAREN ? 1 : t.kind() == TokenKind.RIGHT_PAREN ? -1 : 0;
    }
}
