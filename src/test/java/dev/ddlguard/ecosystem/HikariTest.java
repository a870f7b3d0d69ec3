package dev.ddlguard.ecosystem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ddlguard.BlockedStatementException;
import dev.ddlguard.DdlGuardDriver;
import dev.ddlguard.support.H2;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * HikariCP with {@code jdbcUrl} only (the guard found through DriverManager) and with
 * {@code driverClassName=dev.ddlguard.DdlGuardDriver}: a blocked statement (XDG01) does not evict the
 * connection, and a connection returned to the pool keeps no guard state.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HikariTest {

    private static HikariDataSource pool(String url, boolean driverClassName) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        if (driverClassName) {
            config.setDriverClassName(DdlGuardDriver.class.getName());
        }
        config.setMaximumPoolSize(1); // one physical connection: every borrow gets the same one back
        config.setConnectionTimeout(5_000);
        return new HikariDataSource(config);
    }

    @Test
    void h2JdbcUrlOnlyBlockedStatementDoesNotEvictTheConnection() throws SQLException {
        try (H2 h2 = new H2()) {
            h2.setup("CREATE TABLE orders (id int)");
            for (boolean byClassName : new boolean[] {false, true}) {
                try (HikariDataSource ds = pool(h2.guardedUrl(), byClassName)) {
                    Object physical;
                    try (Connection c = ds.getConnection()) {
                        physical = c.unwrap(org.h2.jdbc.JdbcConnection.class);
                        assertBlocked(c, "DROP TABLE orders");
                    }
                    try (Connection c = ds.getConnection()) {
                        assertThat(c.unwrap(org.h2.jdbc.JdbcConnection.class))
                                .as("same physical connection")
                                .isSameAs(physical);
                        exec(c, "CREATE TABLE t_" + byClassName + " (id int)");
                    }
                    assertThat(ds.getHikariPoolMXBean().getTotalConnections()).isEqualTo(1);
                }
                assertThat(h2.tableExists("orders")).isTrue();
                assertThat(h2.tableExists("t_" + byClassName)).isTrue();
            }
        }
    }

    @Test
    void postgresBlockedStatementKeepsTheConnectionAndReturnedConnectionsKeepNoGuardState() throws SQLException {
        for (boolean byClassName : new boolean[] {false, true}) {
            try (Pg db = new Pg();
                    HikariDataSource ds = pool(Pg.guardedUrl("ddlguard.lock-timeout=3s"), byClassName)) {
                db.exec("CREATE SCHEMA " + db.schema);
                db.exec("CREATE TABLE " + db.schema + ".orders (id int)");
                int pid;
                try (Connection c = ds.getConnection()) {
                    pid = pid(c);
                    exec(c, "SET lock_timeout = '7s'");
                    assertBlocked(c, "DROP TABLE " + db.schema + ".orders");
                }
                try (Connection c = ds.getConnection()) {
                    assertThat(pid(c))
                            .as("same backend: the blocked statement did not evict the connection")
                            .isEqualTo(pid);
                    assertThat(c.getAutoCommit()).isTrue();
                    assertThat(string(c, "SHOW lock_timeout")).isEqualTo("7s");
                    exec(
                            c,
                            "CREATE TABLE " + db.schema
                                    + ".notes (id int)"); // allowed; runs under ddlguard.lock-timeout=3s
                    assertThat(string(c, "SHOW lock_timeout")).isEqualTo("7s");
                    c.setAutoCommit(false);
                    exec(c, "ALTER TABLE " + db.schema + ".notes ADD COLUMN note text");
                    c.commit();
                    assertThat(c.getAutoCommit())
                            .as("autocommit as the caller left it")
                            .isFalse();
                    assertThat(string(c, "SHOW lock_timeout")).isEqualTo("7s");
                }
                try (Connection c = ds.getConnection()) {
                    assertThat(pid(c)).isEqualTo(pid);
                    assertThat(string(c, "SHOW lock_timeout"))
                            .as("returned to the pool with the session's own value")
                            .isEqualTo("7s");
                    assertThat(c.getAutoCommit())
                            .as("Hikari's default, as before")
                            .isTrue();
                }
                assertThat(ds.getHikariPoolMXBean().getTotalConnections()).isEqualTo(1);
                assertThat(db.tableExists("orders")).isTrue();
                assertThat(db.count("SELECT count(*) FROM information_schema.columns WHERE table_schema = '" + db.schema
                                + "' AND table_name = 'notes' AND column_name = 'note'"))
                        .isEqualTo(1);
            }
        }
    }

    private static void assertBlocked(Connection c, String sql) {
        assertThatThrownBy(() -> exec(c, sql))
                .isInstanceOf(BlockedStatementException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("XDG01"))
                .hasMessageContaining("[drop-table]");
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static String string(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static int pid(Connection c) throws SQLException {
        return Integer.parseInt(string(c, "SELECT pg_backend_pid()"));
    }
}
