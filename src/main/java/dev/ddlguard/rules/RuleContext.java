package dev.ddlguard.rules;

/**
 * What a rule may know besides the statement: facts about the session it will run in.
 *
 * @param autocommit    whether the statement runs outside a transaction block (CONCURRENTLY needs it)
 * @param serverVersion the server's version as PostgreSQL's server_version_num writes it (150004 for 15.4;
 *                      MySQL 8.0.35 is 80035), or the target's documented default when not connected to it
 * @param catalog       the live database's answers, or {@link Catalog#OFFLINE}
 * @param lock          the statement's lock impact as the judge computed it (the target's model with the
 *                      catalog), so that a rule needing it does not compute it again; null when not known
 */
public record RuleContext(boolean autocommit, int serverVersion, Catalog catalog, LockImpact lock) {

    public RuleContext(boolean autocommit, int serverVersion, Catalog catalog) {
        this(autocommit, serverVersion, catalog, null);
    }

    public RuleContext(boolean autocommit) {
        this(autocommit, 0, Catalog.OFFLINE);
    }

    /** Whether the server is at least this major version (PostgreSQL numbering: 12 means 12.0). */
    public boolean atLeast(int major) {
        return serverVersion == 0 || serverVersion >= major * 10_000;
    }
}
