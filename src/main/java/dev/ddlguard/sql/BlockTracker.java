package dev.ddlguard.sql;

import java.util.List;

/**
 * Follows, token by token, the nesting inside which a {@code ;} does not end a statement:
 * parentheses and the bodies of routines that are sent to the server as one statement.
 */
final class BlockTracker {

    /** Words after which a MySQL IF statement may start: block openers and routine options. */
    private static final String[] BEFORE_IF_STATEMENT = {
        "BEGIN", "THEN", "ELSE", "DO", "LOOP", "REPEAT", "ROW", "DETERMINISTIC", "DEFINER", "INVOKER", "SQL", "DATA"
    };

    private final String sql;
    private final List<Token> tokens;
    private final boolean mysql;
    private int parens;
    private int blocks;
    private int codeTokens;
    private boolean create;
    private boolean routine;
    /** MariaDB's Oracle mode: CREATE PACKAGE [BODY] p AS … END, whose AS opens the block its last END closes. */
    private boolean packageRoutine;

    private Token previous;

    BlockTracker(String sql, List<Token> tokens, boolean mysql) {
        this.sql = sql;
        this.tokens = tokens;
        this.mysql = mysql;
    }

    /** Starts a new statement. */
    void reset() {
        parens = 0;
        blocks = 0;
        codeTokens = 0;
        create = false;
        routine = false;
        packageRoutine = false;
        previous = null;
    }

    /** Whether a {@code ;} seen now would end the statement. */
    boolean atTopLevel() {
        return parens == 0 && blocks == 0;
    }

    /** Takes token {@code k} into account; comments change nothing. */
    void accept(int k) {
        Token token = tokens.get(k);
        if (token.isComment()) {
            return;
        }
        codeTokens++;
        if (token.kind() == TokenKind.LEFT_PAREN) {
            parens++;
        } else if (token.kind() == TokenKind.RIGHT_PAREN) {
            parens = Math.max(0, parens - 1);
        } else if (token.kind() == TokenKind.WORD) {
            if (codeTokens == 1) {
                create = token.isWord(sql, "CREATE");
                routine = create && (mysql ? routineFollows(k) : standardRoutineFollows(k));
            } else if (routine && mysql) {
                mysqlWord(k, token);
            } else if (routine) {
                standardWord(k, token);
            }
        }
        previous = token;
    }

    /**
     * PostgreSQL 14 "CREATE FUNCTION ... BEGIN ATOMIC stmt; ... END" (SQL-standard routine body):
     * its statements end with {@code ;}. CASE also closes with END, so it opens a level too.
     */
    private void standardWord(int k, Token token) {
        if (token.isWord(sql, "BEGIN") && nextIsWord(k, "ATOMIC")) {
            blocks++;
        } else if (blocks > 0 && token.isWord(sql, "CASE")) {
            blocks++;
        } else if (blocks > 0 && token.isWord(sql, "END")) {
            blocks--;
        }
    }

    /**
     * MySQL 15.6 "Compound Statement Syntax": inside CREATE PROCEDURE, FUNCTION, TRIGGER or EVENT,
     * BEGIN, CASE, IF, LOOP, REPEAT and WHILE open a block that END closes ({@code END IF},
     * {@code END LOOP}, ... name the block they close). {@code IF(}, {@code REPEAT(} are functions
     * and {@code IF [NOT] EXISTS} is a DDL clause, so IF counts only where a statement may start.
     * A missed opener only splits more, which is the safe direction.
     */
    private void mysqlWord(int k, Token token) {
        if (!routine) {
            return;
        }
        if (token.isWord(sql, "END")) {
            blocks = Math.max(0, blocks - 1);
        } else if (previous != null && previous.isWord(sql, "END")) {
            return;
        } else if (packageRoutine && blocks == 0 && (token.isWord(sql, "AS") || token.isWord(sql, "IS"))) {
            // an outside tester's package body was cut at its first procedure's END; and the rest went unjudged
            blocks++;
        } else if (token.isWord(sql, "BEGIN")
                || token.isWord(sql, "CASE")
                || token.isWord(sql, "LOOP")
                || token.isWord(sql, "WHILE")) {
            blocks++;
        } else if (token.isWord(sql, "REPEAT") && !nextIs(k, TokenKind.LEFT_PAREN)) {
            blocks++;
        } else if (token.isWord(sql, "IF") && !nextIs(k, TokenKind.LEFT_PAREN) && ifStatementMayStart()) {
            blocks++;
        }
    }

    /** Whether the previous token can precede an IF statement (after ;, BEGIN, THEN, ...). */
    private boolean ifStatementMayStart() {
        if (previous == null) {
            return false;
        }
        switch (previous.kind()) {
            case SEMICOLON:
            case RIGHT_PAREN:
            case STRING:
                return true;
            case WORD:
                for (String word : BEFORE_IF_STATEMENT) {
                    if (previous.isWord(sql, word)) {
                        return true;
                    }
                }
                return false;
            default:
                return false;
        }
    }

    /**
     * Whether the CREATE at {@code k} creates a stored program, read strictly from the grammar
     * (MariaDB "CREATE PROCEDURE", "CREATE FUNCTION", "CREATE TRIGGER", "CREATE EVENT", "CREATE
     * PACKAGE"; MySQL 15.1.17): {@code CREATE [OR REPLACE] [DEFINER = user] [AGGREGATE]} and then the
     * kind. Anywhere else these words are names ({@code CREATE TABLE x (event int, begin int)}).
     */
    private boolean routineFollows(int k) {
        int j = afterOrReplace(k); // -1 (no word) when OR is not followed by REPLACE
        if (isWordAt(j, "DEFINER")) {
            j = nextCodeIndex(j);
            if (j < 0 || !"=".equals(tokens.get(j).text(sql))) {
                return false;
            }
            j = definerEnd(nextCodeIndex(j));
        }
        if (isWordAt(j, "AGGREGATE")) {
            j = nextCodeIndex(j);
        }
        packageRoutine = isWordAt(j, "PACKAGE");
        return isWordAt(j, "PROCEDURE")
                || isWordAt(j, "FUNCTION")
                || isWordAt(j, "TRIGGER")
                || isWordAt(j, "EVENT")
                || packageRoutine;
    }

    /**
     * Whether the CREATE at {@code k} is PostgreSQL's {@code CREATE [OR REPLACE] FUNCTION|PROCEDURE},
     * the only statements with a BEGIN ATOMIC body; elsewhere {@code begin atomic} may be a column
     * and its alias.
     */
    private boolean standardRoutineFollows(int k) {
        int j = afterOrReplace(k); // -1 (no word) when OR is not followed by REPLACE
        return isWordAt(j, "FUNCTION") || isWordAt(j, "PROCEDURE");
    }

    /** Index of the code token after a DEFINER value at {@code j}: {@code user[@host]}, CURRENT_USER[()]. */
    private int definerEnd(int j) {
        if (isWordAt(j, "CURRENT_USER") || isWordAt(j, "CURRENT_ROLE")) {
            j = nextCodeIndex(j);
            if (j >= 0 && tokens.get(j).kind() == TokenKind.LEFT_PAREN) {
                j = nextCodeIndex(j);
                return j >= 0 && tokens.get(j).kind() == TokenKind.RIGHT_PAREN ? nextCodeIndex(j) : -1;
            }
            return j;
        }
        if (!isNameAt(j)) {
            return -1;
        }
        j = nextCodeIndex(j);
        if (j >= 0 && "@".equals(tokens.get(j).text(sql))) {
            j = nextCodeIndex(j);
            return isNameAt(j) ? nextCodeIndex(j) : -1;
        }
        return j;
    }

    private boolean isNameAt(int j) {
        if (j < 0) {
            return false;
        }
        TokenKind kind = tokens.get(j).kind();
        return kind == TokenKind.WORD || kind == TokenKind.STRING || kind == TokenKind.QUOTED_IDENTIFIER;
    }

    /** The code index after the CREATE at {@code k} and an optional OR REPLACE; -1 when OR is not followed by REPLACE. */
    private int afterOrReplace(int k) {
        int j = nextCodeIndex(k);
        if (isWordAt(j, "OR")) {
            j = nextCodeIndex(j);
            if (!isWordAt(j, "REPLACE")) {
                return -1;
            }
            j = nextCodeIndex(j);
        }
        return j;
    }

    private boolean isWordAt(int j, String upperKeyword) {
        return j >= 0 && tokens.get(j).isWord(sql, upperKeyword);
    }

    private int nextCodeIndex(int k) {
        if (k < 0) {
            return -1;
        }
        for (int j = k + 1; j < tokens.size(); j++) {
            Token t = tokens.get(j);
            if (t.kind() == TokenKind.SEMICOLON) {
                return -1;
            }
            if (!t.isComment()) {
                return j;
            }
        }
        return -1;
    }

    private boolean nextIsWord(int k, String upperKeyword) {
        Token next = nextCode(k);
        return next != null && next.isWord(sql, upperKeyword);
    }

    private boolean nextIs(int k, TokenKind kind) {
        Token next = nextCode(k);
        return next != null && next.kind() == kind;
    }

    private Token nextCode(int k) {
        for (int j = k + 1; j < tokens.size(); j++) {
            if (!tokens.get(j).isComment()) {
                return tokens.get(j);
            }
        }
        return null;
    }
}
