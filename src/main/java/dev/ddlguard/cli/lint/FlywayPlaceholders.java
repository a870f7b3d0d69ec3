package dev.ddlguard.cli.lint;

import dev.ddlguard.sql.StatementText;
import dev.ddlguard.sql.Token;
import dev.ddlguard.sql.TokenKind;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Flyway's built-in placeholders ({@code ${flyway:defaultSchema}}, {@code ${flyway:user}}, …), which it replaces in
 * every script before sending it: lint reads them as a name of their own, so {@code CREATE TABLE
 * ${flyway:defaultSchema}.audit (…)} is judged as the qualified table it is (it was blocked as unreadable, an outside
 * tester's false positive). Placeholders a project configures outside its files stay as written: what they stand for
 * is not in the files.
 */
final class FlywayPlaceholders {

    private static final Pattern BUILT_IN = Pattern.compile("\\$\\{flyway:(\\w+)}");

    private FlywayPlaceholders() {}

    private static final Pattern ANY = Pattern.compile("\\$\\{[^}\\s]+}");

    /**
     * The first placeholder left in the statement's code (outside its string literals and comments, where Flyway
     * replaces it too but it cannot make DDL): {@code ${cleanup};} or {@code ${verb} TABLE users} stand for a statement
     * set outside the files; null when there is none.
     */
    static String leftInCode(StatementText statement) {
        String source = statement.source();
        if (source.indexOf("${", statement.start()) < 0) {
            return null;
        }
        StringBuilder code = new StringBuilder(statement.end() - statement.start());
        int at = statement.start();
        for (Token t : statement.tokens()) {
            code.append(source, at, t.start());
            boolean blank = t.isComment() || t.kind() == TokenKind.STRING;
            code.append(blank ? " ".repeat(t.end() - t.start()) : source.substring(t.start(), t.end()));
            at = t.end();
        }
        code.append(source, at, statement.end());
        Matcher m = ANY.matcher(code);
        return m.find() ? m.group() : null;
    }

    /** The text with each built-in placeholder replaced by a name: flyway_defaultschema, flyway_user, … */
    static String substitute(String sql) {
        if (sql.indexOf("${flyway:") < 0) {
            return sql;
        }
        Matcher m = BUILT_IN.matcher(sql);
        StringBuilder out = new StringBuilder(sql.length());
        while (m.find()) {
            m.appendReplacement(out, "flyway_" + m.group(1).toLowerCase(Locale.ROOT));
        }
        return m.appendTail(out).toString();
    }
}
