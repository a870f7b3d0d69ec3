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
}
