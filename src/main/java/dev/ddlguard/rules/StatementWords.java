package dev.ddlguard.rules;

import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.StringLiterals;
import dev.ddlguard.sql.Token;
import dev.ddlguard.sql.TokenCursor;
import dev.ddlguard.sql.TokenKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds keyword runs in a statement's code (comments and string literals never match), for rules whose
 * statement form the classifier reads only as far as its object: {@code ALTER VIEW v RENAME COLUMN …},
 * {@code ALTER TABLE t DISCARD TABLESPACE}. One linear pass over the tokens.
 */
public final class StatementWords {

    private StatementWords() {}

    /** A cursor just after the first run of the words outside parentheses, or null when there is none. */
    public static TokenCursor after(DdlStatement s, String... words) {
        TokenCursor c = new TokenCursor(s.text());
        int depth = 0;
        while (!c.atEnd()) {
            if (depth == 0) {
                int mark = c.position();
                if (c.acceptWords(words)) {
                    return c;
                }
                c.reset(mark);
            }
            Token t = c.next();
            depth += t.kind() == TokenKind.LEFT_PAREN ? 1 : t.kind() == TokenKind.RIGHT_PAREN ? -1 : 0;
        }
        return null;
    }

    /** A cursor just after each run of the words outside parentheses, in order; empty when there is none. */
    public static List<TokenCursor> afterEach(DdlStatement s, String... words) {
        List<TokenCursor> found = new ArrayList<>(1);
        TokenCursor c = new TokenCursor(s.text());
        int depth = 0;
        while (!c.atEnd()) {
            if (depth == 0 && c.acceptWords(words)) {
                TokenCursor at = new TokenCursor(s.text());
                at.reset(c.position());
                found.add(at);
                continue;
            }
            Token t = c.next();
            depth += t.kind() == TokenKind.LEFT_PAREN ? 1 : t.kind() == TokenKind.RIGHT_PAREN ? -1 : 0;
        }
        return found;
    }

    /** The identifier after each run of the words (and an IF EXISTS), as written: DROP ATTRIBUTE a, DROP ATTRIBUTE b. */
    public static List<String> identifiersAfterEach(DdlStatement s, String... words) {
        List<String> names = new ArrayList<>(1);
        for (TokenCursor c : afterEach(s, words)) {
            c.acceptWords("IF", "EXISTS");
            Identifier name = c.acceptIdentifier();
            if (name != null) {
                names.add(name.toString());
            }
        }
        return names;
    }

    /**
     * A cursor just after the first top-level {@code SET setting} (PostgreSQL's ALTER DATABASE | ROLE … SET), the
     * setting written as a word or a quoted identifier ({@code SET "session_replication_role"}), in any case; null
     * when there is none.
     */
    public static TokenCursor afterSetting(DdlStatement s, String setting) {
        for (TokenCursor c : afterEach(s, "SET")) {
            Token name = c.peek();
            if (name == null) {
                continue;
            }
            String text = name.kind() == TokenKind.QUOTED_IDENTIFIER
                    ? Identifier.ofQuoted(name.text(c.sql())).text()
                    : name.kind() == TokenKind.WORD ? name.text(c.sql()) : "";
            if (text.equalsIgnoreCase(setting)) {
                c.next();
                return c;
            }
        }
        return null;
    }

    public static boolean has(DdlStatement s, String... words) {
        return after(s, words) != null;
    }

    /** What {@link #settingValue} answers for {@code FROM CURRENT} when the session's value is unknown (offline). */
    public static final String UNKNOWN_CURRENT = "(the session's current value, unknown here)";

    /**
     * The value PostgreSQL's ALTER DATABASE | ROLE … SET gives the setting, lower case and unquoted: the one after =
     * or TO, or for {@code FROM CURRENT} the session's own, asked of the catalog ({@link #UNKNOWN_CURRENT} when it
     * cannot say, for the rule to take at its worst: the migration may have SET it just before); null when the
     * statement does not set it.
     */
    public static String settingValue(DdlStatement s, String setting, Catalog catalog) {
        TokenCursor c = afterSetting(s, setting);
        if (c != null && c.acceptWords("FROM", "CURRENT")) {
            String current = catalog.setting(setting);
            return current == null || current.equals(Catalog.SET_TO_UNKNOWN)
                    ? UNKNOWN_CURRENT
                    : current.toLowerCase(Locale.ROOT);
        }
        return valueAt(c, s.syntax());
    }

    /**
     * After the first top-level token naming the option: the word in any case, or the name in double quotes
     * ({@code "allow_connections"}, {@code "nologin"}: an IDENT to PostgreSQL's grammar, as the unquoted word is, for
     * database and role options); null when absent.
     */
    public static TokenCursor afterOption(DdlStatement s, String option) {
        TokenCursor c = new TokenCursor(s.text());
        int depth = 0;
        while (!c.atEnd()) {
            Token t = c.next();
            if (depth == 0 && (t.isWord(c.sql(), option) || isQuoted(t, c.sql(), option))) {
                return c;
            }
            depth += t.kind() == TokenKind.LEFT_PAREN ? 1 : t.kind() == TokenKind.RIGHT_PAREN ? -1 : 0;
        }
        return null;
    }

    private static boolean isQuoted(Token t, String sql, String name) {
        return t.kind() == TokenKind.QUOTED_IDENTIFIER
                && t.text(sql).startsWith("\"")
                && Identifier.ofQuoted(t.text(sql)).text().equalsIgnoreCase(name);
    }

    /**
     * The value at the cursor, after an optional = or TO, lower case, as the server reads it: a string decoded (its
     * E'' escapes, a dollar quote), a quoted name unquoted, an integer with its sign and leading zeros resolved
     * ({@code +0}, {@code -0}, {@code 00}: 0); null when there is none. An outside tester closed a database with
     * {@code ALLOW_CONNECTIONS +0} and {@code $$off$$}, read as neither.
     */
    public static String valueAt(TokenCursor c, SqlSyntax syntax) {
        if (c == null) {
            return null;
        }
        if (!acceptOperator(c, "=")) {
            c.acceptWord("TO");
        }
        if (c.atEnd()) {
            return null;
        }
        String sign = acceptOperator(c, "-") ? "-" : acceptOperator(c, "+") ? "+" : "";
        Token t = c.atEnd() ? null : c.peek();
        if (t == null) {
            return null;
        }
        String v = t.text(c.sql());
        if (t.kind() == TokenKind.NUMBER) {
            return integer(sign, v);
        }
        if (t.kind() == TokenKind.STRING) {
            v = literal(c, syntax);
        } else if (t.kind() == TokenKind.QUOTED_IDENTIFIER) {
            v = Identifier.ofQuoted(v).text(); // PostgreSQL's "on": a quoted name is a value there too
        }
        return v.toLowerCase(Locale.ROOT);
    }

    /**
     * The string literal at the cursor, decoded, with the literals that follow it ('o' newline 'n' is 'on' to
     * PostgreSQL; 'a' 'b' to MySQL) and a U&'…' literal's UESCAPE 'c': an outside tester set a database read-only
     * with each.
     */
    private static String literal(TokenCursor c, SqlSyntax syntax) {
        StringBuilder value = new StringBuilder();
        while (!c.atEnd() && c.peek().kind() == TokenKind.STRING) {
            String text = c.next().text(c.sql());
            char escape = 0;
            if (c.peekWord("UESCAPE") && c.peek(1) != null && c.peek(1).kind() == TokenKind.STRING) {
                String e = StringLiterals.decode(c.peek(1).text(c.sql()), syntax, (char) 0);
                escape = e != null && e.length() == 1 ? e.charAt(0) : 0;
                c.next();
                c.next();
            }
            String decoded = StringLiterals.decode(text, syntax, escape);
            value.append(decoded != null ? decoded : text.length() >= 2 ? text.substring(1, text.length() - 1) : text);
        }
        return value.toString();
    }

    /** An integer as the server reads it: 0 for {@code -0}, {@code 00}; the text as written when not an integer. */
    private static String integer(String sign, String digits) {
        if (!digits.chars().allMatch(Character::isDigit)) {
            return sign + digits;
        }
        String n = digits.replaceFirst("^0+(?=.)", "");
        return n.equals("0") || !sign.equals("-") ? n : "-" + n;
    }

    private static boolean acceptOperator(TokenCursor c, String operator) {
        if (!c.atEnd()
                && c.peek().kind() == TokenKind.OPERATOR
                && operator.equals(c.peek().text(c.sql()))) {
            c.next();
            return true;
        }
        return false;
    }
}
