package dev.ddlguard.dialect.mysql;

import java.util.Locale;

/**
 * A column as the MySQL/MariaDB catalog describes it, read from the one line
 * {@link MySqlDialect#columnType} builds out of information_schema.COLUMNS, STATISTICS and TABLES:
 * {@code <COLUMN_TYPE>[ character set X][ collate Y][ not null][ indexed][ leads index][ table collate Z]}.
 * The parts are appended in that order and read back from the end, so an ENUM value that happens
 * to contain one of the words cannot shift them.
 *
 * @param type           COLUMN_TYPE ({@code varchar(40)}, {@code int(11)}, {@code enum('x','y')})
 * @param charset        the character set of a string column, else null
 * @param collation      the collation of a string column, else null
 * @param notNull        IS_NULLABLE = 'NO'
 * @param indexed        some index covers the column
 * @param leadsIndex     some index has the column first (a foreign key on it needs no new index)
 * @param tableCollation the table's default collation (what a MODIFY without COLLATE gives the column), or null
 */
record MySqlColumn(
        String type,
        String charset,
        String collation,
        boolean notNull,
        boolean indexed,
        boolean leadsIndex,
        String tableCollation) {

    static MySqlColumn parse(String line) {
        String s = line.strip();
        String tableCollation = null;
        int at = s.lastIndexOf(" table collate ");
        if (at >= 0) {
            tableCollation = s.substring(at + " table collate ".length()).strip();
            s = s.substring(0, at);
        }
        boolean leadsIndex = s.endsWith(" leads index");
        s = leadsIndex ? s.substring(0, s.length() - " leads index".length()) : s;
        boolean indexed = s.endsWith(" indexed");
        s = indexed ? s.substring(0, s.length() - " indexed".length()) : s;
        boolean notNull = s.endsWith(" not null");
        s = notNull ? s.substring(0, s.length() - " not null".length()) : s;
        String collation = null;
        at = s.lastIndexOf(" collate ");
        if (at >= 0) {
            collation = s.substring(at + " collate ".length()).strip();
            s = s.substring(0, at);
        }
        String charset = null;
        at = s.lastIndexOf(" character set ");
        if (at >= 0) {
            charset = s.substring(at + " character set ".length()).strip();
            s = s.substring(0, at);
        }
        return new MySqlColumn(s.strip(), charset, collation, notNull, indexed, leadsIndex, tableCollation);
    }

    /** {@code utf8} is {@code utf8mb3} on both servers (MySQL 8.0, MariaDB 10.6+ print the latter). */
    static String normalCharset(String charset) {
        if (charset == null) {
            return null;
        }
        String c = charset.toLowerCase(Locale.ROOT);
        return c.equals("utf8") ? "utf8mb3" : c;
    }

    /** The character set a collation belongs to: the part before its first underscore ({@code utf8mb4_bin}: utf8mb4). */
    static String charsetOf(String collation) {
        if (collation == null) {
            return null;
        }
        String c = collation.toLowerCase(Locale.ROOT);
        int underscore = c.indexOf('_');
        return normalCharset(underscore < 0 ? c : c.substring(0, underscore));
    }

    /**
     * The default collation of the common character sets (MariaDB 10.11 and MySQL 5.7 agree on these;
     * MySQL 8.0 defaults utf8mb4 to utf8mb4_0900_ai_ci), or null when not known here.
     */
    static String defaultCollation(String charset, OnlineDdlMatrix.Flavour flavour) {
        String c = normalCharset(charset);
        if (c == null) {
            return null;
        }
        return switch (c) {
            case "utf8mb4" -> flavour == OnlineDdlMatrix.Flavour.MYSQL ? "utf8mb4_0900_ai_ci" : "utf8mb4_general_ci";
            case "utf8mb3" -> "utf8mb3_general_ci";
            case "latin1" -> "latin1_swedish_ci";
            case "ascii" -> "ascii_general_ci";
            case "binary" -> "binary";
            default -> null;
        };
    }
}
