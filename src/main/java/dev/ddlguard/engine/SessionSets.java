package dev.ddlguard.engine;

import dev.ddlguard.rules.Catalog;
import dev.ddlguard.rules.ForwardingCatalog;
import dev.ddlguard.rules.StatementWords;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.StatementSplitter;
import dev.ddlguard.sql.StatementText;
import dev.ddlguard.sql.Token;
import dev.ddlguard.sql.TokenCursor;
import dev.ddlguard.sql.TokenKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The session settings a SET (or RESET, or PostgreSQL's set_config) earlier in the same string, or in an earlier entry
 * of the same batch, gives the statements after it. Every statement of a string is judged before any of it runs, and
 * a batch's entries before the batch runs, so the catalog's answer is the value from before the SET: an outside
 * tester's {@code SET sql_mode = ''; ALTER TABLE c MODIFY n int NOT NULL} was judged strict and turned a NULL into 0,
 * and {@code SET default_transaction_read_only = on; ALTER DATABASE d SET default_transaction_read_only FROM CURRENT}
 * closed the database. A value the guard does not evaluate is answered as {@link Catalog#SET_TO_UNKNOWN}, for the
 * rules to take at its worst. MariaDB's {@code SET STATEMENT … FOR} gives its settings to its own statement only.
 */
final class SessionSets {

    private SessionSets() {}

    /**
     * The settings a SET assigns (name lower case → value as {@link StatementWords#valueAt} reads it, or null when it
     * is an expression the guard does not evaluate), or a RESET or set_config gives ({@link #others}); empty for most.
     */
    static Map<String, String> of(StatementText piece, SqlSyntax syntax) {
        if (!startsWithSet(piece)) {
            return others(piece, syntax); // most pieces: no cursor made (a string of many INSERTs and one DDL)
        }
        Matcher characteristics = CHARACTERISTICS.matcher(piece.text());
        if (characteristics.matches()) { // PostgreSQL: the session's default_transaction_read_only
            Map<String, String> readOnly = new HashMap<>(1);
            readOnly.put(
                    "default_transaction_read_only", characteristics.group(1).equalsIgnoreCase("ONLY") ? "on" : "off");
            return readOnly;
        }
        TokenCursor c = new TokenCursor(piece);
        c.next(); // SET
        if (c.peekWord("STATEMENT")) {
            // MariaDB's SET STATEMENT … FOR SET x = …: the inner SET stays for the session (an outside tester's
            // lock_wait_timeout so set was not read)
            return FOR_SET.matcher(piece.text()).find() ? Map.of(ANY, "") : Map.of();
        }
        return assignments(c, syntax, false); // SET GLOBAL a = 1, SESSION b = 2: both taken, the safe side
    }

    private static boolean startsWithSet(StatementText piece) {
        Token first = firstCode(piece);
        return first != null && first.isWord(piece.source(), "SET");
    }

    /** The piece's first token that is no comment, or null. */
    private static Token firstCode(StatementText piece) {
        for (Token t : piece.tokens()) {
            if (!t.isComment()) {
                return t;
            }
        }
        return null;
    }

    /** The key under which "every setting may have changed" is kept: a set_config the guard could not read. */
    static final String ANY = "*";

    private static final Pattern SET_CONFIG =
            Pattern.compile("(?is)\\bset_config\\s*\\(\\s*'([^']+)'\\s*,\\s*(?:'([^']*)'\\s*,)?");

    private static final Pattern FOR_SET = Pattern.compile("(?is)\\bFOR\\s+SET\\b");

    /**
     * First words of statements that may set any setting unseen: a routine (a function's SET clause, its set_config;
     * PostgreSQL's procedures and DO blocks), a prepared statement run (an outside tester's DO block, CALL and EXECUTE
     * of a set_config each took the guard's lock timeout away from the ALTER after them in the same string).
     */
    private static final List<String> RUNS_UNSEEN = List.of("DO", "CALL", "EXECUTE");

    private static final Pattern CHARACTERISTICS = Pattern.compile(
            "(?is)\\s*SET\\s+SESSION\\s+CHARACTERISTICS\\s+AS\\s+TRANSACTION\\b.*\\bREAD\\s+(ONLY|WRITE)\\b.*");

    /**
     * What a statement that is no SET does to the session's settings: PostgreSQL's set_config(name, value, false) in a
     * query (or a DO body: PERFORM set_config), read when both are literals (a computed value: that setting unknown, a
     * name not read: every setting); RESET name (the default, unknown here); and every setting unknown after a DO
     * block, a CALL or an EXECUTE, which may set any unseen.
     */
    private static Map<String, String> others(StatementText piece, SqlSyntax syntax) {
        String text = piece.text();
        Token first = firstCode(piece);
        for (String word : RUNS_UNSEEN) {
            // EXECUTE IMMEDIATE 'SET sql_mode = …', or a statement PREPAREd from one: an outside tester's NOT NULL
            // change was judged strict and turned NULL into 0 (and again behind a leading comment, a third round's)
            // MySQL's DO is an expression, as a SELECT of one (mariadb-dump writes DO SETVAL(…) before its DROPs)
            if (first != null
                    && first.isWord(piece.source(), word)
                    && !(syntax == SqlSyntax.MYSQL && word.equals("DO"))) {
                return Map.of(ANY, "");
            }
        }
        if (syntax == SqlSyntax.POSTGRESQL && unicodeName(piece)) {
            return Map.of(ANY, ""); // U&"set\005fconfig"(…) names set_config unseen (an outside tester's)
        }
        if (first != null && first.isWord(piece.source(), "RESET")) {
            String name = piece.source()
                    .substring(first.end(), piece.end())
                    .strip()
                    .replaceAll("[;\\s]+$", "")
                    .toLowerCase(Locale.ROOT);
            Map<String, String> reset = new HashMap<>(1);
            reset.put(name.equals("all") ? ANY : name.replace("\"", ""), null);
            return reset;
        }
        if (!callsSetConfig(text)) {
            return Map.of();
        }
        Map<String, String> found = new HashMap<>(2);
        Matcher m = SET_CONFIG.matcher(text);
        int read = 0;
        while (m.find()) {
            // a computed value of a named setting: that setting unknown, not every one (an outside tester's
            // set_config('application_name', 'x' || n, false) blocked the ALTER after it)
            found.put(
                    m.group(1).toLowerCase(Locale.ROOT),
                    m.group(2) == null ? null : m.group(2).toLowerCase(Locale.ROOT));
            read++;
        }
        if (read < setConfigCalls(text, false)) {
            found.put(ANY, null); // a name the guard cannot read
        }
        return found;
    }

    /** MariaDB's SET STATEMENT a = 1, b = 2 FOR …: the settings its statement runs with; empty for anything else. */
    static Map<String, String> ofStatement(StatementText piece, SqlSyntax syntax) {
        if (syntax != SqlSyntax.MYSQL || !startsWithSet(piece)) {
            return Map.of();
        }
        TokenCursor c = new TokenCursor(piece);
        if (!c.acceptWord("SET") || !c.acceptWord("STATEMENT")) {
            return Map.of();
        }
        return assignments(c, syntax, true);
    }

    /**
     * The settings a string gives the SQL that runs after it (a batch's later entries): read only when it may give any
     * (it starts with SET or RESET, or calls set_config), so a batch of INSERTs costs one scan of each.
     */
    static Map<String, String> given(String sql, SqlSyntax syntax, Judgement judged) {
        Map<String, String> added = new HashMap<>(AddedConstraints.given(judged));
        added.putAll(ChangedRelations.given(judged));
        if (!added.isEmpty()) {
            Map<String, String> all = new HashMap<>(given(sql, syntax));
            all.putAll(added);
            return all;
        }
        return given(sql, syntax);
    }

    static Map<String, String> given(String sql, SqlSyntax syntax) {
        int start = 0;
        while (start < sql.length() && Character.isWhitespace(sql.charAt(start))) {
            start++;
        }
        boolean mayGive = sql.regionMatches(true, start, "SET", 0, 3)
                || sql.regionMatches(true, start, "RESET", 0, 5)
                || sql.regionMatches(true, start, "EXECUTE", 0, 7)
                || sql.regionMatches(true, start, "CALL", 0, 4)
                || sql.regionMatches(true, start, "DO", 0, 2)
                || start < sql.length() && !Character.isLetter(sql.charAt(start)) // a comment first: read it
                || callsSetConfig(sql);
        if (!mayGive) {
            return Map.of();
        }
        Map<String, String> all = new HashMap<>(2);
        for (StatementText piece : StatementSplitter.split(sql, syntax)) {
            all.putAll(of(piece, syntax));
        }
        return all;
    }

    /** How many times the text calls set_config: the word on its own, a parenthesis after it (not asset_config). */
    private static int setConfigCalls(String text, boolean firstOnly) {
        int n = 0;
        for (int i = text.indexOf('_'); i >= 0; i = text.indexOf('_', i + 1)) { // no copy of the text is made
            if (i >= 3 && text.regionMatches(true, i - 3, "set_config", 0, 10) && isCall(text, i - 3, 10)) {
                n++;
                if (firstOnly) {
                    break;
                }
            }
        }
        return n;
    }

    private static boolean isCall(String text, int at, int length) {
        if (at > 0 && (Character.isLetterOrDigit(text.charAt(at - 1)) || text.charAt(at - 1) == '_')) {
            return false;
        }
        int k = at + length;
        if (k < text.length() && text.charAt(k) == '"') {
            k++; // "set_config"(…), a quoted name (a fourth round's)
        }
        while (k < text.length()) { // white space and comments before the parenthesis: set_config/**/(…)
            if (Character.isWhitespace(text.charAt(k))) {
                k++;
            } else if (text.startsWith("/*", k)) {
                int close = text.indexOf("*/", k + 2);
                k = close < 0 ? text.length() : close + 2;
            } else if (text.startsWith("--", k)) {
                int line = text.indexOf('\n', k);
                k = line < 0 ? text.length() : line + 1;
            } else {
                break;
            }
        }
        return k < text.length() && text.charAt(k) == '(';
    }

    /** A U&"…" name, which may spell set_config (a U&'…' string or a mention in a literal spells nothing). */
    private static boolean unicodeName(StatementText piece) {
        for (Token t : piece.tokens()) {
            String text = t.text(piece.source());
            if (t.kind() == TokenKind.QUOTED_IDENTIFIER && (text.startsWith("U&") || text.startsWith("u&"))) {
                return true;
            }
        }
        return false;
    }

    /** Whether the text names set_config, in any case; no copy of it is made (every batch entry is asked). */
    private static boolean callsSetConfig(String text) {
        return setConfigCalls(text, true) > 0;
    }

    /** The context whose catalog answers the settings a SET of the string gives; as it was without. */
    static StatementJudge.Context withSettings(StatementJudge.Context c, Map<String, String> settings) {
        return settings.isEmpty()
                ? c
                : new StatementJudge.Context(c.autocommit(), c.serverVersion(), withSettings(c.catalog(), settings));
    }

    /** The catalog, answering the settings given by the SETs before (or a SET STATEMENT's) as the session will. */
    static Catalog withSettings(Catalog catalog, Map<String, String> settings) {
        if (settings.isEmpty()) {
            return catalog;
        }
        Map<String, String> all = new HashMap<>(settings);
        if (catalog instanceof Settings earlier) {
            earlier.settings.forEach(all::putIfAbsent);
            catalog = earlier.delegate();
        }
        return ChangedRelations.in(new Settings(catalog, all), all); // a batch's earlier entries changed them
    }

    /** {@code [SESSION | LOCAL] name {= | := | TO} value [, …]}, up to FOR when {@code untilFor}; PostgreSQL's TIME ZONE. */
    private static Map<String, String> assignments(TokenCursor c, SqlSyntax syntax, boolean untilFor) {
        Map<String, String> found = new HashMap<>(2);
        List<Integer> one = new ArrayList<>(); // the cursor positions of one assignment's tokens
        int depth = 0;
        while (!c.atEnd()) {
            int position = c.position();
            Token t = c.next();
            boolean end = depth == 0 && (t.kind() == TokenKind.COMMA || untilFor && t.isWord(c.sql(), "FOR"));
            if (!end) {
                depth += t.kind() == TokenKind.LEFT_PAREN ? 1 : t.kind() == TokenKind.RIGHT_PAREN ? -1 : 0;
                one.add(position);
            }
            if (end || c.atEnd()) {
                int resume = c.position();
                assignment(c, one, syntax, found);
                c.reset(resume);
                one = new ArrayList<>();
                if (end && t.kind() != TokenKind.COMMA) {
                    break; // FOR
                }
            }
        }
        return found;
    }

    private static void assignment(
            TokenCursor c, List<Integer> positions, SqlSyntax syntax, Map<String, String> found) {
        List<Token> tokens = new ArrayList<>(positions.size());
        for (int position : positions) {
            c.reset(position);
            tokens.add(c.peek());
        }
        String sql = c.sql();
        int at = -1;
        // the lexer runs operator characters together: sql_mode=@x is sql_mode, =@, x (an outside tester's, whose
        // setting went unread), and what follows the = is then part of a value the guard does not evaluate
        boolean glued = false;
        for (int i = 1; i < tokens.size() && at < 0; i++) {
            String text = tokens.get(i).text(sql);
            if (tokens.get(i).kind() == TokenKind.OPERATOR && (text.startsWith("=") || text.startsWith(":="))
                    || tokens.get(i).isWord(sql, "TO")) {
                at = i;
                glued = !text.equals("=")
                        && !text.equals(":=")
                        && !tokens.get(i).isWord(sql, "TO");
            }
        }
        String name;
        int valueAt;
        if (at > 0) {
            name = nameOf(tokens.get(at - 1), sql);
            valueAt = at + 1;
        } else if (tokens.size() >= 3
                && tokens.get(tokens.size() - 3).isWord(sql, "TIME")
                && tokens.get(tokens.size() - 2).isWord(sql, "ZONE")) {
            name = "timezone"; // PostgreSQL's SET TIME ZONE 'Europe/Berlin'
            valueAt = tokens.size() - 1;
        } else {
            return;
        }
        if (at >= 2 && tokens.get(at - 2).text(sql).equals("@")) {
            return; // a user variable (@sql_mode := '') is no setting
        }
        int rest = tokens.size() - valueAt;
        boolean signed = rest == 2 && tokens.get(valueAt).kind() == TokenKind.OPERATOR;
        String value = null;
        if (!glued && (rest == 1 || signed)) {
            c.reset(positions.get(valueAt));
            value = StatementWords.valueAt(c, syntax);
        }
        found.put(name, value);
    }

    /** The setting a token names, lower case: unquoted, without MySQL's {@code @@session.} | {@code @@local.} prefix. */
    private static String nameOf(Token t, String sql) {
        String text = t.kind() == TokenKind.QUOTED_IDENTIFIER
                ? Identifier.ofQuoted(t.text(sql)).text()
                : t.text(sql);
        text = text.toLowerCase(Locale.ROOT);
        int dot = text.lastIndexOf('.');
        return text.startsWith("@@") && dot > 0 ? text.substring(dot + 1) : text.replace("@@", "");
    }

    /** Answers the settings given; every other question as the catalog does. */
    private static final class Settings extends ForwardingCatalog {
        private final Catalog catalog;
        private final Map<String, String> settings;

        Settings(Catalog catalog, Map<String, String> settings) {
            super(catalog);
            this.catalog = catalog;
            this.settings = settings;
        }

        Catalog delegate() {
            return catalog;
        }

        @Override
        public String setting(String name) {
            String given = given(name);
            return given != null ? given : super.setting(name);
        }

        @Override
        public String settingGivenEarlier(String name) {
            String given = given(name);
            return given != null ? given : super.settingGivenEarlier(name);
        }

        /** The value given here, {@link #SET_TO_UNKNOWN} when it was not read, or null when none was given here. */
        private String given(String name) {
            String key = name.toLowerCase(Locale.ROOT);
            if (settings.containsKey(key)) {
                String value = settings.get(key);
                return value != null ? value : SET_TO_UNKNOWN;
            }
            return settings.containsKey(ANY) ? SET_TO_UNKNOWN : null;
        }

        /** A batch's earlier entry added it NOT VALID: the batch runs as one transaction ({@link AddedConstraints}). */
        @Override
        public boolean constraintCreatedInThisTransaction(QualifiedName table, Identifier constraint) {
            return settings.containsKey(AddedConstraints.KEY)
                    || super.constraintCreatedInThisTransaction(table, constraint);
        }
    }
}
