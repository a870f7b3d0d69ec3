package dev.ddlguard.cli.lint;

import dev.ddlguard.policy.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Liquibase formatted SQL: each {@code --changeset author:id} starts a unit that Liquibase runs in
 * its own transaction unless it says {@code runInTransaction:false}; rollback lines, ignored lines
 * and changesets for another database never run, so they are not judged.
 */
final class LiquibaseScript {

    private static final Pattern FIRST_LINE = Pattern.compile("(?i)\\s*--\\s*liquibase\\s+formatted\\b.*");
    private static final Pattern CHANGESET = Pattern.compile("(?i)\\s*--\\s*changeset\\s+\\S+.*");
    /** {@code --changeset author:id}, either part possibly in double quotes (Liquibase's FormattedSqlChangeLogParser). */
    private static final Pattern AUTHOR_ID =
            Pattern.compile("(?i)\\s*--\\s*changeset\\s+(\"[^\"]*\"|[^:\\s]+)\\s*:\\s*(\"[^\"]*\"|\\S+).*");

    private static final Pattern ROLLBACK = Pattern.compile("(?i)\\s*--\\s*rollback\\b.*");
    private static final Pattern ROLLBACK_BLOCK = Pattern.compile("(?i)\\s*/\\*\\s*liquibase\\s+rollback\\s*");
    private static final Pattern BLOCK_END = Pattern.compile(".*\\*/\\s*");
    private static final Pattern IGNORE_START = Pattern.compile("(?i)\\s*--\\s*ignoreLines:start\\s*");
    private static final Pattern IGNORE_END = Pattern.compile("(?i)\\s*--\\s*ignoreLines:end\\s*");
    private static final Pattern IGNORE_COUNT = Pattern.compile("(?i)\\s*--\\s*ignoreLines:(\\d+)\\s*");
    /** Liquibase reads {@code runInTransaction:false} with no space after the colon; with one, it runs in a transaction. */
    private static final Pattern NO_TRANSACTION = Pattern.compile("(?i)\\brunInTransaction:false\\b");
    /** {@code ignore:true}: Liquibase skips the changeset. */
    private static final Pattern IGNORED = Pattern.compile("(?i)\\bignore:true\\b");
    /** {@code endDelimiter:X}: a line holding only X ends a statement. */
    private static final Pattern END_DELIMITER = Pattern.compile("(?i)\\bendDelimiter:(\\S+)");

    private static final Pattern DBMS = Pattern.compile("(?i)\\bdbms:\\s*(\\S+)");

    private LiquibaseScript() {}

    /** Liquibase requires the marker on the first line that holds anything (blank lines before it are read past). */
    static boolean is(String text) {
        String rest = text.stripLeading();
        int end = rest.indexOf('\n');
        return FIRST_LINE
                .matcher((end < 0 ? rest : rest.substring(0, end)).strip())
                .matches();
    }

    static List<Segment> changesets(String text, Target target) {
        List<Segment> segments = new ArrayList<>();
        StringBuilder body = null;
        int firstLine = 0;
        String changeset = null;
        boolean inTransaction = true;
        boolean runs = false;
        int ignore = 0; // lines still to skip after --ignoreLines:N
        boolean ignoring = false; // inside --ignoreLines:start … end, or a multi-line rollback
        int lineNo = 0;
        String endDelimiter = null;
        for (int start = 0; start < text.length(); ) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? text.length() : nl + 1;
            String line = text.substring(start, end).stripTrailing();
            String terminator = text.substring(start + line.length(), end).replaceAll("[^\r\n]", "");
            start = end;
            lineNo++;
            if (CHANGESET.matcher(line).matches()) {
                if (runs && body != null) {
                    segments.add(new Segment(body.toString(), firstLine, inTransaction, false, false, changeset));
                }
                body = new StringBuilder();
                firstLine = lineNo + 1;
                changeset = name(line);
                inTransaction = !NO_TRANSACTION.matcher(line).find();
                runs = runsOn(line, target) && !IGNORED.matcher(line).find();
                Matcher delimiter = END_DELIMITER.matcher(line);
                endDelimiter = delimiter.find() ? delimiter.group(1) : null;
                ignore = 0;
                ignoring = false;
                continue;
            }
            if (body == null) {
                continue; // before the first changeset: Liquibase runs none of it
            }
            boolean skip = ignoring || ignore > 0;
            Matcher count = IGNORE_COUNT.matcher(line);
            if (ignore > 0) {
                ignore--;
            } else if (ignoring) {
                ignoring = !(IGNORE_END.matcher(line).matches()
                        || BLOCK_END.matcher(line).matches());
            } else if (IGNORE_START.matcher(line).matches()
                    || ROLLBACK_BLOCK.matcher(line).matches()) {
                ignoring = true;
                skip = true;
            } else if (count.matches()) {
                ignore = count.group(1).length() > 6 ? 999_999 : Integer.parseInt(count.group(1));
                skip = true;
            } else {
                skip = ROLLBACK.matcher(line).matches();
            }
            // A skipped line keeps its line break, so statements keep their file line numbers. A line holding only GO
            // or / (or the changeset's endDelimiter) ends a statement, as Liquibase splits it: CREATE TABLE a … GO DROP
            // TABLE b was one harmless-looking statement to lint and two to the database (an outside tester's find).
            body.append(skip ? terminator : endsStatement(line, endDelimiter) ? ";" + terminator : line + terminator);
        }
        if (runs && body != null) {
            segments.add(new Segment(body.toString(), firstLine, inTransaction, false, false, changeset));
        }
        return segments;
    }

    private static boolean endsStatement(String line, String endDelimiter) {
        String l = line.strip();
        return l.equalsIgnoreCase("GO") || l.equals("/") || endDelimiter != null && l.equalsIgnoreCase(endDelimiter);
    }

    /** {@code id::author}, as Liquibase names a changeset, or null when the line is no {@code --changeset author:id}. */
    static String name(String changesetLine) {
        Matcher m = AUTHOR_ID.matcher(changesetLine);
        return m.matches() ? key(unquote(m.group(2)), unquote(m.group(1))) : null;
    }

    /** {@code id::author}: how Liquibase names a changeset, and how findings do. */
    static String key(String id, String author) {
        return id + "::" + author;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    /** Liquibase's dbms filter: "all", a list of names, "!name" exclusions; absent means every database. */
    private static boolean runsOn(String changesetLine, Target target) {
        Matcher m = DBMS.matcher(changesetLine);
        if (!m.find()) {
            return true;
        }
        String name = target.value();
        boolean anyPositive = false;
        boolean matched = false;
        for (String raw : m.group(1).toLowerCase(Locale.ROOT).split(",")) {
            String dbms = raw.strip();
            if (dbms.equals("all")) {
                matched = true;
            } else if (dbms.startsWith("!")) {
                if (dbms.substring(1).equals(name)) {
                    return false;
                }
            } else if (!dbms.isEmpty()) {
                anyPositive = true;
                matched |= dbms.equals(name);
            }
        }
        return matched || !anyPositive;
    }
}
