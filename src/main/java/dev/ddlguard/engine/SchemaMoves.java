package dev.ddlguard.engine;

import dev.ddlguard.rules.Catalog;
import dev.ddlguard.sql.DdlClassifier;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.StatementSplitter;
import dev.ddlguard.sql.StatementText;
import dev.ddlguard.sql.Token;
import dev.ddlguard.sql.TokenKind;
import dev.ddlguard.sql.Verb;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The statements of a multi-statement string after which its later names may resolve in another schema than the
 * catalog was asked about: every statement of a string is judged before any of it runs, so the catalog's answers
 * (this run's tables, temporary tables, sizes, existence) are about the schema the string starts in. {@code SET
 * search_path = s2; CREATE TABLE t …; SET search_path = public; DROP TABLE t} dropped {@code public.t} as "created
 * earlier in the same string" (an outside tester's find; MariaDB's {@code USE} the same).
 *
 * <p>Only what plausibly moves it counts: a {@code SET} or {@code RESET} of anything but a few well-known settings
 * that cannot (timeouts, encodings, messages), a routine call, a transaction end (it undoes a SET LOCAL),
 * PostgreSQL's set_config, a schema named as the user, MySQL's {@code USE}. An INSERT between two statements of a
 * script, or the SET header of a dump, does not take its later statements' exemptions away. A function any statement
 * calls can run any SQL unseen by any guard; that is no new way around this one.
 */
final class SchemaMoves {

    static final String NOTE = "an earlier statement of the same string may change the schema its names resolve in "
            + "(SET search_path, USE, a routine): no unqualified name of it counts as new, temporary, empty or absent";

    /** First words of statements that are not DDL and may change the schema names resolve in (PostgreSQL, H2). */
    private static final Set<String> SESSION_WORDS =
            Set.of("DISCARD", "CALL", "USE", "EXECUTE", "COMMIT", "ROLLBACK", "END", "ABORT");

    /** Settings a SET or RESET may change without moving any name: what dumps and migration headers set. */
    private static final Set<String> HARMLESS_SETTINGS = Set.of(
            "lock_timeout",
            "statement_timeout",
            "idle_in_transaction_session_timeout",
            "transaction_timeout",
            "client_encoding",
            "names",
            "standard_conforming_strings",
            "check_function_bodies",
            "xmloption",
            "client_min_messages",
            "row_security",
            "default_tablespace",
            "default_table_access_method",
            "default_with_oids",
            "maintenance_work_mem",
            "work_mem",
            "time",
            "timezone",
            "datestyle",
            "application_name",
            "synchronous_commit",
            "transaction",
            "constraints",
            "max_parallel_maintenance_workers");

    private SchemaMoves() {}

    /**
     * Whether any statement of a whole string may move the schema (a batch entry that runs only later); a string the
     * guard cannot read is taken to.
     */
    static boolean mayMove(String sql, SqlSyntax syntax) {
        if (plainDml(sql)) {
            return false; // a batch of inserts pays one scan of its text per entry, no parse
        }
        try {
            for (StatementText piece : StatementSplitter.split(sql, syntax)) {
                if (mayMove(piece, DdlClassifier.classify(piece, syntax), syntax)) {
                    return true;
                }
            }
            return false;
        } catch (RuntimeException | StackOverflowError e) {
            return true;
        }
    }

    /**
     * One INSERT, UPDATE, DELETE or MERGE (no second statement, no setting named anywhere, no escaped identifier): it
     * cannot move the schema, and saying so needs no parse.
     */
    private static final String[] DML_VERBS = {"insert", "update", "delete", "merge"};

    private static final String[] SETTINGS_NAMED = {"set_config", "pg_settings", "search_path"};

    private static boolean plainDml(String sql) {
        int i = 0;
        while (i < sql.length() && Character.isWhitespace(sql.charAt(i))) {
            i++;
        }
        boolean dml = false;
        for (String verb : DML_VERBS) {
            dml |= sql.regionMatches(true, i, verb, 0, verb.length());
        }
        if (!dml || sql.indexOf(';') >= 0 || sql.indexOf('&') >= 0) {
            return false;
        }
        for (int j = 0; j < sql.length(); j++) {
            for (String named : SETTINGS_NAMED) {
                if (sql.regionMatches(true, j, named, 0, named.length())) {
                    return false;
                }
            }
        }
        return true;
    }

    static boolean mayMove(StatementText piece, DdlStatement ddl, SqlSyntax syntax) {
        List<String> words = firstWords(piece, 3);
        if (syntax == SqlSyntax.MYSQL) { // USE; EXECUTE [IMMEDIATE] of SQL the guard did not read may be a USE
            return !words.isEmpty()
                    && (ddl == null && words.get(0).equals("use")
                            || (ddl == null || ddl.verb() == Verb.EXECUTE)
                                    && words.get(0).equals("execute"));
        }
        if (ddl != null) {
            // PostgreSQL's default search_path starts with "$user": a schema named as the user comes first; a schema
            // dropped, renamed or an object moved out of one changes what a name finds next
            return ddl.verb() == Verb.DO
                    || ddl.verb() == Verb.EXECUTE
                    || ddl.is(Verb.CREATE, "SCHEMA")
                    || ddl.is(Verb.DROP, "SCHEMA")
                    || ddl.is(Verb.ALTER, "SCHEMA")
                    || (ddl.verb() == Verb.ALTER && piece.hasWord("SET") && piece.hasWord("SCHEMA"))
                    || namesSettings(piece); // CREATE TABLE x AS SELECT set_config('search_path', …)
        }
        if (words.isEmpty()) {
            return false;
        }
        String first = words.get(0);
        if (first.equals("set") || first.equals("reset")) {
            int at = words.size() > 1
                            && (words.get(1).equals("session") || words.get(1).equals("local"))
                    ? 2
                    : 1;
            return at >= words.size() || !HARMLESS_SETTINGS.contains(words.get(at));
        }
        // a query between two statements of a migration is rare, and any function it calls may run set_config, in
        // SQL of its own (query_to_xml('select set_config(…)')): taken to move names; an INSERT, UPDATE or DELETE of
        // seed data is not, unless it names the settings
        return SESSION_WORDS.contains(first.toUpperCase(Locale.ROOT))
                || QUERY_WORDS.contains(first.toUpperCase(Locale.ROOT))
                || namesSettings(piece);
    }

    /** First words of a query. */
    private static final Set<String> QUERY_WORDS = Set.of("SELECT", "WITH", "VALUES", "TABLE");

    /**
     * Whether the statement names set_config, pg_settings or search_path anywhere, a string's text included (SQL run
     * by a function, {@code query_to_xml('select set_config(…)')}), or holds a Unicode-escaped name or string
     * ({@code U&"set\005fconfig"}), which may spell one: statements that may change the schema names resolve in.
     */
    static boolean namesSettings(StatementText piece) {
        String source = piece.source();
        for (Token t : piece.tokens()) {
            if (t.kind() == TokenKind.WORD || t.kind() == TokenKind.QUOTED_IDENTIFIER || t.kind() == TokenKind.STRING) {
                String text = t.text(source).toLowerCase(Locale.ROOT);
                if (text.startsWith("u&")
                        || text.contains("set_config")
                        || text.contains("pg_settings")
                        || text.contains("search_path")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The first words of the statement, lower case, quotes removed (SET "search_path" is SET search_path). */
    private static List<String> firstWords(StatementText piece, int most) {
        List<String> words = new ArrayList<>(most);
        String source = piece.source();
        for (Token t : piece.tokens()) {
            if (t.isComment() || (words.isEmpty() && t.kind() == TokenKind.LEFT_PAREN)) {
                continue;
            }
            if (t.kind() != TokenKind.WORD && t.kind() != TokenKind.QUOTED_IDENTIFIER) {
                break;
            }
            String text = t.text(source);
            if (t.kind() == TokenKind.QUOTED_IDENTIFIER && text.length() >= 2) {
                text = text.substring(1, text.length() - 1);
            }
            words.add(text.toLowerCase(Locale.ROOT));
            if (words.size() == most) {
                break;
            }
        }
        return words;
    }

    /**
     * After a statement that may change the schema names resolve in, the rest of the string is judged with no
     * unqualified name exempt ({@link MovedSchemaCatalog}: the catalog's answers are about the schema the string
     * started in) and no unqualified table of the string before it counted as new (the name may now mean another).
     */
    static StatementJudge.Context moved(StatementJudge.Context context, List<QualifiedName> createdHere) {
        // and pg_temp's: a search_path may put pg_temp after another schema, where an unqualified name finds that first
        createdHere.removeIf(t -> t.schema() == null || t.schema().text().equals("pg_temp"));
        Catalog live = context.catalog();
        return new StatementJudge.Context(
                context.autocommit(),
                context.serverVersion(),
                live instanceof MovedSchemaCatalog ? live : new MovedSchemaCatalog(live));
    }
}
