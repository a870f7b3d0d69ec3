package dev.ddlguard.cli.lint;

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
