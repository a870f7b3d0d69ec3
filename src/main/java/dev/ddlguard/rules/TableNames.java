package dev.ddlguard.rules;

import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.SqlSyntax;
import java.util.Locale;

/**
 * How a database compares table (and schema) names, so that a name of one statement is matched to the table another
 * created only when the server would take them for the same one.
 * <ul>
 *   <li>PostgreSQL and H2: unquoted names fold (PostgreSQL: A to Z to lower case only; H2: to upper case), quoted
 *       ones are compared as written;</li>
 *   <li>MySQL/MariaDB: table and database names are file names. With {@code lower_case_table_names} 0 (the Linux
 *       default) they compare exactly, quoted or not; with 1 or 2 without case ({@link #foldsCase}). When the
 *       setting is unknown, exactly: only the very spelling counts as the same table;</li>
 *   <li>an unqualified name resolves in the current schema (PostgreSQL's current_schema, MySQL's database):
 *       {@code app.t} and {@code t} are the same table only where the current schema is known to be {@code app}.
 *       Where it is not known, an unqualified name matches only another unqualified one (the same session).</li>
 * </ul>
 *
 * @param foldsCase MySQL/MariaDB: whether lower_case_table_names is 1 or 2 (ignored for PostgreSQL and H2)
 */
public record TableNames(SqlSyntax syntax, boolean foldsCase) {

    /** One part of a name as the server compares it. */
    public String part(Identifier id) {
        if (syntax == SqlSyntax.MYSQL) {
            return foldsCase ? id.text().toLowerCase(Locale.ROOT) : id.text();
        }
        return id.quoted() ? id.text() : foldUnquoted(syntax, id.text());
    }

    /**
     * An unquoted name as the server stores it. PostgreSQL folds A to Z only: in a multi-byte encoding (UTF-8) it
     * leaves every other letter as written, so {@code Kv} spelled with the Kelvin sign is not {@code kv}
     * (downcase_identifier); Java's lower case would make them one table. H2 upper-cases with Java's rules.
     */
    public static String foldUnquoted(SqlSyntax syntax, String name) {
        if (syntax == SqlSyntax.ANSI) {
            return name.toUpperCase(Locale.ROOT);
        }
        StringBuilder folded = null;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (folded == null) {
                    folded = new StringBuilder(name);
                }
                folded.setCharAt(i, (char) (c + ('a' - 'A')));
            }
        }
        return folded == null ? name : folded.toString();
    }

    /** A schema name as the server reports it (current_schema, DATABASE()), compared as {@link #part} compares. */
    public String schema(String reported) {
        return syntax == SqlSyntax.MYSQL && foldsCase ? reported.toLowerCase(Locale.ROOT) : reported;
    }

    /**
     * Whether two names are the same table.
     *
     * @param currentSchema the schema an unqualified name resolves in, as the server reports it; null when unknown
     */
    public boolean same(QualifiedName a, QualifiedName b, String currentSchema) {
        if (!part(a.name()).equals(part(b.name()))) {
            return false;
        }
        if (a.schema() == null && b.schema() == null) {
            return true;
        }
        String sa = schemaOf(a, currentSchema);
        String sb = schemaOf(b, currentSchema);
        return sa != null && sa.equals(sb);
    }

    private String schemaOf(QualifiedName name, String currentSchema) {
        if (name.schema() != null) {
            return part(name.schema());
        }
        return currentSchema == null ? null : schema(currentSchema);
    }
}
