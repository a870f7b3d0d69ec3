package dev.ddlguard.cli.lint;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Undoes the mysql client's {@code DELIMITER} command, which the server never sees: the command
 * line is blanked and each statement end written with the custom delimiter becomes a semicolon
 * (the splitter already keeps stored-program bodies whole). Lengths and line breaks are kept.
 */
final class MySqlDelimiters {

    private static final Pattern DELIMITER = Pattern.compile("(?i)[ \\t]*DELIMITER[ \\t]+(\\S+)[ \\t]*\\r?");

    private static final Pattern ANY = Pattern.compile("(?im)^[ \\t]*DELIMITER[ \\t]");

    private MySqlDelimiters() {}

    static String neutralize(String text) {
        if (!ANY.matcher(text).find()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        String delimiter = null; // null: the semicolon is the delimiter
        for (String line : text.split("(?<=\n)", -1)) {
            String body = line.endsWith("\n") ? line.substring(0, line.length() - 1) : line;
            String newline = line.substring(body.length());
            Matcher m = DELIMITER.matcher(body);
            if (m.matches()) {
                delimiter = m.group(1).equals(";") ? null : m.group(1);
                out.append(" ".repeat(body.length())).append(newline);
                continue;
            }
            String trimmed = body.stripTrailing();
            if (delimiter != null && trimmed.endsWith(delimiter)) {
                int at = trimmed.length() - delimiter.length();
                body = body.substring(0, at) + ";" + " ".repeat(delimiter.length() - 1)
                        + body.substring(trimmed.length());
            }
            out.append(body).append(newline);
        }
        return out.toString();
    }
}
