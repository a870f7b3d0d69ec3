package dev.ddlguard.sql;

/** Character classes shared by the lexer and the pre-filter; all checks take code points. */
final class CharClasses {

  private CharClasses() {}

  /**
   * Whitespace. PostgreSQL manual 4.1 "Lexical Structure" names space, tab, newline, carriage
   * return and form feed (its scanner adds vertical tab). Unicode spaces (U+00A0, U+2000..U+200B,
   * U+3000, U+FEFF, ...) are also skipped: the databases would read them as part of an identifier
   * and reject the statement, so seeing the words on either side of them can only make us more
   * careful, never less.
   */
  static boolean isWhitespace(int cp) {
    if (cp < 0x80) {
      return cp == ' ' || (cp >= '\t' && cp <= '\r');
    }
    return Character.isSpaceChar(cp)
        || Character.isWhitespace(cp)
        || cp == 0x85
        || cp == 0x200B
        || cp == 0xFEFF;
  }

  /**
   * First character of an unquoted identifier or key word: a letter or underscore (PostgreSQL
   * 4.1.1 "Identifiers and Key Words"); any Unicode letter counts as a letter.
   */
  static boolean isIdentifierStart(int cp) {
    if (cp < 0x80) {
      return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp == '_';
    }
    return Character.isLetter(cp);
  }

  /**
   * Later characters of an unquoted identifier: letters, underscores, digits and dollar signs
   * (PostgreSQL 4.1.1; MySQL 11.2 "Schema Object Names" allows the same set). Combining marks are
   * kept inside the word so that a decomposed accent does not split an identifier in two.
   */
  static boolean isIdentifierPart(int cp) {
    if (cp < 0x80) {
      return isIdentifierStart(cp) || (cp >= '0' && cp <= '9') || cp == '$';
    }
    if (isWhitespace(cp)) {
      return false;
    }
    if (Character.isLetterOrDigit(cp)) {
      return true;
    }
    int type = Character.getType(cp);
    return type == Character.NON_SPACING_MARK
        || type == Character.COMBINING_SPACING_MARK
        || type == Character.ENCLOSING_MARK;
  }

  /**
   * Character of a dollar-quote tag (PostgreSQL 4.1.2.4 "Dollar-Quoted String Constants"): the
   * scanner accepts letters, underscore, any non-ASCII byte and, after the first, digits.
   */
  static boolean isDollarTagChar(char c, boolean first) {
    if (c < 0x80) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'
          || (!first && c >= '0' && c <= '9');
    }
    return !isWhitespace(c);
  }

  /** ASCII decimal digit; SQL numbers and parameter numbers use no other digits. */
  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** ASCII hexadecimal digit, for {@code 0x1F} style numbers. */
  static boolean isHexDigit(char c) {
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /**
   * Operator character (PostgreSQL 4.1.3 "Operators": {@code + - * / < > = ~ ! @ # % ^ & | ` ?}
   * plus {@code :} for casts and MySQL's {@code :=}). {@code ?} is left out because JDBC makes it
   * a bind parameter, and MySQL's backtick quotes identifiers instead.
   */
  static boolean isOperatorChar(char c, SqlSyntax syntax) {
    switch (c) {
      case '+': case '-': case '*': case '/': case '<': case '>': case '=': case '~':
      case '!': case '@': case '#': case '%': case '^': case '&': case '|': case ':':
        return true;
      case '`':
        return syntax != SqlSyntax.MYSQL;
      default:
        return false;
    }
  }
}
