package dev.ddlguard.cli.lint;

import dev.ddlguard.rules.TableNames;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.SqlSyntax;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How lint compares the names of a script: tables and schemas as the server would ({@link TableNames}), unqualified
 * names in the schema the script set ({@link SessionState#schema()}), index and constraint names as the server
 * compares those.
 */
final class ScriptNames {

    private final boolean mysql;
    private final TableNames names;
    /** The schema unqualified names resolve in ({@link SessionState#schema()}); null: the session's default. */
    private String schema;

    ScriptNames(boolean mysql) {
        this.mysql = mysql;
        this.names = new TableNames(mysql ? SqlSyntax.MYSQL : SqlSyntax.POSTGRESQL, false);
    }

    void schema(String schema) {
        this.schema = schema;
    }

    /** The schema as the server would name it; null when the script set none lint can name. */
    String currentSchema() {
        return schema == null || schema.startsWith("\0") ? null : schema;
    }

    /** Whether the statement's text names the object (a word of its name, in any case). */
    static boolean mentions(String sql, QualifiedName name) {
        return Pattern.compile("(?i)(?<![\\w$])" + Pattern.quote(name.name().text()) + "(?![\\w$])")
                .matcher(sql)
                .find();
    }

    /**
     * The same table: the same name in the same schema, an unqualified name taken in the schema the script set (a
     * qualified name and an unqualified one differ while the script set none: the search path is unknown).
     */
    boolean same(QualifiedName a, QualifiedName b) {
        return tableKey(a.name()).equals(tableKey(b.name())) && schemaOf(a).equals(schemaOf(b));
    }

    /** The schema a name is in, as a key: its own, else the current one ("\0" and a number: one lint cannot name). */
    String schemaOf(QualifiedName name) {
        if (name.schema() != null) {
            return tableKey(name.schema());
        }
        return schema == null ? "\0default" : schema;
    }

    /**
     * A table or schema name as the server compares it: PostgreSQL folds unquoted names to lower case; MySQL/MariaDB
     * compare them exactly unless lower_case_table_names says otherwise, which lint does not know: exactly (only the
     * very spelling is the same table, the safe side for the exemptions of new tables).
     */
    String tableKey(Identifier id) {
        return names.part(id);
    }

    /** Index and constraint names: PostgreSQL folds unquoted names; MySQL compares them without case. */
    String key(Identifier id) {
        if (mysql) {
            return id.text().toLowerCase(Locale.ROOT);
        }
        return id.quoted() ? id.text() : TableNames.foldUnquoted(SqlSyntax.POSTGRESQL, id.text());
    }
}
