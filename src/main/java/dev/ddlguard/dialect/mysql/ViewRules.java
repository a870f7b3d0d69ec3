package dev.ddlguard.dialect.mysql;

import dev.ddlguard.policy.Action;
import dev.ddlguard.rules.Catalog;
import dev.ddlguard.rules.Rule;
import dev.ddlguard.rules.RuleContext;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.DdlStatement.Flag;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.Token;
import dev.ddlguard.sql.TokenKind;
import dev.ddlguard.sql.Verb;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * MySQL's and MariaDB's CREATE OR REPLACE VIEW and ALTER VIEW take any new definition, where PostgreSQL's may only add
 * columns at the end: a column of the old view the new one lacks is dropped, or renamed, at once (an outside tester's
 * {@code ALTER VIEW v AS SELECT id AS customer_id …} on MariaDB 10.11: deployed code reading {@code v.id} failed with
 * "Unknown column"). The old view's columns are asked of the live catalog; offline nothing is known, and nothing found.
 */
final class ViewRules {

    private ViewRules() {}

    static final Rule REPLACE_VIEW_COLUMNS = Rule.builder("replace-view-columns")
            .defaultAction(Action.BLOCK)
            .aboutDeployedCode()
            .on(Verb.CREATE, Verb.ALTER)
            .lock("an exclusive metadata lock on the view, briefly; queries of it wait while it waits")
            .reason("the new definition of an existing view lacks a column of the old one: every deployed query that "
                    + "reads that column of the view fails from the moment it commits, as after DROP COLUMN")
            .safeAlternative("keep every old column in the new definition (add new ones, keep old names with AS), "
                    + "deploy code that no longer reads a column before a later change drops it, or create a view "
                    + "under a new name and move the code to it")
            .matches(ViewRules::lostColumns)
            .build();

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

    /** Words that end the FROM clause's table list. */
    private static final Set<String> AFTER_FROM =
            Set.of("WHERE", "GROUP", "HAVING", "ORDER", "LIMIT", "UNION", "EXCEPT", "INTERSECT", "WINDOW", "WITH");

    private static String lostColumns(DdlStatement s, RuleContext c) {
        boolean replaces = s.is(Verb.CREATE, "VIEW") && s.has(Flag.OR_REPLACE) || s.is(Verb.ALTER, "VIEW");
        if (!replaces || s.names().isEmpty()) {
            return null;
        }
        QualifiedName view = s.names().get(0);
        List<String> old = c.catalog().columnNames(view);
        if (old == null || old.isEmpty()) {
            return null; // offline, unknown, or no view of that name yet: nothing to lose
        }
        List<String> now = newColumns(s, c.catalog());
        if (now == null) {
            return "replaces view " + view + ", whose columns are " + String.join(", ", old)
                    + ", with a definition whose columns the guard cannot tell (a * over more than one table)";
        }
        Set<String> kept = new HashSet<>();
        now.forEach(n -> kept.add(n.strip().toLowerCase(Locale.ROOT)));
        List<String> lost = new ArrayList<>();
        for (String column : old) {
            if (!kept.contains(column.strip().toLowerCase(Locale.ROOT))) {
                lost.add(column);
            }
        }
        return lost.isEmpty()
                ? null
                : "replaces view " + view + " with a definition without its column" + (lost.size() > 1 ? "s " : " ")
                        + String.join(", ", lost);
    }

    /**
     * The column names the new definition gives, in order: its column list, else its first SELECT's items (the name
     * after AS, a column's own name, else the expression's text, which is how the server names it; a * over one table
     * is that table's columns); null when the guard cannot tell.
     */
    static List<String> newColumns(DdlStatement s, Catalog catalog) {
        String sql = s.text().source();
        List<Token> code = new ArrayList<>();
        for (Token t : s.text().tokens()) {
            if (!t.isComment()) {
                code.add(t);
            }
        }
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
        int select = i + 1;
        while (select < code.size()
                && !(depth(code, i + 1, select) == 0 && code.get(select).isWord(sql, "SELECT"))) {
            select++;
        }
        if (select >= code.size()) {
            return null;
        }
        int first = select + 1;
        while (first < code.size() && isOption(code.get(first), sql)) {
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
                List<String> star = starColumns(code, first, sql, catalog);
                if (star == null) {
                    return null;
                }
                names.addAll(star);
            } else {
                names.add(nameOf(item, sql));
            }
        }
        return names;
    }

    private static boolean isOption(Token t, String sql) {
        for (String option : SELECT_OPTIONS) {
            if (t.isWord(sql, option)) {
                return true;
            }
        }
        return false;
    }

    /** The comma-separated items from {@code from} to a closing parenthesis ({@code inList}) or FROM at depth 0. */
    private static List<List<Token>> items(List<Token> code, int from, String sql, boolean inList) {
        List<List<Token>> items = new ArrayList<>();
        List<Token> item = new ArrayList<>();
        int depth = 0;
        for (int k = from; k < code.size(); k++) {
            Token t = code.get(k);
            boolean end = depth == 0
                    && (inList
                            ? t.kind() == TokenKind.RIGHT_PAREN
                            : t.isWord(sql, "FROM")
                                    || t.isWord(sql, "UNION")
                                    || t.isWord(sql, "INTO")
                                    || t.kind() == TokenKind.SEMICOLON);
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
            depth += t.kind() == TokenKind.LEFT_PAREN ? 1 : t.kind() == TokenKind.RIGHT_PAREN ? -1 : 0;
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

    /** The name the server gives an item: after AS, an alias, a column's own name, else the expression as written. */
    private static String nameOf(List<Token> item, String sql) {
        int n = item.size();
        Token last = item.get(n - 1);
        boolean name = last.kind() == TokenKind.WORD
                || last.kind() == TokenKind.QUOTED_IDENTIFIER
                || last.kind() == TokenKind.STRING && n >= 2 && item.get(n - 2).isWord(sql, "AS");
        if (name && (n == 1 || item.get(n - 2).kind() != TokenKind.OPERATOR)) {
            // a lone column, t.column, expression AS alias, expression alias
            return last.kind() == TokenKind.STRING ? unquoteString(last.text(sql)) : identifier(last, sql);
        }
        return sql.substring(item.get(0).start(), last.end());
    }

    private static String identifier(Token t, String sql) {
        return t.kind() == TokenKind.QUOTED_IDENTIFIER
                ? Identifier.ofQuoted(t.text(sql)).text()
                : t.text(sql);
    }

    private static String unquoteString(String literal) {
        return literal.length() >= 2 ? literal.substring(1, literal.length() - 1) : literal;
    }

    /** A * over the FROM clause's one table: that table's columns; null for anything else. */
    private static List<String> starColumns(List<Token> code, int first, String sql, Catalog catalog) {
        int depth = 0;
        int from = -1;
        for (int k = first; k < code.size() && from < 0; k++) {
            Token t = code.get(k);
            depth += t.kind() == TokenKind.LEFT_PAREN ? 1 : t.kind() == TokenKind.RIGHT_PAREN ? -1 : 0;
            if (depth == 0 && t.isWord(sql, "FROM")) {
                from = k;
            }
        }
        List<Identifier> parts = new ArrayList<>(2);
        int k = from + 1;
        for (; from > 0 && k < code.size(); k++) {
            Token t = code.get(k);
            if (t.kind() == TokenKind.WORD && !isClauseWord(t, sql) || t.kind() == TokenKind.QUOTED_IDENTIFIER) {
                parts.add(
                        t.kind() == TokenKind.WORD
                                ? new Identifier(t.text(sql), false)
                                : Identifier.ofQuoted(t.text(sql)));
                if (k + 1 < code.size() && code.get(k + 1).kind() == TokenKind.DOT) {
                    k++;
                    continue;
                }
                k++;
                break;
            }
            return null;
        }
        if (parts.isEmpty() || parts.size() > 2) {
            return null;
        }
        // after the table: an alias, then the end or a clause (no join, no second table)
        if (k < code.size() && !isClauseWord(code.get(k), sql) && code.get(k).kind() != TokenKind.SEMICOLON) {
            if (code.get(k).isWord(sql, "AS")) {
                k++;
            }
            k++; // the alias
        }
        if (k < code.size() && !isClauseWord(code.get(k), sql) && code.get(k).kind() != TokenKind.SEMICOLON) {
            return null;
        }
        return catalog.columnNames(new QualifiedName(parts));
    }

    private static boolean isClauseWord(Token t, String sql) {
        for (String word : AFTER_FROM) {
            if (t.isWord(sql, word)) {
                return true;
            }
        }
        return false;
    }

    /** The parenthesis depth at {@code at}, counted from {@code from}. */
    private static int depth(List<Token> code, int from, int at) {
        int depth = 0;
        for (int k = from; k < at; k++) {
            TokenKind kind = code.get(k).kind();
            depth += kind == TokenKind.LEFT_PAREN ? 1 : kind == TokenKind.RIGHT_PAREN ? -1 : 0;
        }
        return depth;
    }
}
