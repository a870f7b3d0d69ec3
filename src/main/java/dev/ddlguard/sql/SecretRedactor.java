package dev.ddlguard.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * Removes passwords from SQL before it is logged: the string literal after {@code PASSWORD}
 * (PostgreSQL, H2), {@code IDENTIFIED [WITH plugin] BY} (MySQL/MariaDB), {@code MASTER_PASSWORD} / {@code
 * SOURCE_PASSWORD} (MySQL's replication), {@code HASH}/{@code SALT} (H2).
 * Errors from the database may echo the statement, so the secrets found can be scrubbed from them too.
 */
public final class SecretRedactor {

    public static final String MASK = "'***'";

    private SecretRedactor() {}

    /** A statement's text with its secrets masked, and the secrets themselves (to scrub error messages). */
    public record Redacted(String text, List<String> secrets) {
        /** Replaces every secret found in the statement wherever it appears in {@code message}. */
        public String scrub(String message) {
            if (message == null) {
                return null;
            }
            String result = message;
            for (String secret : secrets) {
                if (!secret.isEmpty()) {
                    result = result.replace(secret, "***");
                }
            }
            return result;
        }
    }

    public static Redacted redact(StatementText statement) {
        String source = statement.source();
        List<Token> tokens = statement.tokens();
        StringBuilder out = null;
        List<String> secrets = List.of();
        int copied = statement.start();
        boolean armed = false;
        // MySQL's SET PASSWORD FOR 'app'@'%' = …: the account between FOR and = is a name, not the secret
        boolean afterPassword = false;
        boolean accountUntilEquals = false;
        for (Token token : tokens) {
            if (afterPassword && token.isWord(source, "FOR")) {
                armed = false;
                accountUntilEquals = true;
            }
            afterPassword = token.isWord(source, "PASSWORD");
            if (accountUntilEquals
                    && token.kind() == TokenKind.OPERATOR
                    && token.text(source).startsWith("=")) {
                accountUntilEquals = false;
                armed = true;
                continue;
            }
            if (token.kind() == TokenKind.WORD) {
                if (token.isWord(source, "PASSWORD")
                        || endsWithIgnoringCase(token.text(source), "_PASSWORD") // MASTER_PASSWORD, SOURCE_PASSWORD
                        || token.isWord(source, "IDENTIFIED")
                        || token.isWord(source, "HASH")
                        || token.isWord(source, "SALT")) {
                    armed = true;
                }
                continue;
            }
            if (armed && token.kind() == TokenKind.STRING) {
                if (out == null) {
                    out = new StringBuilder(statement.end() - statement.start());
                    secrets = new ArrayList<>(2);
                }
                out.append(source, copied, token.start()).append(MASK);
                String literal = token.text(source);
                secrets.add(literalValue(literal));
                secrets.add(literal);
                copied = token.end();
            }
        }
        if (out == null) {
            return new Redacted(statement.text(), List.of());
        }
        out.append(source, copied, statement.end());
        return new Redacted(out.toString(), List.copyOf(secrets));
    }

    /** Redacts a whole string of one or more statements. */
    public static Redacted redact(String sql, SqlSyntax syntax) {
        return redact(sql, StatementSplitter.split(sql, syntax));
    }

    /** Redacts a whole string already split into its statements (the judge has split it: no second lexing). */
    public static Redacted redact(String sql, List<StatementText> statements) {
        if (statements.isEmpty()) {
            return new Redacted(sql, List.of());
        }
        StringBuilder out = new StringBuilder(sql.length());
        List<String> secrets = new ArrayList<>();
        int copied = 0;
        for (StatementText statement : statements) {
            Redacted r = redact(statement);
            out.append(sql, copied, statement.start()).append(r.text());
            secrets.addAll(r.secrets());
            copied = statement.end();
        }
        out.append(sql, copied, sql.length());
        return new Redacted(out.toString(), secrets);
    }

    private static boolean endsWithIgnoringCase(String word, String suffix) {
        return word.length() > suffix.length()
                && word.regionMatches(true, word.length() - suffix.length(), suffix, 0, suffix.length());
    }

    private static String literalValue(String literal) {
        if (literal.startsWith("$")) { // PostgreSQL dollar quote: $tag$value$tag$
            int tagEnd = literal.indexOf('$', 1) + 1;
            if (tagEnd > 0 && literal.length() >= 2 * tagEnd) {
                return literal.substring(tagEnd, literal.length() - tagEnd);
            }
            return literal;
        }
        int open = literal.indexOf('\'');
        if (open < 0) {
            open = literal.indexOf('"');
        }
        if (open < 0 || literal.length() < open + 2) {
            return literal;
        }
        return literal.substring(open + 1, literal.length() - 1);
    }
}
