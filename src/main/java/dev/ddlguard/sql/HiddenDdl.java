package dev.ddlguard.sql;

/**
 * DDL that does not read as DDL: a call of a function that runs SQL the guard does not see (PostgreSQL's dblink,
 * xml2's xpath_table, SQL text handed to query_to_xml and its kin), a statement that binds one (CREATE AGGREGATE …
 * SFUNC = dblink_exec), a system catalog written by hand (PostgreSQL's pg_catalog, MySQL's mysql schema), or a view or
 * foreign table a catalog can be written through. Each makes the statement opaque: the unanalyzable rule judges it.
 */
final class HiddenDdl {

    private HiddenDdl() {}

    /** The statement as read, made opaque when it hides DDL; a statement that is no DDL becomes one when it does. */
    static DdlStatement withHidden(DdlStatement ddl, StatementText text, SqlSyntax syntax) {
        String hidden = hidden(ddl, text, syntax);
        if (hidden == null || (ddl != null && ddl.opaque() != null)) {
            return ddl;
        }
        if (ddl == null) {
            DdlStatementBuilder b = new DdlStatementBuilder(text, syntax, Verb.EXECUTE);
            b.opaque = hidden;
            return b.build();
        }
        return new DdlStatement(
                text,
                syntax,
                ddl.verb(),
                ddl.objectType(),
                ddl.names(),
                ddl.table(),
                ddl.actions(),
                ddl.flags(),
                hidden);
    }

    private static String hidden(DdlStatement ddl, StatementText text, SqlSyntax syntax) {
        if (syntax == SqlSyntax.MYSQL) {
            if (ddl != null && ddl.verb() == Verb.CREATE && "VIEW".equals(ddl.objectType())) {
                return CatalogWrites.writableView(text, syntax); // a view over mysql.proc: UPDATE writes through it
            }
            String use = ddl == null ? CatalogWrites.useOfMysql(text) : null;
            if (use != null) {
                return use;
            }
            String written = ddl == null ? CatalogWrites.written(text, syntax) : null;
            return written == null
                    ? null
                    : written + ": the server's own tables written by hand, which the guard"
                            + " cannot judge (a routine's body rewritten in mysql.proc runs at its next CALL)";
        }
        if (syntax != SqlSyntax.POSTGRESQL) {
            return null;
        }
        if (ddl == null && new TokenCursor(text).acceptWord("LOAD")) {
            return "LOAD of a shared library, whose initialisation runs in the server process with the server's rights";
        }
        String remote = RemoteSqlCalls.remoteSql(text, syntax);
        if (remote != null) {
            return remote;
        }
        if (ddl != null
                && (ddl.verb() == Verb.CREATE || ddl.verb() == Verb.ALTER)
                && !"EXTENSION".equals(ddl.objectType())) {
            String bound = RemoteSqlCalls.bound(text); // not CREATE EXTENSION dblink itself, nor a DROP of it
            if (bound != null) {
                return bound;
            }
            if ("VIEW".equals(ddl.objectType())) {
                return CatalogWrites.writableView(text, syntax);
            }
        }
        if (ddl != null && (ForeignOptions.mayGive(ddl) || ddl.verb() == Verb.IMPORT)) {
            String foreign = CatalogWrites.foreignCatalog(text, syntax);
            if (foreign != null) {
                return foreign;
            }
        }
        // a DDL statement too: a data-modifying WITH of CREATE TABLE AS, a rule's action
        String written = CatalogWrites.written(text, syntax);
        return written == null ? null : written + ": a system catalog written by hand, which the guard cannot judge";
    }
}
