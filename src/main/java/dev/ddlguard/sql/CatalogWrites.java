package dev.ddlguard.sql;

import java.util.Locale;

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

    /** The catalog a statement writes ({@code UPDATE | DELETE FROM | INSERT INTO | MERGE INTO [ONLY] pg_…}), or null. */
    static String written(StatementText text) {
        TokenCursor c = new TokenCursor(text);
        while (!c.atEnd()) {
            Token t = c.next();
            String verb = t.kind() == TokenKind.WORD ? t.text(c.sql()).toUpperCase(Locale.ROOT) : "";
            if (!verb.equals("UPDATE") && !verb.equals("DELETE") && !verb.equals("INSERT") && !verb.equals("MERGE")) {
                continue;
            }
            int mark = c.position();
            if (verb.equals("UPDATE") || c.acceptWord("FROM") || c.acceptWord("INTO")) {
                c.acceptWord("ONLY");
                QualifiedName name = c.atEnd() ? null : c.acceptName();
                if (name != null && isCatalog(name)) {
                    return verb + " of " + name.toSql();
                }
            }
            c.reset(mark);
        }
        return null;
    }

    private static boolean isCatalog(QualifiedName name) {
        Identifier schema = name.schema();
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
        int n = word.length();
        for (int i = 0; i + n <= sql.length(); i++) {
            if (sql.regionMatches(true, i, word, 0, n)
                    && (i == 0 || !Character.isLetterOrDigit(sql.charAt(i - 1)) && sql.charAt(i - 1) != '_')
                    && (i + n == sql.length()
                            || !Character.isLetterOrDigit(sql.charAt(i + n)) && sql.charAt(i + n) != '_')) {
                return true;
            }
        }
        return false;
    }
}
