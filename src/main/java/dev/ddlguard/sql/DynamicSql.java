package dev.ddlguard.sql;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Whether code the guard cannot follow statement by statement (a DO block, a routine body, the text
 * given to EXECUTE IMMEDIATE or PREPARE) may run DDL. It errs towards yes: any DDL word, any
 * dynamic-SQL word (EXECUTE, dblink), anywhere in the code or in an escape-encoded literal inside
 * it once decoded; a literal it cannot decode counts as DDL (issue 13). Linear in the code for each
 * level of encoded literal, and the levels are bounded.
 */
public final class DynamicSql {

    /** Words that run DDL, or run SQL the guard cannot see (EXECUTE of a string, dblink). */
    private static final String[] DDL_WORDS = {
        "CREATE",
        "ALTER",
        "DROP",
        "TRUNCATE",
        "RENAME",
        "REINDEX",
        "CLUSTER",
        "VACUUM",
        "GRANT",
        "REVOKE",
        "EXECUTE",
        "IMPORT",
        "DBLINK",
        "DBLINK_EXEC",
        "DBLINK_SEND_QUERY",
        "DBLINK_OPEN",
        "DBLINK_CLOSE",
        "DBLINK_FETCH",
        "XPATH_TABLE", // xml2: runs the query it builds from its arguments
        "REFRESH", // REFRESH MATERIALIZED VIEW, under ACCESS EXCLUSIVE
        "REASSIGN" // REASSIGN OWNED
    };

    /** Encoded literals inside encoded literals: past this depth the body is taken as opaque. */
    private static final int MAX_DEPTH = 4;

    private DynamicSql() {}

    /**
     * MySQL: whether the code holds a statement that acts on the server rather than a table (SET GLOBAL, SET PASSWORD,
     * SET sql_log_bin, SHUTDOWN, RESET MASTER, PURGE BINARY LOGS, INSTALL PLUGIN …), asked of the pre-filter, which
     * reads them as the live guard does: the words alone (SET, RESET) are everyday code.
     */
    static boolean reachesServer(String code) {
        for (int start = 0; start >= 0 && start < code.length(); ) {
            int word = DdlPreFilter.skipToCode(code, start, SqlSyntax.MYSQL);
            int end = word;
            while (end < code.length() && isWordChar(code.charAt(end))) {
                end++;
            }
            // only a statement that starts with one of these: a compound word (IF, LOOP …) or a string that merely
            // begins with one ('Loop done') is not a server statement
            boolean versioned = CommentRules.executableOpenerEnd(code, word) >= 0; // /*!40101 SET GLOBAL … */
            String first = code.substring(word, end).toUpperCase(Locale.ROOT);
            if ((versioned || SERVER_WORDS.contains(first) && (!LOCK_WORDS.contains(first) || locksTables(code, end)))
                    && DdlPreFilter.mightContainDdl(code.substring(word), SqlSyntax.MYSQL)) {
                return true;
            }
            int semicolon = code.indexOf(';', end);
            start = semicolon < 0 ? -1 : semicolon + 1;
        }
        return false;
    }

    /**
     * The first words of MySQL's statements on the server itself (ServerSettings) and of those that take a lock by hand
     * (LockStatements: LOCK TABLES, FLUSH TABLES, MariaDB's BACKUP STAGE; REPAIR TABLE), which a prepared statement
     * runs as well (MariaDB 10.11 prepares FLUSH TABLES WITH READ LOCK and LOCK TABLES t WRITE).
     */
    static final Set<String> SERVER_WORDS = Set.of(
            "SET",
            "RESET",
            "PURGE",
            "CHANGE",
            "STOP",
            "SHUTDOWN",
            "INSTALL",
            "UNINSTALL",
            "LOCK",
            "FLUSH",
            "BACKUP",
            "REPAIR");

    /** The first words of the statements that lock tables: read only when the next word says so. */
    private static final Set<String> LOCK_WORDS = Set.of("LOCK", "FLUSH", "BACKUP", "REPAIR");

    /**
     * After LOCK, FLUSH, BACKUP or REPAIR: whether the statement is one on tables ({@code [NO_WRITE_TO_BINLOG | LOCAL]
     * TABLE[S]}, BACKUP's STAGE); FLUSH PRIVILEGES, LOGS or STATUS and a string like 'Lock done' are not. A comment
     * between the words counts (the classifier reads it then).
     */
    private static boolean locksTables(String code, int from) {
        int i = from;
        while (true) {
            while (i < code.length() && Character.isWhitespace(code.charAt(i))) {
                i++;
            }
            int end = i;
            while (end < code.length() && isWordChar(code.charAt(end))) {
                end++;
            }
            if (end == i) {
                return i < code.length() && (code.charAt(i) == '/' || code.charAt(i) == '-' || code.charAt(i) == '#');
            }
            if (isWord(code, i, end, "NO_WRITE_TO_BINLOG") || isWord(code, i, end, "LOCAL")) {
                i = end;
                continue;
            }
            return isWord(code, i, end, "TABLE") || isWord(code, i, end, "TABLES") || isWord(code, i, end, "STAGE");
        }
    }

    /** MySQL: whether the code calls a system procedure that runs SQL it builds (CALL sys.…, CALL execute_prepared_stmt). */
    private static boolean callsSystemProcedure(String code) {
        for (int i = 0; (i = indexOfWord(code, "CALL", i)) >= 0; i += 4) {
            if (PreFilterWalks.systemProcedureAt(code, DdlPreFilter.skipToCode(code, i + 4, SqlSyntax.MYSQL))) {
                return true;
            }
        }
        return false;
    }

    /** Where the word stands whole (any case) in the code from {@code from} on, or -1. */
    static int indexOfWord(String code, String word, int from) {
        for (int i = from; i + word.length() <= code.length(); i++) {
            if (code.regionMatches(true, i, word, 0, word.length())
                    && (i == 0 || !isWordChar(code.charAt(i - 1)))
                    && (i + word.length() == code.length() || !isWordChar(code.charAt(i + word.length())))) {
                return i;
            }
        }
        return -1;
    }

    /** Whether a single word (a token's text) is one of the DDL words. */
    public static boolean isDdlWord(String word) {
        return ddlWordAt(word, 0, word.length());
    }

    /** Whether the code may run DDL: a DDL word anywhere in it, or in an encoded literal in it once decoded. */
    public static boolean mayRunDdl(String code, SqlSyntax syntax) {
        return mayRunDdl(code, syntax, 0);
    }

    /**
     * Whether one string-literal token (its value decoded) may run DDL; an undecodable literal may. Literals that
     * follow it (comments between) count as its continuation, as the server reads them: PostgreSQL joins {@code
     * 'BEGIN DR'} and {@code 'OP TABLE t; END'} on the next line into one body (an outside tester's DO block and
     * function dropped a table so), MySQL joins {@code 'DR' 'OP'} on one line too.
     */
    public static boolean literalMayRunDdl(List<Token> tokens, int index, String source, SqlSyntax syntax) {
        String joined = literalValue(tokens, index, source, syntax);
        return joined == null || mayRunDdl(joined, syntax, 1);
    }

    /** The value of the literal at {@code index} joined with the literals that follow it, decoded; null when undecodable. */
    static String literalValue(List<Token> tokens, int index, String source, SqlSyntax syntax) {
        String first = tokens.get(index).text(source);
        String value = StringLiterals.decode(first, syntax, uescape(tokens, index, source));
        if (value == null) {
            return null;
        }
        // a continuation is read as the first part is (E'…' escapes in it too); decoded again under that prefix
        int quote = Math.max(0, Math.min(indexOrEnd(first, '\''), indexOrEnd(first, '"')));
        String prefix = first.startsWith("$") ? "" : first.substring(0, quote);
        StringBuilder joined = new StringBuilder(value);
        for (int k = nextCode(tokens, index);
                k >= 0 && tokens.get(k).kind() == TokenKind.STRING;
                k = nextCode(tokens, k)) {
            String next = tokens.get(k).text(source);
            String part = StringLiterals.decode(next.startsWith("'") ? prefix + next : next, syntax, '\0');
            if (part == null) {
                return null;
            }
            joined.append(part);
        }
        return joined.toString();
    }

    private static int indexOrEnd(String s, char c) {
        int i = s.indexOf(c);
        return i < 0 ? s.length() : i;
    }

    private static int nextCode(List<Token> tokens, int from) {
        for (int k = from + 1; k < tokens.size(); k++) {
            if (!tokens.get(k).isComment()) {
                return k;
            }
        }
        return -1;
    }

    private static boolean mayRunDdl(String code, SqlSyntax syntax, int depth) {
        if (mentionsDdlWord(code, syntax)
                || (syntax == SqlSyntax.MYSQL && reachesServer(code))
                // CALL sys.execute_prepared_stmt(?) with the SQL in USING (an outside tester's)
                || (syntax == SqlSyntax.MYSQL && callsSystemProcedure(code))
                || (syntax == SqlSyntax.POSTGRESQL && CatalogWrites.mayWrite(code)) // UPDATE pg_attribute … in a body
                || (syntax == SqlSyntax.MYSQL && CatalogWrites.mayWriteMysql(code))) {
            return true;
        }
        if (!mayHoldEncodedLiteral(code)) {
            return false;
        }
        List<Token> tokens = SqlLexer.tokenize(code, syntax);
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.kind() != TokenKind.STRING || !isEncoded(t.text(code), syntax)) {
                continue;
            }
            if (depth >= MAX_DEPTH) {
                return true;
            }
            String value = StringLiterals.decode(t.text(code), syntax, uescape(tokens, i, code));
            if (value == null || mayRunDdl(value, syntax, depth + 1)) {
                return true;
            }
        }
        return false;
    }

    /** A backslash, {@code U&} or a hex literal may hide a word; plain text without them cannot. */
    private static boolean mayHoldEncodedLiteral(String code) {
        return code.indexOf('\\') >= 0 || code.indexOf('&') >= 0 || code.indexOf('\'') >= 0;
    }

    /** Whether the literal's value differs from its text by more than doubled quotes. */
    private static boolean isEncoded(String literal, SqlSyntax syntax) {
        char first = Character.toUpperCase(literal.charAt(0));
        if (first == '$') {
            return false; // a dollar quote has no escapes: its text was already read as it is
        }
        return first == 'E' || first == 'U' || first == 'X' || literal.indexOf('\\') >= 0;
    }

    /** PostgreSQL's {@code U&'…' UESCAPE 'c'}: the escape character after the literal, or 0 for the default. */
    private static char uescape(List<Token> tokens, int index, String source) {
        int i = index + 1;
        while (i < tokens.size() && tokens.get(i).isComment()) {
            i++;
        }
        if (i >= tokens.size() || !tokens.get(i).isWord(source, "UESCAPE")) {
            return 0;
        }
        i++;
        while (i < tokens.size() && tokens.get(i).isComment()) {
            i++;
        }
        if (i >= tokens.size() || tokens.get(i).kind() != TokenKind.STRING) {
            return 0;
        }
        String c = tokens.get(i).text(source);
        return c.length() >= 3 ? c.charAt(1) : 0;
    }

    /**
     * A DDL word anywhere in the text, in strings and comments too: words are runs of letters and
     * underscores, so {@code 1DROP} and {@code x$drop} count while {@code drop_count} does not.
     * {@code PROGRAM} counts after {@code TO} or {@code FROM} (COPY … PROGRAM runs a shell command), {@code HISTORY}
     * after {@code DELETE} (MariaDB's DELETE HISTORY deletes a system-versioned table's history). On PostgreSQL,
     * {@code LOCK} counts too: {@code DO $$ BEGIN LOCK TABLE t; … END $$} holds the lock to the block's end (MySQL's
     * LOCK TABLES is read by {@link #reachesServer}, where LOCK IN SHARE MODE is a SELECT's).
     */
    static boolean mentionsDdlWord(String code, SqlSyntax syntax) {
        int n = code.length();
        int i = 0;
        int previousStart = -1;
        int previousEnd = -1;
        while (i < n) {
            if (!isWordChar(code.charAt(i))) {
                i++;
                continue;
            }
            int end = i + 1;
            while (end < n && isWordChar(code.charAt(end))) {
                end++;
            }
            if (ddlWordAt(code, i, end)
                    || (syntax != SqlSyntax.MYSQL && isWord(code, i, end, "LOCK"))
                    // MySQL: EXECUTE IMMEDIATE 'USE mysql' moved the session unseen (an outside tester's, then
                    // UPDATE global_priv widened privileges)
                    || (syntax == SqlSyntax.MYSQL && isWord(code, i, end, "USE"))) {
                return true;
            }
            if (end - i == 7
                    && previousStart >= 0
                    && ((code.regionMatches(true, i, "PROGRAM", 0, 7)
                                    && (isWord(code, previousStart, previousEnd, "TO")
                                            || isWord(code, previousStart, previousEnd, "FROM")))
                            || (code.regionMatches(true, i, "HISTORY", 0, 7)
                                    && isWord(code, previousStart, previousEnd, "DELETE")))) {
                return true; // COPY … TO PROGRAM; MariaDB's DELETE HISTORY (see SystemVersioning)
            }
            previousStart = i;
            previousEnd = end;
            i = end;
        }
        return false;
    }

    private static boolean isWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (c >= 0x80 && Character.isLetter(c));
    }

    private static boolean ddlWordAt(String s, int start, int end) {
        int length = end - start;
        for (String word : DDL_WORDS) {
            if (word.length() == length && s.regionMatches(true, start, word, 0, length)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isWord(String s, int start, int end, String word) {
        return end - start == word.length() && s.regionMatches(true, start, word, 0, word.length());
    }
}
