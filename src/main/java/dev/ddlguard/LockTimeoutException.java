package dev.ddlguard;

import java.sql.SQLException;

/**
 * The database gave up waiting for a lock within {@code ddlguard.lock-timeout}, after the guard's
 * retries. It keeps the database's SQLState and error code (PostgreSQL 55P03, MySQL 1205, H2 50200)
 * and has the database's exception as its cause; the message adds what a person needs: how long it
 * waited, how often, and which sessions held the lock.
 */
public final class LockTimeoutException extends SQLException {
    private static final long serialVersionUID = 1L;

    private final int attempts;

    public LockTimeoutException(String message, SQLException database, int attempts) {
        super(message, database.getSQLState(), database.getErrorCode(), database);
        this.attempts = attempts;
    }

    /** How many times the statement was sent. */
    public int attempts() {
        return attempts;
    }
}
