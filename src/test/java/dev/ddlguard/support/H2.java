package dev.ddlguard.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/** A fresh in-memory H2 database per test, reachable both guarded and raw (to check what really happened). */
public final class H2 implements AutoCloseable {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final String name;
    private final Connection keepAlive;

    public H2() throws SQLException {
        name = "t" + COUNTER.incrementAndGet();
        keepAlive = DriverManager.getConnection(rawUrl());
    }

    public String rawUrl() {
        return "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1";
    }

    public String guardedUrl() {
        return "jdbc:ddlguard:h2:mem:" + name + ";DB_CLOSE_DELAY=-1";
    }

    public Connection guarded(String... settings) throws SQLException {
        Properties p = new Properties();
        for (int i = 0; i < settings.length; i += 2) {
            p.setProperty(settings[i], settings[i + 1]);
        }
        return DriverManager.getConnection(guardedUrl(), p);
    }

    public Connection raw() throws SQLException {
        return DriverManager.getConnection(rawUrl());
    }

    /** Runs SQL on an unguarded connection: test setup that must not be judged. */
    public void setup(String... sql) throws SQLException {
        try (Connection c = raw();
                Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    public boolean tableExists(String table) throws SQLException {
        return count("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = '" + table.toUpperCase() + "'")
                == 1;
    }

    public boolean columnExists(String table, String column) throws SQLException {
        return count("SELECT COUNT(*) FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = '" + table.toUpperCase()
                        + "' AND COLUMN_NAME = '" + column.toUpperCase() + "'")
                == 1;
    }

    public boolean indexExists(String index) throws SQLException {
        return count("SELECT COUNT(*) FROM INFORMATION_SCHEMA.INDEXES WHERE INDEX_NAME = '" + index.toUpperCase() + "'")
                == 1;
    }

    public long count(String sql) throws SQLException {
        try (Connection c = raw();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() throws SQLException {
        try (Statement st = keepAlive.createStatement()) {
            st.execute("SHUTDOWN");
        } finally {
            keepAlive.close();
        }
    }
}
