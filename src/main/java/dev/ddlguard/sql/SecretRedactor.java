package dev.ddlguard.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes passwords from SQL before it is logged: the string literals after {@code PASSWORD}
 * (PostgreSQL, H2), {@code IDENTIFIED [WITH plugin] BY} (MySQL/MariaDB), {@code MASTER_PASSWORD} / {@code
 * SOURCE_PASSWORD} (MySQL's replication), {@code HASH}/{@code SALT} (H2); the one literal after an option named
 * like a secret ({@code "password"}, {@code sslpassword}, {@code client_secret}: foreign-data-wrapper and server
 * options), after {@code CONNECTION} (a PostgreSQL subscription's conninfo, a MySQL FEDERATED or CONNECT table's
 * URL) and H2's {@code CREATE LINKED TABLE} URL and password; and, in any other literal (a function body, a COPY
 * command), a URL's {@code user:password@} and a {@code password=} or {@code pwd=} pair.
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
        StringBuilder out = new StringBuilder(0);
        List<String> secrets = new ArrayList<>(0);
        boolean masked = false;
        int copied = statement.start();
        boolean armed = false; // every literal from here on
        boolean next = false; // the next literal, an '=' before it allowed
        // MySQL's SET PASSWORD FOR 'app'@'%' = …: the account between FOR and = is a name, not the secret
        boolean afterPassword = false;
        boolean accountUntilEquals = false;
        // H2's CREATE LINKED TABLE t(driver, url, user, password, table): the literals' place in the list
        int linkedLiteral = isLinkedTable(statement) ? 0 : -1;
        for (Token token : tokens) {
            if (token.isComment()) {
                continue;
            }
            if (afterPassword && token.isWord(source, "FOR")) {
                armed = false;
                accountUntilEquals = true;
            }
            afterPassword = token.isWord(source, "PASSWORD");
            boolean equals =
                    token.kind() == TokenKind.OPERATOR && token.text(source).startsWith("=");
            if (accountUntilEquals && equals) {
                accountUntilEquals = false;
                armed = true;
                continue;
            }
            if (token.kind() == TokenKind.WORD) {
                String word = token.text(source);
                if (token.isWord(source, "PASSWORD")
                        || endsWithIgnoringCase(word, "_PASSWORD") // MASTER_PASSWORD, SOURCE_PASSWORD
                        || token.isWord(source, "IDENTIFIED")
                        || token.isWord(source, "HASH")
                        || token.isWord(source, "SALT")) {
                    armed = true;
                }
                next = namesASecret(word) || token.isWord(source, "CONNECTION");
                continue;
            }
            if (token.kind() == TokenKind.QUOTED_IDENTIFIER) {
                next = namesASecret(Identifier.ofQuoted(token.text(source)).text());
                continue;
            }
            if (token.kind() != TokenKind.STRING) {
                next &= equals;
                continue;
            }
            String literal = token.text(source);
            boolean linkedSecret = linkedLiteral >= 0 && (++linkedLiteral == 2 || linkedLiteral == 4);
            if (armed || next || linkedSecret) {
                out.append(source, copied, token.start()).append(MASK);
                secrets.add(literalValue(literal));
                secrets.add(literal);
                maskCredentials(literal, secrets); // a conninfo's password alone, which an error may echo
                copied = token.end();
                masked = true;
            } else {
                String credentialsMasked = maskCredentials(literal, secrets);
                if (credentialsMasked != null) {
                    out.append(source, copied, token.start()).append(credentialsMasked);
                    copied = token.end();
                    masked = true;
                }
            }
            next = false;
        }
        if (!masked) {
            return new Redacted(statement.text(), List.of());
        }
        out.append(source, copied, statement.end());
        return new Redacted(out.toString(), List.copyOf(secrets));
    }

    /**
     * An option or setting named like a secret: password, passwd, pwd, a name ending in password ({@code sslpassword},
     * {@code master_password}) or holding secret or token ({@code client_secret}, {@code aws_secret_access_key},
     * {@code access_token}), an API or private key ({@code api_key}). Not {@code password_required} (postgres_fdw's
     * flag, whose value is true or false).
     */
    private static boolean namesASecret(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith("password")
                || n.equals("passwd")
                || n.equals("pwd")
                || n.contains("secret")
                || n.contains("token")
                || n.equals("apikey")
                || n.endsWith("api_key")
                || n.endsWith("private_key");
    }

    /** H2's CREATE [FORCE] [GLOBAL | LOCAL TEMPORARY] LINKED TABLE: its literals are driver, URL, user, password. */
    private static boolean isLinkedTable(StatementText statement) {
        TokenCursor c = new TokenCursor(statement);
        if (!c.acceptWord("CREATE")) {
            return false;
        }
        c.acceptWord("FORCE");
        if (c.acceptWord("GLOBAL") || c.acceptWord("LOCAL")) {
            c.acceptWord("TEMPORARY");
        }
        return c.acceptWords("LINKED", "TABLE");
    }

    /**
     * Credentials inside a literal that is not itself a secret (a function body, a COPY … PROGRAM command, a comment
     * string): a URL's {@code scheme://user:password@}, a {@code password=} / {@code pwd=} pair of a connection string
     * (libpq's conninfo, ODBC's PWD=), Spider's {@code password "…"}. The literal with each masked, the secrets added
     * to the list; null when it holds none.
     */
    private static String maskCredentials(String literal, List<String> secrets) {
        int innerQuote = literal.indexOf('\'', 1);
        if (literal.indexOf('@') < 0
                && literal.indexOf('=') < 0
                && literal.indexOf('"') < 0
                && (innerQuote < 0 || innerQuote >= literal.length() - 1)) {
            return null; // no form can be in it (no quote inside either): most literals stop here
        }
        StringBuilder masked = null;
        int copied = 0;
        Matcher m = CREDENTIAL.matcher(literal);
        while (m.find()) {
            int group = 1;
            while (m.start(group) < 0 && group < m.groupCount()) {
                group++;
            }
            if (m.end(group) == m.start(group)) {
                continue;
            }
            if (masked == null) {
                masked = new StringBuilder(literal.length());
            }
            masked.append(literal, copied, m.start(group)).append("***");
            if (m.end(group) - m.start(group) >= 4) {
                // scrubbed from error messages too; a shorter find (a body's "password = p") would garble them
                secrets.add(m.group(group));
            }
            copied = m.end(group);
        }
        return masked == null
                ? null
                : masked.append(literal, copied, literal.length()).toString();
    }

    /**
     * A URL's password (group 1: {@code mysql://u:pw@h}); a key=value password (group 2 for a quoted value, as far as
     * the next quote on its line, however many quotes the nesting of literals put before it; group 3 for a bare one,
     * up to a space, ; or & or a quote); a key "value" pair (group 4: MariaDB Spider's {@code COMMENT='host "h",
     * password "pw"'}); a PASSWORD or IDENTIFIED BY literal inside a body (group 5: {@code DO $$ BEGIN ALTER ROLE app
     * PASSWORD 'pw'; END $$}, however many quotes the nesting doubled).
     */
    private static final Pattern CREDENTIAL = Pattern.compile("(?i)[a-z][a-z0-9+.-]*://[^\\s/:@'\"]*:([^\\s/@'\"]*)@"
            + "|(?<![a-z0-9_])(?:[a-z_]*password|passwd|pwd)\\s*=\\s*(?:'+([^'\\n]*)|([^\\s;&'\"]*))"
            + "|(?<![a-z0-9_])(?:[a-z_]*password|passwd|pwd)\\s+\"([^\"]*)\""
            + "|(?<![a-z0-9_])(?:password|identified\\s+(?:with\\s+\\w+\\s+)?by)\\s+'+([^'\\n]*)");

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
