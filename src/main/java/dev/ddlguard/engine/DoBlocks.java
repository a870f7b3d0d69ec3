package dev.ddlguard.engine;

import dev.ddlguard.sql.DdlStatement;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PostgreSQL DO block whose body is only static statements, judged by what they are. ORMs and migration tools wrap
 * one statement in a block to make it idempotent (Drizzle: {@code DO $$ BEGIN CREATE TYPE … ; EXCEPTION WHEN
 * duplicate_object THEN null; END $$}; {@code IF NOT EXISTS (SELECT … FROM pg_roles …) THEN CREATE ROLE … END IF}),
 * and every such block was unanalyzable, blocked on a fresh database (an outside tester's false positives). The body
 * is read only when it holds nothing but BEGIN … END, IF … THEN … [ELSIF | ELSE] … END IF, EXCEPTION WHEN … THEN
 * handlers, RAISE and NULL around plain SQL statements; EXECUTE, PERFORM, loops, variables, DECLARE, a transaction
 * end or anything else leave it unanalyzable. When every statement of the body is allowed on its own, the block is;
 * otherwise it stays unanalyzable (it cannot be rewritten from outside).
 */
final class DoBlocks {

    private DoBlocks() {}

    /** A body statement's leading words the guard does not follow: dynamic SQL, control flow, variables. */
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
            "<<",
            // control words LEADING did not strip (IF(true)THEN, no space before THEN): the cut would be wrong
            "IF",
            "ELSIF",
            "ELSEIF",
            "ELSE",
            "WHEN",
            "EXCEPTION",
            "BEGIN",
            "END");

    private static final Pattern LEADING =
            Pattern.compile("(?is)\\s*(?:BEGIN|END\\s+IF|END|ELSE|EXCEPTION\\s+WHEN\\s.+?\\sTHEN"
                    + "|(?:ELSIF|ELSEIF|IF|WHEN)\\s.+?\\sTHEN)(?=\\s|$)");

    /**
     * The DO statement without its opacity when every statement of its body is allowed on its own, else the same.
     */
    static DdlStatement judgedBody(StatementJudge judge, DdlStatement ddl, StatementJudge.Context context) {
        if (ddl.verb() != Verb.DO || ddl.opaque() == null || !ddl.opaque().startsWith("DO block runs DDL")) {
            return ddl;
        }
        List<String> statements = statements(ddl);
        if (statements == null) {
            return ddl;
        }
        Judgement body = statements.isEmpty() ? null : judge.judge(String.join(";\n", statements) + ";", context);
        if (body != null && (body.blocked() || body.statements().stream().anyMatch(s -> !allowed(s)))) {
            return ddl;
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
        if (body == null) {
            return null;
        }
        List<String> found = new ArrayList<>();
        for (StatementText piece : StatementSplitter.split(body, SqlSyntax.POSTGRESQL)) {
            String rest = piece.text().strip();
            Matcher m = LEADING.matcher(rest);
            while (m.lookingAt()) { // BEGIN, IF … THEN, EXCEPTION WHEN … THEN, END …: the statement after them
                if (!plainText(rest.substring(0, m.end()))) {
                    return null; // a THEN inside a string or comment of the condition would cut it wrong
                }
                rest = rest.substring(m.end()).strip();
                m = LEADING.matcher(rest);
            }
            if (!rest.isEmpty() && !Character.isLetter(rest.charAt(0))) {
                return null; // every statement starts with a word: anything else was cut wrong
            }
            rest = rest.replaceAll("(?s);\\s*$", "").strip();
            String first = rest.isEmpty() ? "" : rest.split("[\\s(]", 2)[0].toUpperCase(Locale.ROOT);
            if (rest.isEmpty() || first.equals("NULL") || first.equals("RAISE")) {
                continue;
            }
            if (UNREAD.contains(first) || first.startsWith("<<") || assigns(piece)) {
                return null;
            }
            found.add(rest);
        }
        return found;
    }

    /** Text whose quotes pair up and that holds no comment or dollar quote: a condition cut at a THEN of its code. */
    private static boolean plainText(String text) {
        return text.chars().filter(ch -> ch == '\'').count() % 2 == 0
                && text.chars().filter(ch -> ch == '"').count() % 2 == 0
                && !text.contains("--")
                && !text.contains("/*")
                && text.indexOf('$') < 0
                && text.indexOf('\\') < 0;
    }

    /** Whether a top-level {@code :=} (or a PL/pgSQL {@code x = …} assignment after INTO) appears: variables. */
    private static boolean assigns(StatementText piece) {
        String sql = piece.source();
        for (Token t : piece.tokens()) {
            if (t.kind() == TokenKind.OPERATOR && t.text(sql).equals(":=")) {
                return true;
            }
            if (t.isWord(sql, "INTO") || t.isWord(sql, "STRICT")) {
                return true; // SELECT … INTO a variable
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
