package dev.ddlguard.sql;

/**
 * Decides cheaply, without allocating, whether a SQL string may hold DDL, so that DML never pays
 * for parsing.
 *
 * <p>It looks only at the first word of each statement, after whitespace, comments and opening
 * parentheses. A {@code false} answer means no statement starts with a DDL-ish key word; a
 * {@code true} answer means "parse it". The answer errs towards {@code true}: any MySQL
 * executable comment and any word that merely begins a statement of a DDL family count.
 */
public final class DdlPreFilter {

    /**
     * How far a SET holding a quote or comment is scanned for its words before it is handed to the classifier: a
     * batch of many such SETs costs this much per statement at most.
     */
    private static final int MAX_SET_SCAN = 256;

    /** Semicolons looked at individually before falling back to a full walk of the text. */
    private static final int MAX_SEMICOLON_PROBES = 16;

    /** JDBC escape keywords that may open a <code>{</code> escape. */
    private static final String[] JDBC_ESCAPES = {"oj", "fn", "call", "d", "t", "ts", "escape", "limit"};

    private DdlPreFilter() {}

    /**
     * Tells whether {@code sql} may contain a DDL statement (or anything else worth parsing).
     *
     * @param sql the text; {@code null} is not DDL
     * @param syntax lexical flavour; {@code null} means {@link SqlSyntax#ANSI}
     * @return {@code false} only if no statement starts with a DDL key word
     */
    public static boolean mightContainDdl(String sql, SqlSyntax syntax) {
        return mightContainDdl(sql, syntax, false);
    }

    /**
     * As {@link #mightContainDdl(String, SqlSyntax)}; with {@code remoteSql} (PostgreSQL with dblink or xml2
     * installed, see {@code Dialect.hasRemoteSql}) any text that may call them is also worth parsing.
     * That costs a few vectorised scans of the text, so it is only paid where they exist.
     */
    public static boolean mightContainDdl(String sql, SqlSyntax syntax, boolean remoteSql) {
        if (sql == null) {
            return false;
        }
        SqlSyntax s = syntax == null ? SqlSyntax.ANSI : syntax;
        int first = skipToCode(sql, 0, s);
        // The first statement is the hot path: the SELECT … INTO walk runs only when the letters INTO occur
        // at all (later statements, rare, are walked as they are: a scan of the whole text per statement
        // would make many statements quadratic).
        if (startsWithDdlKeyword(sql, first, s)
                || (s == SqlSyntax.POSTGRESQL
                        && hasIntoLetters(sql)
                        && PreFilterWalks.selectMayCreateTable(sql, first))) {
            return true;
        }
        if (remoteSql && s == SqlSyntax.POSTGRESQL && RemoteSqlCalls.mayCall(sql)) {
            return true; // any statement may call dblink_exec, which runs SQL on another connection
        }
        if (s == SqlSyntax.POSTGRESQL
                ? CatalogWrites.mayWrite(sql)
                : s == SqlSyntax.MYSQL && CatalogWrites.mayWriteMysql(sql)) {
            return true; // UPDATE pg_class …, UPDATE mysql.proc …: DDL by hand
        }
        // Hot path: without ';' (String.indexOf is an intrinsic) a single statement cannot hide a
        // second one. With ';' the text only needs walking if some ';' is followed by a DDL word,
        // since the walk merely decides whether that ';' is inside a string or comment.
        boolean executable = s == SqlSyntax.MYSQL && containsExecutableOpener(sql);
        if (s == SqlSyntax.MYSQL && CommentRules.parameterReadTwoWays(sql, true)) {
            return true; // a ? whose value the server may read as code (StatementJudge)
        }
        if (!executable && !keywordFollowsSomeSemicolon(sql, s)) {
            return false;
        }
        // The walk depends on session settings (backslash escapes, ANSI_QUOTES, ...) the text may not
        // reveal: walk it under every combination that could read it differently.
        int relevant = Lexing.relevant(sql, s, Lexing.ALL);
        for (int flip = 0; flip <= Lexing.ALL; flip++) {
            if ((flip & ~relevant) == 0
                    && PreFilterWalks.laterStatementMayBeDdl(sql, first, Lexing.defaultsFlipped(s, flip))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether any {@code ;}, top-level or not, is followed by a DDL key word. Checks at most
     * {@link #MAX_SEMICOLON_PROBES} of them so that pathological text stays linear; past that it
     * answers {@code true} and lets the (linear) walk decide.
     */
    private static boolean keywordFollowsSomeSemicolon(String sql, SqlSyntax syntax) {
        int probes = 0;
        for (int i = sql.indexOf(';'); i >= 0; i = sql.indexOf(';', i + 1)) {
            if (++probes > MAX_SEMICOLON_PROBES || startsDdl(sql, skipToCode(sql, i + 1, syntax), syntax)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code /*!} or {@code /*M!} occurs anywhere; scans for '/' with the intrinsic. */
    private static boolean containsExecutableOpener(String sql) {
        for (int i = sql.indexOf('/'); i >= 0; i = sql.indexOf('/', i + 1)) {
            if (CommentRules.executableOpenerEnd(sql, i) >= 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Skips whitespace, comments and opening parentheses ({@code (SELECT ...)} is still a query).
     * Stops at a MySQL executable comment, which is code.
     */
    static int skipToCode(String sql, int from, SqlSyntax syntax) {
        boolean mysql = syntax == SqlSyntax.MYSQL;
        int n = sql.length();
        int i = from;
        while (i < n) {
            int cp = sql.codePointAt(i);
            if (CharClasses.isWhitespace(cp, syntax)) {
                i += Character.charCount(cp);
            } else if (cp == '(') {
                i++;
            } else if (cp == '{') {
                i = skipJdbcEscapeOpener(sql, i + 1, syntax);
            } else if (CommentRules.startsLineComment(sql, i, syntax)) {
                i = CommentRules.lineCommentEnd(sql, i, syntax);
            } else if (CommentRules.startsBlockComment(sql, i)
                    && !(mysql && CommentRules.executableOpenerEnd(sql, i) >= 0)) {
                i = CommentRules.blockCommentEnd(sql, i, !mysql);
            } else {
                break;
            }
        }
        return i;
    }

    /**
     * Whether the statement at {@code i} may be DDL: a DDL key word, or (PostgreSQL) a SELECT that may
     * create a table with INTO.
     */
    static boolean startsDdl(String sql, int i, SqlSyntax syntax) {
        return startsWithDdlKeyword(sql, i, syntax)
                || (syntax == SqlSyntax.POSTGRESQL && PreFilterWalks.selectMayCreateTable(sql, i));
    }

    /**
     * Whether the letters {@code into} occur one after another, in any ASCII case, anywhere in the text: a
     * {@code SELECT … INTO} cannot be written without them (a key word has no escaped or quoted spelling; a
     * non-ASCII character in the place of the i is taken as one, as the walk's key-word test does). Finds each {@code o} or {@code O} with the vectorised
     * {@code indexOf}, each cursor moving forward only, and looks at the three characters before it.
     */
    static boolean hasIntoLetters(String sql) {
        int lower = sql.indexOf('o', 3);
        int upper = sql.indexOf('O', 3);
        while (lower >= 0 || upper >= 0) {
            int k;
            if (upper < 0 || (lower >= 0 && lower < upper)) {
                k = lower;
                lower = sql.indexOf('o', k + 1);
            } else {
                k = upper;
                upper = sql.indexOf('O', k + 1);
            }
            char first = sql.charAt(k - 3);
            // a non-ASCII first letter counts too: the walk's key-word test folds İ and ı to I, and a single-byte
            // database in a Turkish locale folds İ to i
            if (((first | 0x20) == 'i' || first >= 0x80)
                    && (sql.charAt(k - 2) | 0x20) == 'n'
                    && (sql.charAt(k - 1) | 0x20) == 't') {
                return true;
            }
        }
        return false;
    }

    /**
     * MariaDB runs compound statements outside stored programs ({@code BEGIN NOT ATOMIC},
     * {@code IF ... THEN}, {@code WHILE ... DO}, labels; see {@link CompoundStatements}): the
     * statements inside must be judged, so a text starting with one of their words is worth parsing.
     */
    private static boolean startsCompound(String sql, int i, int end) {
        boolean compoundWord = switch (end - i) {
            case 2 -> is(sql, i, "IF");
            case 3 -> is(sql, i, "FOR");
            case 4 -> is(sql, i, "LOOP") || is(sql, i, "CASE");
            case 5 -> is(sql, i, "BEGIN") || is(sql, i, "WHILE") || is(sql, i, "ELSIF");
            case 6 -> is(sql, i, "REPEAT");
            case 7 -> is(sql, i, "DECLARE");
            case 9 -> is(sql, i, "EXCEPTION"); // Oracle mode's handler section
            default -> false;
        };
        if (compoundWord) {
            return true;
        }
        // a label: "name: BEGIN ..."
        int j = end;
        while (j < sql.length() && CharClasses.isWhitespace(sql.charAt(j), SqlSyntax.MYSQL)) {
            j++;
        }
        return j < sql.length() && sql.charAt(j) == ':' && (j + 1 >= sql.length() || sql.charAt(j + 1) != '=');
    }

    /**
     * MySQL's statements on the server itself rather than a table ({@link ServerSettings}): STOP REPLICA, RESET MASTER,
     * PURGE BINARY LOGS, CHANGE MASTER TO, SHUTDOWN; MariaDB's BACKUP STAGE and MySQL's REPAIR TABLE, which lock.
     */
    private static boolean startsServerStatement(String sql, int i, int length) {
        return switch (length) {
            case 4 -> is(sql, i, "STOP");
            case 5 -> is(sql, i, "RESET") || is(sql, i, "PURGE");
            case 6 -> is(sql, i, "CHANGE") || is(sql, i, "BACKUP") || is(sql, i, "REPAIR") || is(sql, i, "BINLOG");
            case 8 -> is(sql, i, "SHUTDOWN");
            default -> false;
        };
    }

    /**
     * After a <code>{</code>: skips a JDBC escape keyword ({@code oj}, {@code fn}, {@code call}, ...;
     * JDBC 4.3 section 13.4), as the driver removes it before sending, so that
     * <code>{oj DROP TABLE t}</code> is seen starting with DROP.
     */
    private static int skipJdbcEscapeOpener(String sql, int from, SqlSyntax syntax) {
        int i = from;
        while (i < sql.length() && CharClasses.isWhitespace(sql.charAt(i), syntax)) {
            i++;
        }
        if (i < sql.length() && CharClasses.isIdentifierStart(sql.charAt(i), syntax)) {
            int end = TokenRules.wordEnd(sql, i, syntax);
            switch (end - i) {
                case 1:
                case 2:
                case 4:
                case 5:
                case 6:
                    for (String escape : JDBC_ESCAPES) {
                        if (escape.length() == end - i && sql.regionMatches(true, i, escape, 0, end - i)) {
                            return end;
                        }
                    }
                    break;
                default:
                    break;
            }
        }
        return i;
    }

    /** MySQL: whether the connector and the server may read a {@code ?} differently ({@link CommentRules#parameterReadTwoWays}). */
    public static boolean parameterReadTwoWays(String sql, boolean ansiQuotes) {
        return CommentRules.parameterReadTwoWays(sql, ansiQuotes);
    }

    /** Whether a whole word at {@code i} is one of the key words that start DDL-ish statements. */
    private static boolean startsWithDdlKeyword(String sql, int i, SqlSyntax syntax) {
        if (syntax == SqlSyntax.MYSQL && (PreFilterWalks.systemProcedureAt(sql, i) || sql.startsWith("<<", i))) {
            return true; // {call sys.execute_prepared_stmt(…)}: the escape's CALL was skipped; an Oracle-mode <<label>>
        }
        if (i >= sql.length() || !CharClasses.isIdentifierStart(sql.codePointAt(i), syntax)) {
            return false;
        }
        // Compare the whole word, so that CREATED or DROPS never match CREATE or DROP.
        int end = TokenRules.wordEnd(sql, i, syntax);
        int length = end - i;
        if (syntax == SqlSyntax.MYSQL && (startsCompound(sql, i, end) || startsServerStatement(sql, i, length))) {
            return true;
        }
        switch (length) {
            case 2:
                return is(sql, i, "DO");
            case 3: // MySQL: SET GLOBAL | PERSIST, SET PASSWORD, MariaDB's SET STATEMENT … FOR ddl, USE mysql; H2: SET
                // EXCLUSIVE …
                return syntax == SqlSyntax.MYSQL
                                && (is(sql, i, "SET") && setMayReachServer(sql, end)
                                        || is(sql, i, "USE")
                                                && CatalogWrites.mysqlAt(sql, skipToCode(sql, end, syntax)))
                        || syntax == SqlSyntax.ANSI
                                && is(sql, i, "SET")
                                && H2DatabaseSettings.setMayReachDatabase(sql, end);
            case 4:
                return is(sql, i, "DROP")
                        || (syntax == SqlSyntax.MYSQL
                                && is(sql, i, "CALL")
                                && PreFilterWalks.systemProcedureAt(sql, skipToCode(sql, end, syntax)))
                        || is(sql, i, "COPY") // COPY … PROGRAM runs a shell command
                        || (syntax == SqlSyntax.POSTGRESQL && is(sql, i, "LOAD")) // a shared library's code
                        || is(sql, i, "LOCK"); // LOCK TABLE holds a table lock to the end of the transaction
            case 5:
                return is(sql, i, "ALTER") || is(sql, i, "GRANT") || is(sql, i, "FLUSH"); // FLUSH TABLES … READ LOCK
            case 6:
                return is(sql, i, "CREATE")
                        || (syntax == SqlSyntax.MYSQL && is(sql, i, "DELETE") && PreFilterWalks.history(sql, end))
                        || is(sql, i, "RENAME")
                        || is(sql, i, "VACUUM")
                        || is(sql, i, "IMPORT")
                        || is(sql, i, "REVOKE");
            case 7:
                return is(sql, i, "COMMENT")
                        || is(sql, i, "REINDEX")
                        || is(sql, i, "CLUSTER")
                        || is(sql, i, "REFRESH")
                        || is(sql, i, "EXECUTE")
                        || is(sql, i, "PREPARE")
                        || is(sql, i, "EXPLAIN") // EXPLAIN ANALYZE CREATE TABLE … AS runs the CREATE
                        || is(sql, i, "INSTALL"); // MySQL: INSTALL PLUGIN loads code into the server
            case 8:
                return is(sql, i, "TRUNCATE")
                        || is(sql, i, "OPTIMIZE")
                        || syntax == SqlSyntax.ANSI && is(sql, i, "SHUTDOWN") // H2: closes the database
                        || is(sql, i, "SECURITY")
                        || is(sql, i, "REASSIGN"); // REASSIGN OWNED: ALTER … OWNER TO of every object of a role
            case 9:
                return is(sql, i, "RUNSCRIPT") // H2: runs a script file
                        || is(sql, i, "UNINSTALL");
            default:
                return false;
        }
    }

    /**
     * MySQL: whether a SET statement may reach past the session: the words GLOBAL, PERSIST, PASSWORD, DEFAULT (ROLE), SQL_LOG_BIN or
     * SKIP_REPLICATION (the session's changes leave the binary log or the replicas), ALTER_ALGORITHM or OLD_ALTER_TABLE
     * (the session's ALTERs copy), WSREP (Galera: wsrep_on, wsrep_OSU_method) or STATEMENT (MariaDB's SET STATEMENT … FOR runs another statement)
     * occur anywhere after SET, in any case. Errs towards
     * yes (a later statement, a string holding the word): the classifier decides. Only SET statements pay the scan.
     */
    private static boolean setMayReachServer(String sql, int from) {
        boolean quoted = false;
        for (int k = from; k < sql.length(); k++) {
            char c = sql.charAt(k);
            if (c == ';' && !quoted) {
                return false; // the statement ends here (a later one is the walk's): scanning on would be quadratic
            }
            if (c == '\'' || c == '"' || c == '`' || c == '#' || isCommentOpener(sql, k, c)) {
                quoted = true; // a quote or comment may hide a ';': scan on, but not without bound
            }
            if (quoted && k - from > MAX_SET_SCAN) {
                return true; // a long SET with quotes: the classifier reads it
            }
            if (c >= 0x80
                    || ((c | 0x20) == 'g' && is(sql, k, "GLOBAL"))
                    || ((c | 0x20) == 'p' && (is(sql, k, "PERSIST") || is(sql, k, "PASSWORD")))
                    || ((c | 0x20) == 'd' && is(sql, k, "DEFAULT"))
                    || ((c | 0x20) == 'a' && is(sql, k, "ALTER_ALGORITHM"))
                    || ((c | 0x20) == 'o' && is(sql, k, "OLD_ALTER_TABLE"))
                    || ((c | 0x20) == 'w' && is(sql, k, "WSREP"))
                    || ((c | 0x20) == 's'
                            && (is(sql, k, "STATEMENT")
                                    || is(sql, k, "SQL_LOG_BIN")
                                    || is(sql, k, "SKIP_REPLICATION")))) {
                return true; // a non-ASCII letter may fold to one of them: the classifier decides
            }
        }
        return false;
    }

    private static boolean isCommentOpener(String sql, int k, char c) {
        char next = k + 1 < sql.length() ? sql.charAt(k + 1) : 0;
        return (c == '/' && next == '*') || (c == '-' && next == '-');
    }

    /**
     * Whether {@code keyword} (upper case ASCII) is at {@code i}, ignoring case. An ASCII first letter
     * that differs refuses at once: a case-insensitive {@code regionMatches} costs a few nanoseconds
     * even when it fails on the first character, and a SELECT is tried against five keywords of its
     * length (the pre-filter's largest cost, seen in a profile of the statement path). A non-ASCII
     * first character takes the full comparison, which folds 'ı' to 'I' and 'ſ' to 'S', so the answer
     * is the same as without the shortcut.
     */
    static boolean is(String sql, int i, String keyword) {
        char c = sql.charAt(i);
        if (c < 0x80 && (c & ~0x20) != keyword.charAt(0)) {
            return false;
        }
        // ASCII letters compare by their case bit (c & ~0x20 is an upper-case letter only for a letter);
        // regionMatches, which costs tens of nanoseconds, is left for text with a non-ASCII character.
        int n = keyword.length();
        if (i + n > sql.length()) {
            return false;
        }
        for (int k = 0; k < n; k++) {
            char s = sql.charAt(i + k);
            if (s >= 0x80) {
                return sql.regionMatches(true, i, keyword, 0, n);
            }
            if ((s & ~0x20) != keyword.charAt(k)) {
                return false;
            }
        }
        return true;
    }
}
