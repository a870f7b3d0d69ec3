package dev.ddlguard.engine;

/**
 * The lock and statement timeouts the guard sets on the session around a run of DDL, set again before
 * every attempt and restored after the last.
 */
record SessionTimeouts(SessionTimeoutScope lock, StatementTimeoutScope statement) {

    /** Sets both on the session, before an attempt. */
    void set() {
        lock.set();
        statement.set();
    }

    /**
     * Restores both session settings; when the statement already failed, a failure to restore (the connection
     * is gone) must not replace the statement's own failure, nor skip its audit record.
     */
    void restore(Throwable failure) {
        closeQuietly(statement::close, failure);
        closeQuietly(lock::close, failure);
    }

    private static void closeQuietly(Runnable close, Throwable failure) {
        if (failure == null) {
            close.run();
            return;
        }
        try {
            close.run();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }
}
