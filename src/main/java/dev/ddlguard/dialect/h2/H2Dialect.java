package dev.ddlguard.dialect.h2;

import dev.ddlguard.dialect.Dialect;
import dev.ddlguard.dialect.SessionTimeout;
import dev.ddlguard.rules.Catalog;
import dev.ddlguard.sql.SqlSyntax;
import java.sql.Connection;
import java.sql.SQLException;

/** H2, the embedded default: no rule pack or lock model of its own, so only the generic ones apply. */
public final class H2Dialect implements Dialect {

    private static final SessionTimeout LOCK_TIMEOUT = SessionTimeout.of(
            "lock_timeout",
            SessionTimeout::milliseconds, // H2 has no units; a SET LOCK_TIMEOUT without = is not read
            "SELECT LOCK_TIMEOUT()",
            t -> "SET LOCK_TIMEOUT " + t.toMillis(),
            previous -> "SET LOCK_TIMEOUT " + Long.parseLong(previous));

    /** H2's ErrorCode.LOCK_TIMEOUT_1: "Timeout trying to lock table". */
    private static final int LOCK_TIMEOUT_ERROR = 50200;

    @Override
    public String name() {
        return "h2";
    }

    @Override
    public SqlSyntax syntax() {
        return SqlSyntax.ANSI;
    }

    @Override
    public Catalog catalog(Connection connection) {
        return new H2Catalog(connection);
    }

    @Override
    public SessionTimeout lockTimeout() {
        return LOCK_TIMEOUT;
    }

    @Override
    public boolean isLockTimeout(SQLException e) {
        return e.getErrorCode() == LOCK_TIMEOUT_ERROR;
    }

    /** H2 has no session statement timeout that bounds DDL: the guard uses the JDBC query timeout (57014 when it fires). */
    @Override
    public boolean isStatementTimeout(SQLException e) {
        return e.getErrorCode() == 57014;
    }

    /** 40001 DEADLOCK_1. */
    @Override
    public boolean isDeadlock(SQLException e) {
        return e.getErrorCode() == 40001;
    }
}
