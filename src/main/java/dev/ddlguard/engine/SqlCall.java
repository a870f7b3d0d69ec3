package dev.ddlguard.engine;

import java.sql.SQLException;

/** Sends SQL to the real driver: the caller's own method, with the SQL the guard decided on. */
@FunctionalInterface
public interface SqlCall<T> {
    T call(String sql) throws SQLException;
}
