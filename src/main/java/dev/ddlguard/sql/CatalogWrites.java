package dev.ddlguard.sql;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * PostgreSQL: DML on the system catalogs (pg_catalog's pg_* tables) is DDL by hand. It renames, retypes or drops what
 * ALTER would, without the lock, the checks or the rewrite: an outside tester renamed a table with {@code UPDATE
 * pg_class SET relname = …} and orphaned a schema's tables with {@code DELETE FROM pg_namespace}; old migrations set
 * {@code pg_attribute.attnotnull} or {@code pg_constraint.convalidated} by hand to skip a scan. The guard cannot judge
 * what such a write changes, so the statement is opaque.
 */
final class CatalogWrites {

    private CatalogWrites() {}

    /**
     * Whether the text may write a catalog: a word starting with {@code pg_} and one of the DML words. The first scan
     * fails fast for nearly every statement; a catalog SELECT pays the second and is then read by {@link #written}.
     */
    static boolean mayWrite(String sql) {
        return mentionsCatalogName(sql)
                && (hasWord(sql, "UPDATE")
                        || hasWord(sql, "DELETE")
                        || hasWord(sql, "INSERT")
                        || hasWord(sql, "MERGE")
                        || hasWord(sql, "COPY"));
    }

    /**
     * MySQL: whether the text may write the mysql schema (a {@code mysql.} name and a DML word, LOAD DATA | XML
     * included): a fourth round rewrote a routine's body in mysql.proc, and its next CALL dropped a table.
     */
    static boolean mayWriteMysql(String sql) {
        // the word anywhere: a comment or a line break may stand between mysql and its dot (mysql/**/.user, an
        // outside tester's), and ANSI_QUOTES reads "mysql" as the name
        return hasWord(sql, "MYSQL")
                && (hasWord(sql, "UPDATE")
                        || hasWord(sql, "DELETE")
                        || hasWord(sql, "INSERT")
                        || hasWord(sql, "REPLACE")
                        || hasWord(sql, "LOAD"));
    }

    /** MySQL: whether the database name {@code mysql} (backticked, double-quoted or not, any case) stands at {@code i}. */
    static boolean mysqlAt(String sql, int i) {
        int start = i < sql.length() && (sql.charAt(i) == '`' || sql.charAt(i) == '"') ? i + 1 : i;
        int end = start + 5;
        return sql.regionMatches(true, start, "MYSQL", 0, 5)
                && (end >= sql.length() || !CharClasses.isIdentifierPart(sql.charAt(end), SqlSyntax.MYSQL));
    }

    /**
     * MySQL: {@code USE mysql}, after which the session's unqualified names find the server's own tables: an outside
     * tester's {@code UPDATE proc SET body = …} and {@code UPDATE global_priv …} ran unseen after it (user, db and proc
     * are common names of an application's own tables, so the statements after it cannot be told apart). Null when
     * it is not.
     */
    static String useOfMysql(StatementText text) {
        List<Token> tokens = text.tokens();
        int use = CompoundStatements.nextCode(tokens, 0);
        int database = use < 0 || !tokens.get(use).isWord(text.source(), "USE")
                ? -1
                : CompoundStatements.nextCode(tokens, use + 1);
        return database >= 0 && isMysql(tokens.get(database), text.source())
                ? "USE mysql: the statements after it name the server's own tables without a schema (UPDATE proc,"
                        + " INSERT INTO db), which the guard cannot tell from an application's tables"
                : null;
    }

    /** Words at the top level of a view's query that make it read-only to the server. */
    private static final Set<String> READ_ONLY_VIEW_WORDS =
            Set.of("JOIN", "GROUP", "DISTINCT", "UNION", "INTERSECT", "EXCEPT");

    /**
     * PostgreSQL: a CREATE VIEW over one system catalog and nothing else, which the server may make writable (an
     * outside tester's view over pg_proc let an UPDATE rewrite a function's body, then the call dropped a table); a
     * join, a grouping, DISTINCT or a set operation makes it read-only. Null when it is not.
     */
    static String writableView(StatementText text, SqlSyntax syntax) {
        TokenCursor c = new TokenCursor(text);
        if (!c.skipPastTopLevelWord("AS")) {
            return null;
        }
        if (c.acceptWord("TABLE")) { // AS TABLE pg_class: SELECT * FROM it (an outside tester's renamed a table so)
            c.acceptWord("ONLY");
            QualifiedName name = c.atEnd() ? null : c.acceptName();
            return name != null && isCatalog(name, syntax)
                    ? "a view over the system catalog " + name.toSql() + ", which UPDATE may write through"
                    : null;
        }
        QualifiedName catalog = null;
        int depth = 0;
        while (!c.atEnd()) {
            Token t = c.next();
            depth += t.kind() == TokenKind.LEFT_PAREN ? 1 : t.kind() == TokenKind.RIGHT_PAREN ? -1 : 0;
            if (depth != 0) {
                continue;
            }
            String w = t.kind() == TokenKind.WORD ? t.text(c.sql()).toUpperCase(Locale.ROOT) : "";
            if (t.kind() == TokenKind.COMMA && catalog != null || READ_ONLY_VIEW_WORDS.contains(w)) {
                return null;
            }
            if (w.equals("FROM") && catalog == null) {
                c.acceptWord("ONLY");
                QualifiedName name = c.atEnd() ? null : c.acceptName();
                if (name == null || !isCatalog(name, syntax)) {
                    return null;
                }
                catalog = name;
            }
        }
        return catalog == null
                ? null
                : "a view over the system catalog " + catalog.toSql() + ", which UPDATE may write through";
    }

    /**
     * PostgreSQL: a foreign table over a system catalog ({@code OPTIONS (schema_name 'pg_catalog', table_name
     * 'pg_class')}, or {@code IMPORT FOREIGN SCHEMA pg_catalog}): postgres_fdw writes the catalog of the server it
     * points at, this one through a loopback server (an outside tester renamed a table with an UPDATE of one). A
     * literal the guard cannot decode counts. Null when it is none.
     */
    static String foreignCatalog(StatementText text, SqlSyntax syntax) {
        for (String option : List.of("schema_name", "table_name")) {
            for (String value : ForeignOptions.valuesOf(text, option, syntax)) {
                if (value == null
                        || (option.equals("schema_name")
                                ? value.strip().equalsIgnoreCase("pg_catalog")
                                : value.strip().toLowerCase(Locale.ROOT).startsWith("pg_"))) {
                    return "a foreign table over the system catalog " + (value == null ? "?" : value)
                            + ", which UPDATE writes through";
                }
            }
        }
        TokenCursor c = new TokenCursor(text);
        if (c.acceptWord("IMPORT") && c.acceptWord("FOREIGN") && c.acceptWord("SCHEMA")) {
            QualifiedName schema = c.atEnd() ? null : c.acceptName();
            String name = schema == null
                    ? null
                    : schema.name().quoted()
                            ? schema.name().text()
                            : schema.name().text().toLowerCase(Locale.ROOT);
            if (name == null || name.equals("pg_catalog")) {
                return "foreign tables over the system catalogs, which UPDATE writes through";
            }
        }
        return null;
    }

    /** The DML words; a statement holding one (MySQL) or led by one (PostgreSQL) may write what it names. */
    private static final Set<String> WRITES = Set.of("UPDATE", "DELETE", "INSERT", "MERGE", "REPLACE", "LOAD", "COPY");

    /**
     * The catalog a statement writes, or null. PostgreSQL: {@code UPDATE | DELETE FROM | INSERT INTO | MERGE INTO
     * [ONLY] pg_…} anywhere in it (a data-modifying WITH of a CREATE TABLE AS or SELECT INTO, a rule's action: an
     * outside tester's renamed tables), and {@code COPY pg_… FROM} a file (it made a role a member of
     * pg_read_server_files). MySQL: any {@code mysql.} table named in a statement that holds a DML word, since a
     * multi-table UPDATE or DELETE writes the tables of its join (an outside tester's {@code UPDATE m1 JOIN
     * mysql.global_priv g … SET g.priv = …} widened an account's privileges), and LOAD DATA | XML INTO TABLE writes
     * its table: reading the mysql schema in a DML statement is rare enough to be judged too.
     */
    static String written(StatementText text, SqlSyntax syntax) {
        return syntax == SqlSyntax.MYSQL ? mysqlNamed(text) : writtenCatalog(text, syntax);
    }

    private static String mysqlNamed(StatementText text) {
        String sql = text.source();
        List<Token> tokens = text.tokens();
        String verb = null;
        String named = null;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            String w = t.kind() == TokenKind.WORD ? t.text(sql).toUpperCase(Locale.ROOT) : "";
            verb = verb == null && WRITES.contains(w) ? w : verb;
            int dot = isMysql(t, sql) ? CompoundStatements.nextCode(tokens, i + 1) : -1;
            if (named == null && dot >= 0 && tokens.get(dot).kind() == TokenKind.DOT) {
                int table = CompoundStatements.nextCode(tokens, dot + 1);
                named = "mysql." + (table >= 0 ? tokens.get(table).text(sql) : "");
            }
        }
        return verb == null || named == null ? null : verb + " naming " + named;
    }

    /** The name mysql: a word, a quoted name, or a double-quoted string (a name under ANSI_QUOTES), in any case. */
    private static boolean isMysql(Token t, String sql) {
        return switch (t.kind()) {
            case WORD -> t.isWord(sql, "MYSQL");
            case QUOTED_IDENTIFIER -> Identifier.ofQuoted(t.text(sql)).text().equalsIgnoreCase("mysql");
            case STRING -> t.text(sql).equalsIgnoreCase("\"mysql\"");
            default -> false;
        };
    }

    private static String writtenCatalog(StatementText text, SqlSyntax syntax) {
        TokenCursor c = new TokenCursor(text);
        while (!c.atEnd()) {
            Token t = c.next();
            String verb = t.kind() == TokenKind.WORD ? t.text(c.sql()).toUpperCase(Locale.ROOT) : "";
            if (!WRITES.contains(verb)) {
                continue;
            }
            int mark = c.position();
            if (verb.equals("UPDATE") || verb.equals("COPY") || c.acceptWord("FROM") || c.acceptWord("INTO")) {
                c.acceptWord("ONLY");
                QualifiedName name = c.atEnd() ? null : c.acceptName();
                if (name != null
                        && isCatalog(name, syntax)
                        && (!verb.equals("COPY") || c.skipPastTopLevelWord("FROM"))) {
                    return verb + " of " + name.toSql();
                }
            }
            c.reset(mark);
        }
        return null;
    }

    private static boolean isCatalog(QualifiedName name, SqlSyntax syntax) {
        Identifier schema = name.schema();
        if (syntax == SqlSyntax.MYSQL) {
            return schema != null && schema.text().equalsIgnoreCase("mysql");
        }
        String table =
                name.name().quoted() ? name.name().text() : name.name().text().toLowerCase(Locale.ROOT);
        boolean inCatalog = schema == null
                || (schema.quoted() ? schema.text() : schema.text().toLowerCase(Locale.ROOT)).equals("pg_catalog");
        return inCatalog && table.startsWith("pg_");
    }

    /**
     * A word starting with pg_, or a {@code U&"…"} name, which may spell one in escapes ({@code U&"\0070g_class"}: an
     * outside tester's UPDATE of it renamed a table unseen, in a WITH, a DO block and a function's body too).
     */
    private static boolean mentionsCatalogName(String sql) {
        for (int i = sql.indexOf('&'); i > 0; i = sql.indexOf('&', i + 1)) {
            if ((sql.charAt(i - 1) | 0x20) == 'u' && i + 1 < sql.length() && sql.charAt(i + 1) == '"') {
                return true;
            }
        }
        for (int i = sql.indexOf('_', 2); i >= 0; i = sql.indexOf('_', i + 1)) {
            if ((sql.charAt(i - 1) | 0x20) == 'g'
                    && (sql.charAt(i - 2) | 0x20) == 'p'
                    && (i == 2 || !Character.isLetterOrDigit(sql.charAt(i - 3)) && sql.charAt(i - 3) != '_')) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasWord(String sql, String word) {
        return DynamicSql.indexOfWord(sql, word, 0) >= 0;
    }
}
