package dev.ddlguard.adoption;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The statements of a Flyway migration set under src/test/resources, read independently of the guard's
 * own splitter: quotes, dollar quotes and comments are honoured, nothing else is understood. Tests compare
 * the audit records against this list, so a statement the guard did not record (or recorded twice) shows.
 */
final class MigrationScripts {

    private static final Pattern VERSIONED = Pattern.compile("V(\\d+)__.*\\.sql");
    private static final Pattern DOLLAR_TAG = Pattern.compile("\\$[A-Za-z_]*\\$");

    /** One statement of one script, its text with comments removed and whitespace collapsed. */
    record Script(int version, String file, List<String> statements) {}

    private MigrationScripts() {}

    static Path folder(String resource) {
        try {
            return Path.of(MigrationScripts.class
                    .getClassLoader()
                    .getResource(resource)
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Script> read(Path folder) throws IOException {
        List<Script> scripts = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.toList()) {
                Matcher m = VERSIONED.matcher(f.getFileName().toString());
                if (m.matches()) {
                    scripts.add(new Script(
                            Integer.parseInt(m.group(1)), f.getFileName().toString(), split(Files.readString(f))));
                }
            }
        }
        scripts.sort(Comparator.comparingInt(Script::version));
        return scripts;
    }

    /** Whether a statement is DDL, i.e. one the guard writes an audit record for (not a query or DML). */
    static boolean isDdl(String statement) {
        String first = statement.split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
        return !List.of("INSERT", "UPDATE", "DELETE", "SELECT", "WITH", "SET").contains(first);
    }

    /** Comments removed (also inside the text a record shows), whitespace collapsed, no trailing semicolon. */
    static String normalize(String sql) {
        return String.join("", split(sql)).trim();
    }

    static List<String> split(String sql) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '-' && sql.startsWith("--", i)) {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? sql.length() : end;
                current.append(' ');
            } else if (c == '/' && sql.startsWith("/*", i)) {
                i = sql.indexOf("*/", i) + 2;
                current.append(' ');
            } else if (c == '\'' || c == '"' || c == '`') {
                int end = i + 1;
                while (end < sql.length() && sql.charAt(end) != c) {
                    end++;
                }
                current.append(sql, i, Math.min(end + 1, sql.length()));
                i = end + 1;
            } else if (c == '$'
                    && DOLLAR_TAG.matcher(sql).region(i, sql.length()).lookingAt()) {
                Matcher tag = DOLLAR_TAG.matcher(sql).region(i, sql.length());
                tag.lookingAt();
                int end = sql.indexOf(tag.group(), tag.end()) + tag.group().length();
                current.append(sql, i, end);
                i = end;
            } else if (c == ';') {
                add(out, current);
                i++;
            } else {
                current.append(c);
                i++;
            }
        }
        add(out, current);
        return out;
    }

    private static void add(List<String> out, StringBuilder current) {
        String s = current.toString().replaceAll("\\s+", " ").trim();
        if (!s.isEmpty()) {
            out.add(s);
        }
        current.setLength(0);
    }
}
