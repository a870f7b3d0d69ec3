package dev.ddlguard.engine;

import dev.ddlguard.dialect.Dialect;
import dev.ddlguard.policy.Policy;
import java.sql.Connection;

/**
 * What the parts of one connection's guard share: the driver's own connection, the dialect connected to
 * and the one judged as, the policy, the connection's catalog cache and its transaction watch, and for the
 * audit records the database ({@code product version}) and the user.
 */
record GuardedSession(
        Connection raw,
        Dialect connected,
        Dialect target,
        Policy policy,
        LiveCatalog catalog,
        TransactionWatch transactions,
        String db,
        String user) {}
