package dev.ddlguard.sql;

import java.util.Locale;

/**
 * The value of a string-literal token, escapes decoded, so that a body hidden behind escapes
 * ({@code E'\x44ROP TABLE t'}, {@code U&'\0044ROP TABLE t'}) is read as the server will read it.
 * Linear in the literal; no regular expressions.
 */
public final class StringLiterals {

    private StringLiterals() {}

    /**
     * The literal's value, or null when the guard cannot decode it as the server would (an escape
     * the server rejects or that the guard does not model): the caller must then treat the body as opaque.
     *
     * @param literal  the token's text, prefix and quotes included
     * @param uescape  PostgreSQL's {@code UESCAPE 'c'} character following a {@code U&} literal, or 0 for {@code \}
     */
    public static String decode(String literal, SqlSyntax syntax, char uescape) {
        if (literal.isEmpty()) {
            return literal;
        }
        if (literal.charAt(0) == '$') {
            return dollarBody(literal);
        }
        int quoteAt = 0;
        while (quoteAt < literal.length() && literal.charAt(quoteAt) != '\'' && literal.charAt(quoteAt) != '"') {
            quoteAt++;
        }
        if (quoteAt >= literal.length()) {
            return null;
        }
        String prefix = literal.substring(0, quoteAt).toUpperCase(Locale.ROOT);
        char quote = literal.charAt(quoteAt);
        int end = literal.length() > quoteAt + 1 && literal.charAt(literal.length() - 1) == quote
                ? literal.length() - 1
                : literal.length();
        String inner = literal.substring(quoteAt + 1, end);
        boolean mysql = syntax == SqlSyntax.MYSQL;
        switch (prefix) {
            case "X":
                return hexBytes(inner);
            case "B":
                return ""; // a bit string holds no text
            case "U&":
                return unicodeEscapes(undouble(inner, quote), uescape == 0 ? '\\' : uescape);
            case "E":
                return backslashEscapesPostgres(inner, quote);
            default:
                if (mysql) {
                    return backslashEscapesMySql(inner, quote);
                }
                // PostgreSQL with standard_conforming_strings=off reads backslashes in a plain literal too:
                // when one is present, both readings are returned, so that words in either are seen.
                String plain = undouble(inner, quote);
                if (syntax == SqlSyntax.POSTGRESQL && inner.indexOf('\\') >= 0) {
                    String escaped = backslashEscapesPostgres(inner, quote);
                    return escaped == null ? plain : plain + "\n" + escaped;
                }
                return plain;
        }
    }

    /** {@code $tag$ body $tag$}: the body as written (PostgreSQL 4.1.2.4: no escapes in a dollar quote). */
    private static String dollarBody(String literal) {
        int tagEnd = literal.indexOf('$', 1);
        if (tagEnd < 0) {
            return null;
        }
        String tag = literal.substring(0, tagEnd + 1);
        int bodyEnd = literal.length() >= 2 * tag.length() && literal.endsWith(tag)
                ? literal.length() - tag.length()
                : literal.length();
        return literal.substring(tag.length(), Math.max(tag.length(), bodyEnd));
    }

    private static String undouble(String inner, char quote) {
        String twice = String.valueOf(quote) + quote;
        return inner.contains(twice) ? inner.replace(twice, String.valueOf(quote)) : inner;
    }

    /** MySQL 11.1.1 "String Literals", Table 11.1: {@code \0 \' \" \b \n \r \t \Z \\}; any other {@code \x} is x. */
    private static String backslashEscapesMySql(String inner, char quote) {
        StringBuilder out = new StringBuilder(inner.length());
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            if (c == '\\' && i + 1 < inner.length()) {
                char e = inner.charAt(++i);
                out.append(
                        switch (e) {
                            case '0' -> '\0';
                            case 'b' -> '\b';
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'Z' -> '\u001A';
                            default -> e;
                        });
            } else if (c == quote && i + 1 < inner.length() && inner.charAt(i + 1) == quote) {
                out.append(quote);
                i++;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * PostgreSQL 4.1.2.2 "String Constants With C-Style Escapes": {@code \b \f \n \r \t}, {@code \o}, {@code \oo},
     * {@code \ooo} (octal), {@code \xh}, {@code \xhh} (hex), backslash-u and four hex digits, backslash-U and eight; any other
     * character after a backslash is taken literally. A malformed Unicode escape is an error on the server: null.
     */
    private static String backslashEscapesPostgres(String inner, char quote) {
        StringBuilder out = new StringBuilder(inner.length());
        int n = inner.length();
        for (int i = 0; i < n; i++) {
            char c = inner.charAt(i);
            if (c == quote && i + 1 < n && inner.charAt(i + 1) == quote) {
                out.append(quote);
                i++;
                continue;
            }
            if (c != '\\' || i + 1 >= n) {
                out.append(c);
                continue;
            }
            char e = inner.charAt(++i);
            switch (e) {
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'x' -> {
                    int digits = countDigits(inner, i + 1, 2, 16);
                    if (digits == 0) {
                        out.append('x');
                    } else {
                        out.append((char) Integer.parseInt(inner.substring(i + 1, i + 1 + digits), 16));
                        i += digits;
                    }
                }
                case 'u', 'U' -> {
                    int want = e == 'u' ? 4 : 8;
                    if (countDigits(inner, i + 1, want, 16) != want) {
                        return null;
                    }
                    long cp = Long.parseLong(inner.substring(i + 1, i + 1 + want), 16);
                    if (cp > Character.MAX_CODE_POINT) {
                        return null;
                    }
                    out.appendCodePoint((int) cp);
                    i += want;
                }
                default -> {
                    int digits = e >= '0' && e <= '7' ? countDigits(inner, i, 3, 8) : 0;
                    if (digits > 0) {
                        out.append((char) (Integer.parseInt(inner.substring(i, i + digits), 8) & 0xFF));
                        i += digits - 1;
                    } else {
                        out.append(e);
                    }
                }
            }
        }
        return out.toString();
    }

    /**
     * PostgreSQL 4.1.2.3 "String Constants With Unicode Escapes" (also H2): {@code \xxxx}, {@code \+xxxxxx},
     * {@code \\} for the escape character itself; anything else after it is an error on the server: null.
     */
    private static String unicodeEscapes(String inner, char escape) {
        StringBuilder out = new StringBuilder(inner.length());
        int n = inner.length();
        for (int i = 0; i < n; i++) {
            char c = inner.charAt(i);
            if (c != escape) {
                out.append(c);
                continue;
            }
            if (i + 1 < n && inner.charAt(i + 1) == escape) {
                out.append(escape);
                i++;
            } else if (i + 1 < n && inner.charAt(i + 1) == '+' && countDigits(inner, i + 2, 6, 16) == 6) {
                int cp = Integer.parseInt(inner.substring(i + 2, i + 8), 16);
                if (cp > Character.MAX_CODE_POINT) {
                    return null;
                }
                out.appendCodePoint(cp);
                i += 7;
            } else if (countDigits(inner, i + 1, 4, 16) == 4) {
                out.append((char) Integer.parseInt(inner.substring(i + 1, i + 5), 16));
                i += 4;
            } else {
                return null;
            }
        }
        return out.toString();
    }

    /** MySQL 11.1.4 "Hexadecimal Literals": {@code X'44524F50'} is the bytes 'DROP'. */
    private static String hexBytes(String inner) {
        StringBuilder out = new StringBuilder(inner.length() / 2 + 1);
        for (int i = 0; i + 1 < inner.length(); i += 2) {
            int hi = Character.digit(inner.charAt(i), 16);
            int lo = Character.digit(inner.charAt(i + 1), 16);
            if (hi < 0 || lo < 0) {
                return null;
            }
            out.append((char) (hi * 16 + lo));
        }
        return out.toString();
    }

    /** How many digits of {@code radix} (at most {@code max}) start at {@code from}. */
    private static int countDigits(String s, int from, int max, int radix) {
        int count = 0;
        while (count < max
                && from + count < s.length()
                && Character.digit(s.charAt(from + count), radix) >= 0
                && s.charAt(from + count) < 0x80) {
            count++;
        }
        return count;
    }
}
