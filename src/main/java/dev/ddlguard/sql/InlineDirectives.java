package dev.ddlguard.sql;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code /* ddlguard:allow <rule-id> <reason> *}{@code /} and {@code -- ddlguard:allow …}
 * comments of one statement: the author's explicit, reasoned exception to a rule.
 */
public final class InlineDirectives {

    /** The reason runs to the end of the comment or the next directive: a block comment may spread it over lines. */
    private static final Pattern ALLOW = Pattern.compile(
            "ddlguard:allow\\s+([a-z0-9][a-z0-9-]*)((?:(?!ddlguard:allow).)*)", Pattern.DOTALL);

    private InlineDirectives() {
    }

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
            Matcher m = ALLOW.matcher(comment);
            while (m.find()) {
                if (allowed == null) {
                    allowed = new LinkedHashMap<>();
                }
                allowed.put(m.group(1), cleanReason(m.group(2)));
            }
        }
        return allowed == null ? Map.of() : allowed;
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
