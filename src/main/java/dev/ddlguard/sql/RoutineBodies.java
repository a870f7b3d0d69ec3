package dev.ddlguard.sql;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Code the server runs later or elsewhere, read from a routine, trigger, event or DO block: whether its
 * body may run DDL, or is written in a language (or Java, on H2) the guard cannot read at all.
 */
final class RoutineBodies {

    private RoutineBodies() {}

    /** PostgreSQL languages whose bodies the guard reads (PL/pgSQL and SQL as text; C and internal name a symbol). */
    private static final Set<String> READABLE_LANGUAGES = Set.of("SQL", "PLPGSQL", "C", "INTERNAL");

    /** A PostgreSQL DO block is opaque: when its body runs DDL, the rules can only report it. */
    static DdlStatement doBlock(TokenCursor c, DdlStatementBuilder b) {
        String language = unreadableLanguage(b);
        if (language != null) {
            b.opaque = "DO block in " + language + ", which the guard cannot read, may run DDL";
            return b.build();
        }
        if (!bodyRunsDdl(b.text, null, b.syntax)) {
            return null;
        }
        b.opaque = "DO block runs DDL that the guard cannot see into";
        return b.build();
    }

    /**
     * PostgreSQL: the LANGUAGE of a routine or DO block when it is one whose body the guard cannot read
     * (PL/Python, PL/Perl, PL/Tcl, PL/v8, …), else null. Such a body may run SQL through its own API.
     */
    static String unreadableLanguage(DdlStatementBuilder b) {
        if (b.syntax != SqlSyntax.POSTGRESQL) {
            return null;
        }
        List<Token> tokens = b.text.tokens();
        String sql = b.text.source();
        for (int i = 0; i + 1 < tokens.size(); i++) {
            if (!tokens.get(i).isWord(sql, "LANGUAGE")) {
                continue;
            }
            int j = i + 1;
            while (j < tokens.size() && tokens.get(j).isComment()) {
                j++;
            }
            if (j >= tokens.size()) {
                return null;
            }
            Token name = tokens.get(j);
            String language = name.kind() == TokenKind.WORD
                    ? name.text(sql).toUpperCase(Locale.ROOT)
                    : name.kind() == TokenKind.STRING || name.kind() == TokenKind.QUOTED_IDENTIFIER
                            ? String.valueOf(StringLiterals.decode(name.text(sql), b.syntax, '\0'))
                                    .toUpperCase(Locale.ROOT)
                            : null;
            if (language != null && !READABLE_LANGUAGES.contains(language)) {
                return "language " + language.toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }

    /** H2: {@code CREATE TRIGGER … CALL 'class'} or {@code … AS 'java source'} runs Java on every firing. */
    static boolean javaTrigger(StatementText text) {
        return text.hasWord("CALL") || text.hasWord("AS");
    }

    /** MySQL: the body statement starting at token i (to the next ;) acts on the server (SET GLOBAL, SHUTDOWN …). */
    private static boolean reachesServer(StatementText text, List<Token> tokens, int i) {
        int end = text.end();
        for (int k = i + 1; k < tokens.size(); k++) {
            if (tokens.get(k).kind() == TokenKind.SEMICOLON) {
                end = tokens.get(k).start();
                break;
            }
        }
        return DynamicSql.reachesServer(text.source().substring(tokens.get(i).start(), end));
    }

    /** Whether a body (string literals, or the code after BEGIN for SQL-standard and MySQL bodies) holds DDL words. */
    static boolean bodyRunsDdl(StatementText text, String objectType, SqlSyntax syntax) {
        if (syntax == SqlSyntax.MYSQL
                && objectType != null
                && CatalogWrites.mayWriteMysql(text.text())
                && CatalogWrites.written(text, syntax) != null) {
            return true; // UPDATE mysql.proc … in a body: a routine rewritten at each call (a mysql. name and a DML
            // word in its code, a comment between the name and its dot too)
        }
        boolean inBody = false;
        // MySQL: a procedure's body is one statement right after its parameter list (BEGIN … END is only one form)
        boolean bodyAfterParameters = syntax == SqlSyntax.MYSQL && "PROCEDURE".equals(objectType);
        int depth = 0;
        List<Token> tokens = text.tokens();
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (token.kind() == TokenKind.LEFT_PAREN) {
                depth++;
            } else if (token.kind() == TokenKind.RIGHT_PAREN && --depth == 0 && bodyAfterParameters) {
                inBody = true;
                continue;
            }
            // A literal is read as the server will: escapes (E'\x44ROP', U&'\0044ROP') decoded first.
            if (token.kind() == TokenKind.STRING && DynamicSql.literalMayRunDdl(tokens, i, text.source(), syntax)) {
                return true;
            }
            if (token.isWord(text.source(), "BEGIN")
                    || ("EVENT".equals(objectType)
                            && token.isWord(text.source(), "DO")) // MySQL: CREATE EVENT … DO stmt
                    // MySQL: a trigger's body is one statement after FOR EACH ROW, BEGIN … END only one form (an
                    // outside tester's … FOR EACH ROW DELETE HISTORY FROM h ran at the next INSERT, unread)
                    || ("TRIGGER".equals(objectType)
                            && syntax == SqlSyntax.MYSQL
                            && token.isWord(text.source(), "ROW")
                            && CompoundStatements.codeBeforeIsWord(tokens, i, text.source(), "EACH"))
                    // a function's after RETURNS type (IF 1 THEN DELETE HISTORY …; RETURN 1; END IF, a later round's)
                    || ("FUNCTION".equals(objectType)
                            && syntax == SqlSyntax.MYSQL
                            && token.isWord(text.source(), "RETURNS"))) {
                inBody = true;
            } else if (inBody
                    && objectType != null
                    && token.kind() == TokenKind.WORD
                    && (DynamicSql.isDdlWord(token.text(text.source()))
                            || (syntax == SqlSyntax.MYSQL && deletesHistory(text, tokens, i))
                            // CALL sys.execute_prepared_stmt(q) with q a parameter: any statement, at each CALL
                            || (syntax == SqlSyntax.MYSQL
                                    && token.isWord(text.source(), "CALL")
                                    && PreFilterWalks.systemProcedureAt(
                                            text.source(), DdlPreFilter.skipToCode(text.source(), token.end(), syntax)))
                            || (syntax == SqlSyntax.MYSQL
                                    && DynamicSql.SERVER_WORDS.contains(
                                            token.text(text.source()).toUpperCase(Locale.ROOT))
                                    && reachesServer(text, tokens, i)))) {
                return true;
            }
        }
        return false;
    }

    /** MariaDB's DELETE HISTORY (the next word after DELETE, comments skipped): it deletes history when it runs. */
    private static boolean deletesHistory(StatementText text, List<Token> tokens, int i) {
        if (!tokens.get(i).isWord(text.source(), "DELETE")) {
            return false;
        }
        for (int k = i + 1; k < tokens.size(); k++) {
            if (!tokens.get(k).isComment()) {
                return tokens.get(k).isWord(text.source(), "HISTORY");
            }
        }
        return false;
    }
}
