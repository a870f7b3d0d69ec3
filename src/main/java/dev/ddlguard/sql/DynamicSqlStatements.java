package dev.ddlguard.sql;

import java.util.List;

/**
 * Statements that run SQL given as data: EXECUTE IMMEDIATE (H2, MariaDB), MySQL's PREPARE … FROM and
 * H2's RUNSCRIPT. A single literal is read; SQL built at run time makes the statement opaque.
 */
final class DynamicSqlStatements {

    private DynamicSqlStatements() {}

    /** H2's {@code RUNSCRIPT FROM 'file'} runs every statement of a file (H2 "RUNSCRIPT"), none of which the guard sees. */
    static DdlStatement runScript(DdlStatementBuilder b) {
        b.opaque = "RUNSCRIPT runs the statements of a script file the guard cannot see";
        return b.build();
    }

    /**
     * MySQL's and MariaDB's system procedures run SQL they build from their arguments: sys.execute_prepared_stmt any
     * statement, mysql.DropGeometryColumn an ALTER TABLE … DROP, sys.create_synonym_db a CREATE DATABASE and views (an
     * outside tester dropped a table and a column through them, unjudged). A CALL of the sys or mysql schema is opaque;
     * any other CALL runs a routine whose body was judged when it was created.
     */
    static DdlStatement call(TokenCursor c, DdlStatementBuilder b) {
        if (b.syntax != SqlSyntax.MYSQL) {
            return null;
        }
        QualifiedName name = c.acceptName();
        Identifier schema = name == null ? null : name.schema();
        boolean system = name == null
                || (schema == null
                        ? runsBuiltSql(name.name().text()) // USE sys; CALL execute_prepared_stmt(…)
                        : schema.text().equalsIgnoreCase("sys") || schema.text().equalsIgnoreCase("mysql"));
        if (!system) {
            return null;
        }
        b.names.add(name);
        b.opaque = "CALL " + (name == null ? "of a system procedure" : name.toSql())
                + ", a system procedure that runs SQL it builds from its arguments";
        return b.build();
    }

    /** The sys and mysql schemas' procedures that run SQL built from their arguments, in lower case (an array: the pre-filter's loop makes no iterator). */
    private static final String[] BUILDING_SQL = {
        "execute_prepared_stmt",
        "create_synonym_db",
        "addgeometrycolumn",
        "dropgeometrycolumn",
        "statement_performance_analyzer",
        "table_exists",
        "diagnostics"
    };

    /** Whether a procedure of this name (unqualified, any case) is one of the system's that run SQL they build. */
    static boolean runsBuiltSql(String name) {
        return runsBuiltSql(name, 0, name.length());
    }

    /** The same for the name between {@code start} and {@code end} of the text, allocation-free (the pre-filter's). */
    static boolean runsBuiltSql(String sql, int start, int end) {
        for (String name : BUILDING_SQL) {
            if (name.length() == end - start && sql.regionMatches(true, start, name, 0, name.length())) {
                return true;
            }
        }
        return false;
    }

    /**
     * H2's and MariaDB's {@code EXECUTE IMMEDIATE} run dynamic SQL; PostgreSQL's and MySQL's EXECUTE run a
     * prepared statement. Only a single literal can be read (decoded first); any other argument
     * ({@code CONCAT('DR','OP TABLE t')}, a variable) is built at run time, so it is opaque.
     */
    static DdlStatement execute(TokenCursor c, DdlStatementBuilder b) {
        if (!c.acceptWord("IMMEDIATE")) {
            return null;
        }
        return dynamic(
                c,
                b,
                "USING",
                "EXECUTE IMMEDIATE of SQL built at run time, which the guard cannot read",
                "EXECUTE IMMEDIATE runs dynamic SQL");
    }

    /**
     * MySQL {@code PREPARE s FROM 'DROP …'} prepares dynamic SQL: a literal is read (its escapes decoded);
     * a variable ({@code FROM @v}) or an expression (MariaDB) is opaque. PostgreSQL's PREPARE cannot hold DDL.
     */
    static DdlStatement prepare(TokenCursor c, DdlStatementBuilder b) {
        if (b.syntax != SqlSyntax.MYSQL) {
            return null;
        }
        c.acceptIdentifier();
        if (!c.acceptWord("FROM")) {
            return null;
        }
        return dynamic(
                c,
                b,
                null,
                "PREPARE from a variable or expression, which the guard cannot read",
                "PREPARE of dynamic SQL");
    }

    /**
     * The statement running the dynamic SQL that follows: null when it is a literal that runs no DDL, else opaque,
     * saying {@code builtAtRunTime} when it is not a literal and {@code literal} when it is one.
     */
    private static DdlStatement dynamic(
            TokenCursor c, DdlStatementBuilder b, String stopWord, String builtAtRunTime, String literal) {
        Boolean runsDdl = literalRunsDdl(c, b, stopWord);
        if (Boolean.FALSE.equals(runsDdl)) {
            return null;
        }
        b.opaque = runsDdl == null ? builtAtRunTime : literal;
        return b.build();
    }

    /**
     * When the rest of the statement is one string literal (optionally followed by {@code stopWord} and
     * anything): whether its decoded value may run DDL. Null when it is anything else (run-time SQL).
     */
    private static Boolean literalRunsDdl(TokenCursor c, DdlStatementBuilder b, String stopWord) {
        Token source = c.next();
        Token after = c.peek();
        if (source == null
                || source.kind() != TokenKind.STRING
                || (after != null && (stopWord == null || !after.isWord(c.sql(), stopWord)))) {
            return null;
        }
        List<Token> tokens = b.text.tokens();
        return DynamicSql.literalMayRunDdl(tokens, tokens.indexOf(source), c.sql(), b.syntax);
    }
}
