package dev.ddlguard.ecosystem;

import dev.ddlguard.support.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** A fresh PostgreSQL schema per test, reached raw (to read back what happened) and through the guard's URL. */
final class Pg implements AutoCloseable {

    final String schema = "eco_" + Long.toHexString(System.nanoTime());
    final Connection admin = TestDatabases.postgres();

    /** {@code jdbc:ddlguard:postgresql://…} of the test server, with extra URL parameters (name=value). */
    static String guardedUrl(String... params) {
        StringBuilder url = new StringBuilder("jdbc:ddlguard:" + TestDatabases.PG_URL.substring("jdbc:".length()));
        for (String p : params) {
            url.append(url.indexOf("?") < 0 ? '?' : '&').append(p);
        }
        return url.toString();
    }

    void exec(String sql) throws SQLException {
        try (Statement st = admin.createStatement()) {
            st.execute(sql);
        }
    }

    String string(String sql) throws SQLException {
        try (Statement st = admin.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    long count(String sql) throws SQLException {
        return Long.parseLong(string(sql));
    }

    boolean tableExists(String table) throws SQLException {
        return count("SELECT count(*) FROM pg_tables WHERE schemaname = '" + schema + "' AND tablename = '" + table
                        + "'")
                == 1;
    }

    /** "true"/"false" for a valid/invalid index in the schema, null when there is none. */
    String indexValid(String index) throws SQLException {
        return string("SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '" + schema + "' AND c.relname = '"
                + index + "'");
    }

    @Override
    public void close() throws SQLException {
        try (admin) {
            exec("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}
