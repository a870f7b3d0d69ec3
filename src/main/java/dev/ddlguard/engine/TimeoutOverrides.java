package dev.ddlguard.engine;

import dev.ddlguard.dialect.Dialect;
import dev.ddlguard.dialect.SessionTimeout;
import dev.ddlguard.policy.Policy;
import dev.ddlguard.rules.Catalog;
import dev.ddlguard.rules.Finding;
import dev.ddlguard.rules.LockImpact;
import dev.ddlguard.rules.TimeoutOverrideRule;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.DdlStatement.Flag;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.Token;
import dev.ddlguard.sql.TokenKind;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Whether an earlier statement of the same string or batch replaced the timeouts the guard sets around a DDL
 * statement ({@link TimeoutOverrideRule}). Only a statement whose lock, or its wait for it, holds up reads or writes of a
 * table that existed before the run is judged: a wait of any other harms no one else. A value no longer than the guard's is a bound too.
 */
final class TimeoutOverrides {

    private TimeoutOverrides() {}

    /**
     * The finding, or null.
     *
     * @param newTables whether every table the statement locks is new (asked last: it may be a catalog question)
     */
    static Finding check(
            DdlStatement ddl,
            LockImpact lock,
            Catalog catalog,
            Dialect target,
            Policy policy,
            BooleanSupplier newTables) {
        // MySQL and MariaDB: every ALTER, online ones too, takes an exclusive metadata lock at its start and end, and
        // queued for it holds every query on the table behind it
        boolean queuesOthers =
                lock != null && (lock.blocksAnything() || target.syntax() == SqlSyntax.MYSQL && lock.mode() != null);
        if (!queuesOthers) {
            return null;
        }
        Optional<Duration> lockBound =
                ddl.has(Flag.CONCURRENTLY) ? policy.concurrentLockTimeout() : policy.lockTimeout();
        String detail = StatementJudge.join(
                replaced(target.lockTimeout(), lockBound, "ddlguard.lock-timeout", catalog, ddl),
                replaced(
                        target.statementTimeout(),
                        policy.statementTimeout(),
                        "ddlguard.statement-timeout",
                        catalog,
                        ddl));
        if (detail == null || newTables.getAsBoolean()) {
            return null;
        }
        return TimeoutOverrideRule.finding(ddl.summary() + " runs " + detail);
    }

    /**
     * MariaDB's {@code WAIT n} of ALTER TABLE, CREATE INDEX, DROP, RENAME and LOCK TABLES: the statement's own lock wait
     * in seconds (an outside tester's ALTER TABLE t WAIT 30 … waited 30 s, a reader queued behind it); NOWAIT is none.
     */
    private static String waitClause(DdlStatement statement) {
        String sql = statement.text().source();
        List<Token> code = statement.text().code(); // WAIT /**/ 30 waits 30 s too (a fifth round's)
        for (int i = 0; i + 1 < code.size(); i++) {
            if (code.get(i).isWord(sql, "WAIT") && code.get(i + 1).kind() == TokenKind.NUMBER) {
                return code.get(i + 1).text(sql);
            }
        }
        return null;
    }

    /**
     * What an earlier SET (or the statement's own WAIT) did to one of the guard's bounds, or null when it left it (or a
     * shorter one) in place.
     */
    private static String replaced(
            SessionTimeout setting, Optional<Duration> bound, String name, Catalog catalog, DdlStatement statement) {
        if (bound.isEmpty() || setting.name() == null) {
            return null; // the guard sets no bound here: there is none to replace
        }
        String given = catalog.settingGivenEarlier(setting.name());
        String wait = "lock_wait_timeout".equals(setting.name()) ? waitClause(statement) : null;
        given = wait != null ? wait : given; // the statement's own WAIT n wins over the session's value
        if (given == null) {
            return null;
        }
        Duration set = given.equals(Catalog.SET_TO_UNKNOWN) ? null : setting.duration(given);
        if (set != null && !set.isZero() && set.compareTo(bound.get()) <= 0) {
            return null;
        }
        String value = given.equals(Catalog.SET_TO_UNKNOWN)
                ? "a value the guard does not read (or back to the server's default)"
                : set == null
                        ? given + ", which the guard does not read as a duration"
                        : set.isZero() ? given + " (no bound)" : given;
        return (wait != null ? "with its WAIT " : "after a SET of " + setting.name() + " to ") + value
                + ", which replaces " + name + " (" + bound.get().toMillis() + " ms)";
    }
}
