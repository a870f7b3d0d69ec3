package dev.ddlguard.sql;

import java.util.List;

/**
 * One statement of a script: its span in the original text and its tokens.
 *
 * @param source the whole script the statement was cut from
 * @param start index of the statement's first token, counting the comments that precede it
 *     after the previous {@code ;} (so a directive comment placed before a statement is part of it)
 * @param end index after its last token; the terminating {@code ;} and whitespace are excluded
 * @param line 1-based line of {@code start}
 * @param column 1-based column of {@code start}
 * @param tokens the statement's tokens, comments included, in order
 */
public record StatementText(String source, int start, int end, int line, int column, List<Token> tokens) {

    /** Copies the token list so that the record stays immutable. */
    public StatementText {
        tokens = List.copyOf(tokens);
    }

    /** Returns the statement's text, {@code source.substring(start, end)}. */
    public String text() {
        return source.substring(start, end);
    }

    /** Where the code starts: after the comments before it, which hold directives (rewrites keep those). */
    public int codeStart() {
        for (Token token : tokens) {
            if (!token.isComment()) {
                return token.start();
            }
        }
        return start;
    }

    /** Where the code ends: before trailing comments, so that text appended here is not commented out. */
    public int codeEnd() {
        int end = this.end;
        for (Token token : tokens) {
            if (!token.isComment()) {
                end = token.end();
            }
        }
        return end;
    }

    /** Whether a code token within {@code [from, to)} of the source is the keyword (comments and strings never match). */
    public boolean hasWord(String upperKeyword, int from, int to) {
        for (Token token : tokensWithin(from, to)) {
            if (token.isWord(source, upperKeyword)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The tokens (comments included) that lie within {@code [from, to)} of the source; {@code to < 0} means
     * to the end. Found by binary search, since tokens are in order and do not overlap: rules ask this per
     * ALTER TABLE action, and a scan of every token per action made many actions quadratic (issue 13).
     */
    public List<Token> tokensWithin(int from, int to) {
        int low = 0;
        int high = tokens.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (tokens.get(mid).start() < from) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        int end = low;
        while (end < tokens.size() && (to < 0 || tokens.get(end).end() <= to)) {
            end++;
        }
        return tokens.subList(low, end);
    }

    /** The tokens of the statement that are code: comments left out. */
    public List<Token> code() {
        return tokens.stream().filter(t -> !t.isComment()).toList();
    }

    /** The code tokens (comments left out) within {@code [from, to)}, as {@link #tokensWithin}. */
    public List<Token> codeWithin(int from, int to) {
        return tokensWithin(from, to).stream().filter(t -> !t.isComment()).toList();
    }

    /** Whether any code token of the statement is the keyword. */
    public boolean hasWord(String upperKeyword) {
        return hasWord(upperKeyword, start, end);
    }
}
