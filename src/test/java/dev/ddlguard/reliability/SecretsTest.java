package dev.ddlguard.reliability;

import static dev.ddlguard.support.TestDatabases.MARIADB_URL;
import static dev.ddlguard.support.TestDatabases.PG_URL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ddlguard.BlockedStatementException;
import dev.ddlguard.support.H2;
import dev.ddlguard.support.LogCapture;
import dev.ddlguard.support.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 8: passwords in CREATE/ALTER USER/ROLE, whether the statement runs, fails (the database's
 * error may echo it) or is blocked, and credentials in URLs, appear in no log line and no audit
 * record. Every line logged by anything is captured and searched for the secret.
 */
class SecretsTest {

    /** What the statement does: runs, fails on the server, or is blocked by the guard. */
    enum Fate {
        OK,
        ERROR,
        BLOCKED
    }

    static Stream<Arguments> h2() {
        return Stream.of(
                Arguments.of(Fate.OK, "CREATE USER sec_u PASSWORD 'SECRET'"),
                Arguments.of(Fate.OK, "create user sec_u password 'SECRET' ADMIN"),
                Arguments.of(Fate.OK, "CREATE USER IF NOT EXISTS sec_u PASSWORD 'SECRET'"),
                Arguments.of(Fate.OK, "CREATE USER sec_u PASSWORD 'x'; ALTER USER sec_u SET PASSWORD 'SECRET'"),
                Arguments.of(Fate.OK, "CREATE USER sec_u PASSWORD /* c */ 'SECRET'"),
                Arguments.of(Fate.ERROR, "CREATE USER sec_u PASSWORD 'x'; CREATE USER sec_u PASSWORD 'SECRET'"),
                Arguments.of(Fate.ERROR, "ALTER USER no_such_user SET PASSWORD 'SECRET'"),
                Arguments.of(Fate.ERROR, "CREATE USER sec_u PASSWORD 'SECRET' BOGUS"),
                Arguments.of(Fate.BLOCKED, "CREATE USER sec_u PASSWORD 'SECRET'; DROP TABLE orders"));
    }

    @ParameterizedTest
    @MethodSource("h2")
    void h2Passwords(Fate fate, String template) throws SQLException {
        String secret = "s3cr3t-h2-" + Long.toHexString(System.nanoTime());
        try (H2 db = new H2()) {
            db.setup("CREATE TABLE orders(id INT)");
            try (LogCapture log = LogCapture.start();
                    Connection g = db.guarded();
                    Statement st = g.createStatement()) {
                runAndCheck(fate, () -> st.execute(template.replace("SECRET", secret)), log, secret);
            }
        }
    }

    static Stream<Arguments> postgres() {
        return Stream.of(
                Arguments.of(Fate.OK, "CREATE ROLE ROLE PASSWORD 'SECRET'"),
                Arguments.of(Fate.OK, "CREATE ROLE ROLE WITH LOGIN ENCRYPTED PASSWORD 'SECRET'"),
                Arguments.of(Fate.OK, "CREATE USER ROLE WITH PASSWORD 'SECRET' VALID UNTIL 'infinity'"),
                Arguments.of(Fate.OK, "CREATE ROLE ROLE; ALTER ROLE ROLE WITH PASSWORD 'SECRET'"),
                Arguments.of(Fate.OK, "CREATE ROLE ROLE; ALTER USER ROLE ENCRYPTED PASSWORD E'SECRET'"),
                Arguments.of(Fate.OK, "CREATE ROLE ROLE PASSWORD $$SECRET$$"),
                Arguments.of(Fate.ERROR, "CREATE ROLE ROLE; CREATE ROLE ROLE PASSWORD 'SECRET'"),
                Arguments.of(Fate.ERROR, "CREATE ROLE ROLE PASSWORD 'SECRET' BOGUS"),
                Arguments.of(Fate.ERROR, "ALTER ROLE ROLE PASSWORD 'SECRET'"),
                Arguments.of(Fate.BLOCKED, "CREATE ROLE ROLE PASSWORD 'SECRET'; TRUNCATE pg_nothing"));
    }

    @ParameterizedTest
    @MethodSource("postgres")
    void postgresPasswords(Fate fate, String template) throws SQLException {
        String secret = "s3cr3t-pg-" + Long.toHexString(System.nanoTime());
        String role = "sec_r_" + Long.toHexString(System.nanoTime());
        try (Connection admin = TestDatabases.postgres()) {
            try (LogCapture log = LogCapture.start();
                    Connection g = TestDatabases.guarded(PG_URL);
                    Statement st = g.createStatement()) {
                runAndCheck(
                        fate,
                        () -> st.execute(template.replace("SECRET", secret)
                                .replace("ROLE ROLE", "ROLE " + role)
                                .replace("USER ROLE", "USER " + role)),
                        log,
                        secret);
            } finally {
                BypassSuiteTest.exec(admin, "DROP ROLE IF EXISTS " + role);
            }
        }
    }

    static Stream<Arguments> mariadb() {
        return Stream.of(
                Arguments.of(Fate.OK, "CREATE USER USR IDENTIFIED BY 'SECRET'"),
                Arguments.of(Fate.OK, "CREATE USER USR IDENTIFIED VIA mysql_native_password USING PASSWORD('SECRET')"),
                Arguments.of(Fate.OK, "CREATE USER USR IDENTIFIED BY 'x'; ALTER USER USR IDENTIFIED BY 'SECRET'"),
                Arguments.of(Fate.OK, "CREATE OR REPLACE USER USR IDENTIFIED BY 'SECRET'"),
                // disable-login's message names the account: never what follows it
                Arguments.of(
                        Fate.OK,
                        "CREATE USER USR IDENTIFIED BY 'x'; ALTER USER USR IDENTIFIED BY 'SECRET' ACCOUNT LOCK"),
                Arguments.of(Fate.OK, "create user if not exists USR identified by \"SECRET\""),
                Arguments.of(Fate.ERROR, "ALTER USER USR IDENTIFIED BY 'SECRET'"),
                Arguments.of(Fate.ERROR, "CREATE USER USR BOGUS IDENTIFIED BY 'SECRET'"),
                Arguments.of(Fate.ERROR, "CREATE USER USR IDENTIFIED VIA no_such_plugin USING PASSWORD('SECRET')"),
                Arguments.of(Fate.BLOCKED, "CREATE USER USR IDENTIFIED BY 'SECRET'; TRUNCATE nothing_here"));
    }

    @ParameterizedTest
    @MethodSource("mariadb")
    void mariadbPasswords(Fate fate, String template) throws SQLException {
        String secret = "s3cr3t-my-" + Long.toHexString(System.nanoTime());
        String user = "'sec_u_" + Long.toHexString(System.nanoTime()) + "'@'localhost'";
        try (Connection admin = TestDatabases.mariadb()) {
            String url = MARIADB_URL + (MARIADB_URL.contains("?") ? "&" : "?") + "allowMultiQueries=true";
            try (LogCapture log = LogCapture.start();
                    Connection g = TestDatabases.guarded(url);
                    Statement st = g.createStatement()) {
                runAndCheck(
                        fate,
                        () -> st.execute(template.replace("SECRET", secret).replace("USR", user)),
                        log,
                        secret);
            } finally {
                BypassSuiteTest.exec(admin, "DROP USER IF EXISTS " + user);
            }
        }
    }

    /**
     * Passwords that follow no PASSWORD key word, on the server each is for: a subscription's conninfo (created
     * without connecting), an H2 linked table's password, a table's CONNECTION URL (MariaDB keeps it on any engine;
     * without the FEDERATED engine loaded the server refuses that one).
     */
    @Test
    void postgresSubscriptionConnectionStrings() throws SQLException {
        String secret = "s3cr3t-conn-" + Long.toHexString(System.nanoTime());
        String sub = "sec_sub_" + Long.toHexString(System.nanoTime());
        try (Connection admin = TestDatabases.postgres();
                LogCapture log = LogCapture.start();
                Connection g = TestDatabases.guarded(PG_URL);
                Statement st = g.createStatement()) {
            try {
                runAndCheck(
                        Fate.OK,
                        () -> st.execute("CREATE SUBSCRIPTION " + sub
                                + " CONNECTION 'host=127.0.0.1 dbname=test password=" + secret + "' PUBLICATION nothing"
                                + " WITH (connect = false)"),
                        log,
                        secret);
                runAndCheck(
                        Fate.OK,
                        () -> st.execute("ALTER SUBSCRIPTION " + sub + " CONNECTION 'postgresql://postgres:" + secret
                                + "@127.0.0.1/test'"),
                        log,
                        secret);
            } finally {
                BypassSuiteTest.exec(admin, "ALTER SUBSCRIPTION " + sub + " SET (slot_name = NONE)");
                BypassSuiteTest.exec(admin, "DROP SUBSCRIPTION IF EXISTS " + sub);
            }
        }
    }

    @Test
    void h2LinkedTablePassword() throws SQLException {
        String secret = "s3cr3t-link-" + Long.toHexString(System.nanoTime());
        try (H2 db = new H2();
                Connection source =
                        DriverManager.getConnection("jdbc:h2:mem:sec_linked;DB_CLOSE_DELAY=-1", "sa", secret)) {
            BypassSuiteTest.exec(source, "CREATE TABLE t (id INT)");
            try (LogCapture log = LogCapture.start();
                    Connection g = db.guarded();
                    Statement st = g.createStatement()) {
                runAndCheck(
                        Fate.OK,
                        () -> st.execute("CREATE LINKED TABLE l('org.h2.Driver', 'jdbc:h2:mem:sec_linked'," + " 'sa', '"
                                + secret + "', 'T')"),
                        log,
                        secret);
            } finally {
                BypassSuiteTest.exec(source, "SHUTDOWN");
            }
        }
    }

    @Test
    void mariadbTableConnectionUrl() throws SQLException {
        String secret = "s3cr3t-fed-" + Long.toHexString(System.nanoTime());
        String table = "sec_fed_" + Long.toHexString(System.nanoTime());
        try (Connection admin = TestDatabases.mariadb();
                LogCapture log = LogCapture.start();
                Connection g = TestDatabases.guarded(MARIADB_URL);
                Statement st = g.createStatement()) {
            try {
                runAndCheck(
                        Fate.OK,
                        () -> st.execute("CREATE TABLE " + table + " (id INT) CONNECTION='mysql://app:" + secret
                                + "@127.0.0.1:3306/test/t'"),
                        log,
                        secret);
                runAndCheck(
                        Fate.ERROR,
                        () -> st.execute("CREATE TABLE " + table + "_f (id INT) ENGINE=FEDERATED"
                                + " CONNECTION 'mysql://app:" + secret + "@127.0.0.1:3306/test/t'"),
                        log,
                        secret);
            } finally {
                BypassSuiteTest.exec(admin, "DROP TABLE IF EXISTS " + table);
            }
        }
    }

    @Test
    void urlCredentialsAreNeverLogged() throws SQLException {
        TestDatabases.postgres().close(); // skips (or fails under CI) when PostgreSQL is down
        String secret = "s3cr3t-url";
        String base = PG_URL.substring("jdbc:".length());
        String url = "jdbc:ddlguard:" + base + (base.contains("?") ? "&" : "?") + "password=" + secret;
        try (LogCapture log = LogCapture.start()) {
            try (Connection g = DriverManager.getConnection(url);
                    Statement st = g.createStatement()) {
                st.execute("CREATE TABLE sec_url_t (id int)");
                st.execute("DROP TABLE /* ddlguard:allow drop-table test cleanup */ sec_url_t");
                assertThatThrownBy(() -> st.execute("DROP TABLE pg_nothing"))
                        .isInstanceOf(BlockedStatementException.class);
            }
            // a connection that fails: the URL must not be echoed into a log line either
            String bad = url.replaceFirst("(//[^/]+/)[^?]+", "$1no_such_db_ddlguard");
            assertThatThrownBy(() -> DriverManager.getConnection(bad)).isInstanceOf(SQLException.class);
            assertThat(log.audit()).hasSize(3);
            assertThat(notTheRealDriver(log.everything())).doesNotContain(secret);
        }
    }

    interface Action {
        void run() throws SQLException;
    }

    static void runAndCheck(Fate fate, Action action, LogCapture log, String secret) throws SQLException {
        switch (fate) {
            case OK -> action.run();
            case ERROR ->
                assertThatThrownBy(action::run)
                        .isInstanceOf(SQLException.class)
                        .isNotInstanceOf(BlockedStatementException.class);
            case BLOCKED -> assertThatThrownBy(action::run).isInstanceOf(BlockedStatementException.class);
        }
        assertThat(log.audit()).as("the statement was judged").isNotEmpty();
        assertThat(log.audit())
                .as("audit records")
                .allSatisfy(r -> assertThat(r.toString()).doesNotContain(secret));
        assertThat(notTheRealDriver(log.everything()))
                .as("every log line and audit record")
                .doesNotContain(secret);
    }

    /**
     * All captured lines except those of MariaDB Connector/J's own logger
     * {@code org.mariadb.jdbc.message.server.ErrorPacket}, which logs the server's error text itself
     * (a 1064 syntax error echoes the statement from the error point on, password included) before
     * the guard ever sees the exception: out of the guard's reach; applications silence it with that
     * logger's level. Reported in issue 8.
     */
    static String notTheRealDriver(String everything) {
        StringBuilder kept = new StringBuilder();
        boolean skipping = false;
        for (String line : everything.split("\n")) {
            if (line.startsWith("org.mariadb.jdbc.message.server.ErrorPacket ")) {
                skipping = true;
            } else if (line.matches("^[a-zA-Z_$][\\w.$]* .*")) {
                skipping = false;
            }
            if (!skipping) {
                kept.append(line).append('\n');
            }
        }
        return kept.toString();
    }
}
