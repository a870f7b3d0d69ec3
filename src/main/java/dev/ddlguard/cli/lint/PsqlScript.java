package dev.ddlguard.cli.lint;

import dev.ddlguard.sql.SqlLexer;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.Token;
import dev.ddlguard.sql.TokenKind;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Blanks out what psql, not the server, reads in a script: backslash meta-commands ({@code \d},
 * {@code \set}, …) and the inline data of {@code COPY … FROM stdin}. Left in place they would glue
 * onto the next statement and hide it from the classifier. Only spaces replace them (line breaks
 * stay), so every statement keeps its line number.
 */
final class PsqlScript {

    /** Meta-commands that send the query buffer, as a semicolon would. */
    private static final Pattern SENDS =
            Pattern.compile("(?s)\\\\(g|gx|gexec|gset|gdesc|crosstabview|watch)(?![a-z]).*");

    private static final Pattern COPY_STDIN = Pattern.compile("(?is)\\\\copy\\b.*\\bfrom\\s+stdin\\b.*");

    private PsqlScript() {}

    static String neutralize(String text) {
        if (text.indexOf('\\') < 0) {
            return text; // the common case: nothing psql-specific, nothing to copy
        }
        char[] out = text.toCharArray();
        int pos = 0;
        restart:
        while (pos < text.length()) {
            String rest = text.substring(pos);
            List<Token> tokens = SqlLexer.tokenize(rest, SqlSyntax.POSTGRESQL);
            int statementStart = 0;
            for (int k = 0; k < tokens.size(); k++) {
                Token t = tokens.get(k);
                if (t.kind() == TokenKind.SEMICOLON) {
                    if (isCopyFromStdin(rest, tokens, statementStart, k)) {
                        pos += blankCopyData(out, pos, rest, lineEnd(rest, t.end()));
                        continue restart;
                    }
                    statementStart = k + 1;
                } else if (t.kind() == TokenKind.OTHER && rest.charAt(t.start()) == '\\') {
                    int end = lineEnd(rest, t.start());
                    String command = rest.substring(t.start(), end);
                    blank(out, pos + t.start(), pos + end);
                    boolean sends = SENDS.matcher(command).matches();
                    if (sends) {
                        out[pos + t.start()] = ';';
                    }
                    if (COPY_STDIN.matcher(command).matches()) {
                        pos += blankCopyData(out, pos, rest, end);
                        continue restart;
                    }
                    int next = k + 1;
                    while (next < tokens.size() && tokens.get(next).start() < end) {
                        next++;
                    }
                    // An odd quote in the meta-command (\echo it's) misled the lexer past the line: lex again after it.
                    if (tokens.get(next - 1).end() > end) {
                        pos += end;
                        continue restart;
                    }
                    if (sends) {
                        statementStart = next;
                    }
                    k = next - 1;
                }
            }
            break;
        }
        return new String(out);
    }

    private static boolean isCopyFromStdin(String sql, List<Token> tokens, int from, int to) {
        Token first = null;
        for (int k = from; k < to; k++) {
            Token t = tokens.get(k);
            if (t.isComment()) {
                continue;
            }
            if (first == null) {
                first = t;
                if (!t.isWord(sql, "COPY")) {
                    return false;
                }
            } else if (t.isWord(sql, "FROM") && k + 1 < to && tokens.get(k + 1).isWord(sql, "STDIN")) {
                return true;
            }
        }
        return false;
    }

    /** Blanks COPY data from {@code dataStart} through its {@code \.} line (or the end); returns where lexing resumes. */
    private static int blankCopyData(char[] out, int pos, String rest, int dataStart) {
        int at = dataStart;
        while (at < rest.length()) {
            int end = lineEnd(rest, at);
            boolean last = rest.substring(at, end).strip().equals("\\.");
            at = Math.min(rest.length(), end + 1);
            if (last) {
                break;
            }
        }
        blank(out, pos + dataStart, pos + at);
        return at;
    }

    private static int lineEnd(String s, int from) {
        int nl = s.indexOf('\n', from);
        return nl < 0 ? s.length() : nl;
    }

    private static void blank(char[] out, int from, int to) {
        for (int i = from; i < to; i++) {
            if (out[i] != '\n' && out[i] != '\r') {
                out[i] = ' ';
            }
        }
    }
}
