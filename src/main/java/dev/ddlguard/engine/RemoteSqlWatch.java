package dev.ddlguard.engine;

import dev.ddlguard.dialect.Dialect;
import dev.ddlguard.sql.RemoteSqlCalls;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.Verb;
import java.sql.Connection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * PostgreSQL's dblink and xml2 run SQL they are given on another connection: once the database has them, any
 * statement that may call them is judged whole. Asked when the connection opens; looked for again when a string may
 * call them on a connection that found none: an outside tester's dblink_exec('…', 'DROP TABLE d1') ran unrecorded on a
 * pooled connection opened before another session installed dblink.
 */
final class RemoteSqlWatch {

    /**
     * The databases (their identity: URL without parameters) where a connection of this JVM found dblink, or saw it
     * being installed: every guard of that database then looks for calls to it.
     */
    private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();

    private final Connection raw;
    private final Dialect connected;
    private final boolean asks;
    private final String database;
    /** Whether this database has dblink or xml2. */
    private volatile boolean here;

    /** @param database the database's identity, or null (unknown: only this connection's answer counts) */
    RemoteSqlWatch(Connection raw, Dialect connected, boolean targetIsConnected, String database) {
        this.raw = raw;
        this.connected = connected;
        this.asks = targetIsConnected;
        this.database = database;
        this.here = targetIsConnected && connected.hasRemoteSql(raw);
        remember();
    }

    /** Whether statements that may call them are judged whole. */
    boolean known() {
        return here || (database != null && SEEN.contains(database));
    }

    private void remember() {
        if (here && database != null) {
            SEEN.add(database);
        }
    }

    /**
     * Whether a string the pre-filter passed, on a connection where they are not {@link #known}, may call them after
     * all: one that names them asks the database again (a string naming dblink is rare: one catalog question each).
     */
    boolean installedSince(String sql, SqlSyntax syntax) {
        if (!asks || syntax != SqlSyntax.POSTGRESQL || !RemoteSqlCalls.mayCallAnExtension(sql)) {
            return false;
        }
        here = connected.hasRemoteSql(raw);
        remember();
        return here;
    }

    /** After a judgement: CREATE EXTENSION dblink, or a function bound to its library, makes them callable from now on. */
    void judged(Judgement j) {
        if (j == null || here) {
            return;
        }
        for (JudgedStatement s : j.statements()) {
            if (s.executed() != null
                    && s.executed().verb() == Verb.CREATE
                    && s.sql() != null
                    && RemoteSqlCalls.mayInstall(s.sql())) {
                here = true;
                remember();
                return;
            }
        }
    }
}
