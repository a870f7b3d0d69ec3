package dev.ddlguard.rules;

import java.util.Locale;

/**
 * A setting's boolean as PostgreSQL reads it (parse_bool: {@code true | yes | false | no} and any prefix of them,
 * {@code on}, {@code off} and {@code of}, {@code 1}, {@code 0}, in any case): {@code 'ye'} is true and {@code 'fa'}
 * false, which a list of the full words missed (an outside tester's {@code default_transaction_read_only = 'ye'}).
 * MySQL's and H2's booleans are among these spellings; what they refuse is refused by their server.
 */
public final class BooleanValues {

    private BooleanValues() {}

    /** TRUE, FALSE, or null when the text is no boolean (or null). */
    public static Boolean parse(String value) {
        if (value == null) {
            return null;
        }
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (v.isEmpty()) {
            return null;
        }
        if ("true".startsWith(v) || "yes".startsWith(v) || v.equals("on") || v.equals("1")) {
            return Boolean.TRUE;
        }
        if ("false".startsWith(v) || "no".startsWith(v) || v.equals("off") || v.equals("of") || v.equals("0")) {
            return Boolean.FALSE;
        }
        return null;
    }

    public static boolean isTrue(String value) {
        return Boolean.TRUE.equals(parse(value));
    }

    public static boolean isFalse(String value) {
        return Boolean.FALSE.equals(parse(value));
    }
}
