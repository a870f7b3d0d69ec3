package dev.ddlguard.sql;

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
                        || hasWord(sql, "MERGE"));
    }

    /**
     * MySQL: whether the text may write the mysql schema (a {@code mysql.} name and a DML word): a fourth round
     * rewrote a routine's body in mysql.proc, and its next CALL dropped a table.
     */
    static boolean mayWriteMysql(String sql) {
        for (int i = sql.indexOf('.', 5); i >= 0; i = sql.indexOf('.', i + 1)) {
            int end = i;
            while (end > 0 && (sql.charAt(end - 1) == '`' || sql.charAt(end - 1) == ' ')) {
                end--;
            }
            if (end >= 5 && sql.regionMatches(true, end - 5, "MYSQL", 0, 5)) {
                return hasWord(sql, "UPDATE")
                        || hasWord(sql, "DELETE")
                        || hasWord(sql, "INSERT")
                        || hasWord(sql, "REPLACE");
            }
        }
        return false;
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

    /** The catalog a statement writes ({@code UPDATE | DELETE FROM | INSERT INTO | MERGE INTO [ONLY] pg_…}), or null. */
    static String written(StatementText text, SqlSyntax syntax) {
        TokenCursor c = new TokenCursor(text);
        while (!c.atEnd()) {
            Token t = c.next();
            String verb = t.kind() == TokenKind.WORD ? t.text(c.sql()).toUpperCase(Locale.ROOT) : "";
            if (!verb.equals("UPDATE")
                    && !verb.equals("DELETE")
                    && !verb.equals("INSERT")
                    && !verb.equals("MERGE")
                    && !verb.equals("REPLACE")) {
                continue;
            }
            int mark = c.position();
            if (verb.equals("UPDATE") || c.acceptWord("FROM") || c.acceptWord("INTO")) {
                c.acceptWord("ONLY");
                c.acceptWord("LOW_PRIORITY"); // MySQL: UPDATE LOW_PRIORITY IGNORE t
                c.acceptWord("IGNORE");
                QualifiedName name = c.atEnd() ? null : c.acceptName();
                if (name != null && isCatalog(name, syntax)) {
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

    private static boolean mentionsCatalogName(String sql) {
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
