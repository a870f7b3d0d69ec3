package dev.ddlguard.engine;

import dev.ddlguard.rules.Catalog;
import dev.ddlguard.rules.ForwardingCatalog;
import dev.ddlguard.sql.QualifiedName;

/**
 * The live catalog, but no name taken for a temporary table of the session: for SQL judged now and run later (a batch
 * entry, a prepared statement), when the temporary table hiding a permanent one may be gone.
 */
final class NoTemporaryTables extends ForwardingCatalog {

    NoTemporaryTables(Catalog live) {
        super(live);
    }

    @Override
    public boolean isTemporary(QualifiedName table) {
        return false;
    }
}
