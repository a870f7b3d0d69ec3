package dev.ddlguard.engine;

import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.RemoteSqlCalls;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.StatementSplitter;
import dev.ddlguard.sql.StatementText;
import dev.ddlguard.sql.StringLiterals;
import dev.ddlguard.sql.Token;
import dev.ddlguard.sql.TokenKind;
import dev.ddlguard.sql.Verb;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A PostgreSQL DO block whose body is only static statements, judged by what they are. ORMs and migration tools wrap
 * one statement in a block to make it idempotent (Drizzle: {@code DO $$ BEGIN CREATE TYPE … ; EXCEPTION WHEN
 * duplicate_object THEN null; END $$}; {@code IF NOT EXISTS (SELECT … FROM pg_roles …) THEN CREATE ROLE … END IF}),
 * and every such block was unanalyzable, blocked on a fresh database (an outside tester's false positives). The body
 * is read, on the lexer's tokens, only when it holds nothing but BEGIN … END, IF … THEN … [ELSIF | ELSE] … END IF,
 * EXCEPTION WHEN … THEN handlers, RAISE and NULL around plain SQL statements; EXECUTE, PERFORM, loops, variables,
 * DECLARE, a SET, a transaction end, a CASE in a condition or anything else leave it unanalyzable. Each statement is
 * judged on its own: the block is allowed when each is, or is plain DML; otherwise it stays unanalyzable (it cannot be
 * rewritten from outside). An outside tester's first attack found a regex cut at a THEN inside a string or a CASE
 * (IF (CASE WHEN true THEN true END) THEN DROP TABLE t): the cut is now made on tokens, outside parentheses.
 */
final class DoBlocks {

    private DoBlocks() {}

    /** A body statement's leading words the guard does not follow: dynamic SQL, control flow, variables, settings. */
    private static final Set<String> UNREAD = Set.of(
            "EXECUTE",
            "PERFORM",
            "FOR",
            "FOREACH",
            "LOOP",
            "WHILE",
            "EXIT",
            "CONTINUE",
            "RETURN",
            "DECLARE",
            "GET",
            "OPEN",
            "FETCH",
            "MOVE",
            "CLOSE",
            "COMMIT",
            "ROLLBACK",
            "CALL",
            "CASE",
            "ASSERT",
            "SET",
            "RESET",
            "IF",
            "ELSIF",
            "ELSEIF",
            "ELSE",
            "WHEN",
            "EXCEPTION",
            "BEGIN",
            "END",
            "SELECT",
            "WITH",
            "VALUES",
            "TABLE");

    /** DML a body may hold: not judged, as it is not when sent on its own. */
    private static final Set<String> DML = Set.of("INSERT", "UPDATE", "DELETE", "MERGE");

    /** The DO statement without its opacity when every statement of its body is allowed on its own, else the same. */
    static DdlStatement judgedBody(StatementJudge judge, DdlStatement ddl, StatementJudge.Context context) {
        if (ddl.verb() != Verb.DO || ddl.opaque() == null || !ddl.opaque().startsWith("DO block runs DDL")) {
            return ddl;
        }
        List<String> statements = statements(ddl);
        if (statements == null) {
            return ddl;
        }
        // The block runs as one transaction: LOCK TABLE holds to its end, and a constraint it adds NOT VALID is one of
        // the transaction for a later VALIDATE (AddedConstraints); what the catalog says of a relation an earlier
        // statement altered or renamed is not taken (ChangedRelations). Each statement is judged on its own, not as one
        // string: a table the block creates is not new for the statements after it, since the CREATE may sit in a
        // branch that never runs or a handler that swallows its failure (an outside tester's IF false THEN CREATE
        // TABLE t; END IF; DROP TABLE t dropped the old t).
        ChangedRelations changed = new ChangedRelations(context.catalog());
        AddedConstraints added = new AddedConstraints(changed);
        StatementJudge.Context inBlock = new StatementJudge.Context(false, context.serverVersion(), added);
        for (String statement : statements) { // each on its own: no text of one can reach into the next
            Judgement j = judge.judge(statement + "\n;", inBlock);
            boolean fine = j == null
                    ? DML.contains(firstWord(statement)) // neither DDL nor DML: a cut gone wrong reads as neither
                    : !j.blocked() && j.statements().stream().allMatch(DoBlocks::allowed);
            if (!fine) {
                return ddl;
            }
            if (j != null) {
                j.statements().stream()
                        .map(JudgedStatement::executed)
                        .filter(s -> s != null)
                        .forEach(s -> {
                            added.remember(s);
                            changed.remember(s);
                        });
            }
        }
        return new DdlStatement(
                ddl.text(),
                ddl.syntax(),
                ddl.verb(),
                "BLOCK", // read: what it acts on is its statements', judged above
                ddl.names(),
                ddl.table(),
                ddl.actions(),
                ddl.flags(),
                null);
    }

    private static boolean allowed(JudgedStatement s) {
        return s.decision() == Decision.ALLOWED && s.rewrittenSql() == null;
    }

    /** The plain SQL statements of the body, in order; null when the body holds anything the guard does not follow. */
    static List<String> statements(DdlStatement ddl) {
        String body = body(ddl);
        if (body == null || body.indexOf('\\') >= 0 || hasUnicodeEscapes(body)) {
            // a backslash reads two ways: with standard_conforming_strings off (a SET, the URL's options, set_config)
            // '\'' does not end a string, and an outside tester hid DROP TABLE in what the lexer took for a RAISE's
            // text; a U&"…" name may spell a function that runs SQL (U&"dblin!006B_exec" UESCAPE '!')
            return null;
        }
        List<String> found = new ArrayList<>();
        for (StatementText piece : StatementSplitter.split(body, SqlSyntax.POSTGRESQL)) {
            List<Token> code = piece.code();
            int at = afterControlWords(code, body);
            // a condition is code too: IF dblink_exec(…) = 'x' THEN ran its SQL (an outside tester's)
            if (at < 0 || callsSqlRunner(code.subList(0, at), body)) {
                return null;
            }
            if (at >= code.size()) {
                continue; // END IF, END, a bare BEGIN
            }
            Token start = code.get(at);
            if (start.kind() != TokenKind.WORD) {
                return null; // every statement starts with a word: anything else was cut wrong
            }
            String first = start.text(body).toUpperCase(Locale.ROOT);
            if (first.equals("NULL")) {
                continue;
            }
            if (first.equals("RAISE")) {
                // its arguments are expressions: RAISE NOTICE '%', dblink_exec(…) ran them
                if (callsSqlRunner(code.subList(at, code.size()), body)) {
                    return null;
                }
                continue;
            }
            if (UNREAD.contains(first) || assigns(code.subList(at, code.size()), body)) {
                return null;
            }
            Token last = code.get(code.size() - 1);
            int end = last.kind() == TokenKind.SEMICOLON ? last.start() : last.end();
            found.add(body.substring(start.start(), end));
        }
        return found;
    }

    /**
     * The index of the first code token after the block's control words (BEGIN, END [IF], ELSE, IF | ELSIF | WHEN |
     * EXCEPTION WHEN … THEN): THEN is the first one outside parentheses (a string or a quoted name is a token of its
     * own); -1 when a condition has no such THEN, or holds a CASE, whose THEN could be taken for it.
     */
    private static int afterControlWords(List<Token> code, String sql) {
        int i = 0;
        while (i < code.size()) {
            Token t = code.get(i);
            if (t.isWord(sql, "BEGIN") || t.isWord(sql, "ELSE")) {
                i++;
            } else if (i == 0
                    && t.isWord(sql, "DECLARE")
                    && code.size() > 1
                    && code.get(1).isWord(sql, "BEGIN")) {
                i++; // an empty DECLARE section declares nothing
            } else if (t.isWord(sql, "END")) {
                i += i + 1 < code.size() && code.get(i + 1).isWord(sql, "IF") ? 2 : 1;
            } else if (t.isWord(sql, "IF")
                    || t.isWord(sql, "ELSIF")
                    || t.isWord(sql, "ELSEIF")
                    || t.isWord(sql, "WHEN")
                    || t.isWord(sql, "EXCEPTION")) {
                int then = thenOf(code, i + 1, sql);
                if (then < 0) {
                    return -1;
                }
                i = then + 1;
            } else {
                return i;
            }
        }
        return i;
    }

    private static int thenOf(List<Token> code, int from, String sql) {
        int depth = 0;
        for (int k = from; k < code.size(); k++) {
            Token c = code.get(k);
            depth += c.kind() == TokenKind.LEFT_PAREN ? 1 : c.kind() == TokenKind.RIGHT_PAREN ? -1 : 0;
            if (c.isWord(sql, "CASE") || c.kind() == TokenKind.SEMICOLON) {
                return -1;
            }
            if (depth == 0 && c.isWord(sql, "THEN")) {
                return k;
            }
        }
        return -1;
    }

    /** Whether the expressions name a function that runs SQL it is given (dblink_exec, xpath_table …); their strings cannot run. */
    private static boolean callsSqlRunner(List<Token> code, String sql) {
        for (Token t : code) {
            String name = t.kind() == TokenKind.WORD
                    ? t.text(sql)
                    : t.kind() == TokenKind.QUOTED_IDENTIFIER
                            ? Identifier.ofQuoted(t.text(sql)).text()
                            : null;
            // set_config changes the session for the statements after it (search_path: another schema's table)
            if (name != null && (RemoteSqlCalls.runsSql(name) || name.equalsIgnoreCase("set_config"))) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasUnicodeEscapes(String body) {
        return body.contains("U&") || body.contains("u&");
    }

    private static String firstWord(String statement) {
        return statement.strip().split("[\\s(]", 2)[0].toUpperCase(Locale.ROOT);
    }

    /** Whether a {@code :=} or an INTO (SELECT … INTO a variable; not INSERT | MERGE INTO) appears in the statement. */
    private static boolean assigns(List<Token> code, String sql) {
        for (Token t : code) {
            if (t.kind() == TokenKind.OPERATOR && t.text(sql).equals(":=") || t.isWord(sql, "STRICT")) {
                return true;
            }
            if (t.isWord(sql, "INTO")
                    && !code.get(0).isWord(sql, "INSERT")
                    && !code.get(0).isWord(sql, "MERGE")) {
                return true;
            }
        }
        return false;
    }

    /** The DO block's body, decoded: its one string literal (a dollar quote, or a plain string); null when unclear. */
    private static String body(DdlStatement ddl) {
        String sql = ddl.text().source();
        String body = null;
        for (Token t : ddl.text().tokens()) {
            if (t.kind() == TokenKind.STRING) {
                if (body != null) {
                    return null;
                }
                String text = t.text(sql);
                if (!text.startsWith("$") && !text.startsWith("'")) {
                    return null; // E'' or U&'' bodies: left unanalyzable
                }
                body = StringLiterals.decode(text, SqlSyntax.POSTGRESQL, '\0');
                if (body == null || !text.startsWith("$") && text.indexOf('\\') >= 0) {
                    return null; // a backslash reads two ways
                }
            }
        }
        return body;
    }
}
