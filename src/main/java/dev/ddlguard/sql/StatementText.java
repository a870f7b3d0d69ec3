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
public record StatementText(
    String source, int start, int end, int line, int column, List<Token> tokens) {

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
    for (Token token : tokens) {
      if (token.start() >= from && token.end() <= to && token.isWord(source, upperKeyword)) {
        return true;
      }
    }
    return false;
  }

  /** Whether any code token of the statement is the keyword. */
  public boolean hasWord(String upperKeyword) {
    return hasWord(upperKeyword, start, end);
  }
}
