package dev.ddlguard.sql;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads {@code /* ddlguard:allow <rule-id> <reason> *}{@code /} and {@code -- ddlguard:allow …}
 * comments of one statement: the author's explicit, reasoned exception to a rule.
 */
public final class InlineDirectives {

    private static final String ALLOW = "ddlguard:allow";

    private InlineDirectives() {}

    /**
     * Rule id to reason, in the order written. A directive without a reason maps to an empty
     * string: the engine reports it instead of honouring it, since the reason is what the audit keeps.
     */
    public static Map<String, String> allowed(StatementText statement) {
        Map<String, String> allowed = null;
        for (Token token : statement.tokens()) {
            if (!token.isComment()) {
                continue;
            }
            String comment = token.text(statement.source());
            if (!comment.contains("ddlguard:allow")) {
                continue;
            }
            // ddlguard:allow <whitespace> <rule id> <reason>: the reason runs to the end of the comment or the
            // next directive (a block comment may spread it over lines). Read with indexOf, linearly: the
            // regular expression it replaces overflowed the stack on a long reason (issue 13).
            int at = comment.indexOf(ALLOW);
            while (at >= 0) {
                int next = comment.indexOf(ALLOW, at + ALLOW.length());
                int end = next < 0 ? comment.length() : next;
                int i = at + ALLOW.length();
                int spaceEnd = i;
                while (spaceEnd < end && isRegexSpace(comment.charAt(spaceEnd))) {
                    spaceEnd++;
                }
                int idEnd = spaceEnd;
                if (spaceEnd > i && idEnd < end && isIdStart(comment.charAt(idEnd))) {
                    idEnd++;
                    while (idEnd < end && (isIdStart(comment.charAt(idEnd)) || comment.charAt(idEnd) == '-')) {
                        idEnd++;
                    }
                    if (allowed == null) {
                        allowed = new LinkedHashMap<>();
                    }
                    allowed.put(comment.substring(spaceEnd, idEnd), cleanReason(comment.substring(idEnd, end)));
                }
                at = next;
            }
        }
        return allowed == null ? Map.of() : allowed;
    }

    /** {@code \\s} of java.util.regex: space, tab, line feed, vertical tab, form feed, carriage return. */
    private static boolean isRegexSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }

    private static boolean isIdStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    private static String cleanReason(String raw) {
        String reason = raw.strip();
        if (reason.endsWith("*/")) {
            reason = reason.substring(0, reason.length() - 2).strip();
        }
        // one line for the audit record: join the lines, without the ' * ' margin of a boxed comment
        StringBuilder joined = new StringBuilder(reason.length());
        for (String line : reason.split("\\R")) {
            String part = line.strip();
            while (part.startsWith("*")) {
                part = part.substring(1).strip();
            }
            if (!part.isEmpty()) {
                joined.append(joined.length() == 0 ? "" : " ").append(part);
            }
        }
        return joined.toString();
    }
}
