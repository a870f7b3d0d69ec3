package dev.ddlguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ddlguard.support.H2;
import dev.ddlguard.support.LogCapture;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The driver as DriverManager, pools and frameworks see it. */
class DriverTest {

    private H2 db;

    @BeforeEach
    void setUp() throws SQLException {
        db = new H2();
        db.setup("CREATE TABLE orders(id INT)");
    }

    @AfterEach
    void tearDown() throws SQLException {
        db.close();
    }

    @Test
    void isFoundThroughDriverManagerForItsUrlsOnly() throws SQLException {
        Driver driver = DriverManager.getDriver("jdbc:ddlguard:h2:mem:x");
        assertThat(driver).isInstanceOf(DdlGuardDriver.class);
        assertThat(driver.acceptsURL("jdbc:ddlguard:postgresql://db/app")).isTrue();
        assertThat(driver.acceptsURL("jdbc:postgresql://db/app")).isFalse();
        assertThat(driver.acceptsURL("jdbc:h2:mem:x")).isFalse();
        assertThat(driver.acceptsURL(null)).isFalse();
        assertThat(driver.connect("jdbc:h2:mem:x", new Properties()))
                .as("JDBC: null for foreign URLs")
                .isNull();
    }

    @Test
    void isRegisteredInServiceLoaderFile() {
        assertThat(java.util.ServiceLoader.load(Driver.class).stream()
                        .map(p -> p.type().getName()))
                .contains(DdlGuardDriver.class.getName());
    }

    @Test
    void returnsAGuardedConnectionToTheRealDatabase() throws SQLException {
        try (Connection c = db.guarded()) {
            assertThat(c.getMetaData().getDatabaseProductName()).isEqualTo("H2");
            assertThat(c.isWrapperFor(org.h2.jdbc.JdbcConnection.class)).isTrue();
            assertThatThrownBy(() -> c.createStatement().execute("DROP TABLE orders"))
                    .isInstanceOf(BlockedStatementException.class);
        }
    }

    @Test
    void settingsAreStrippedBeforeTheRealDriverSeesThem() throws SQLException {
        // H2 rejects settings it does not know, in the URL and in Properties alike: reaching H2 proves they were
        // removed.
        Properties p = new Properties();
        p.setProperty("ddlguard.mode", "audit");
        try (Connection c = DriverManager.getConnection(db.guardedUrl() + ";ddlguard.lock-timeout=2s", p)) {
            c.createStatement().execute("DROP TABLE orders"); // audit mode: runs
        }
        assertThat(db.tableExists("orders")).isFalse();
    }

    @Test
    void upperCaseSettingsAreAppliedAndNeverReachTheRealDriver() throws SQLException {
        // H2 would refuse DDLGUARD.MODE as an unknown setting of its own, in the URL and in Properties.
        Properties p = new Properties();
        p.setProperty("DDLGUARD.LOCK-TIMEOUT", "2s");
        try (LogCapture log = LogCapture.start();
                Connection c = DriverManager.getConnection(db.guardedUrl() + ";DDLGUARD.MODE=audit", p)) {
            c.createStatement().execute("DROP TABLE orders"); // audit mode: runs
            assertThat(log.onlyAudit().get("decision").asText()).isEqualTo("audited");
        }
        assertThat(db.tableExists("orders")).isFalse();
    }

    @Test
    void oneSettingSpelledTwiceInPropertiesWithDifferentValuesFailsTheConnection() {
        Properties p = new Properties();
        p.setProperty("ddlguard.mode", "audit");
        p.setProperty("DDLGUARD.MODE", "enforce");
        assertThatThrownBy(() -> DriverManager.getConnection(db.guardedUrl(), p))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("ddlguard.mode is set twice")
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("XDG02"));
    }

    @Test
    void anUnknownSettingFailsTheConnectionWithAClearMessage() {
        assertThatThrownBy(() -> DriverManager.getConnection(db.guardedUrl() + ";ddlguard.moed=audit"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("unknown setting 'ddlguard.moed'")
                .hasMessageContaining("ddlguard.mode")
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("XDG02"));
        Properties p = new Properties();
        p.setProperty("ddlguard.rule.drop-tabel", "warn");
        assertThatThrownBy(() -> DriverManager.getConnection(db.guardedUrl(), p))
                .hasMessageContaining("unknown rule 'drop-tabel'");
    }

    @Test
    void aValueOutOfRangeFailsTheConnection() {
        assertThatThrownBy(() -> DriverManager.getConnection(db.guardedUrl() + ";ddlguard.lock-timeout=5"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("ddlguard.lock-timeout")
                .hasMessageContaining("allowed:");
        assertThatThrownBy(() -> DriverManager.getConnection(db.guardedUrl() + ";ddlguard.mode=strict"))
                .hasMessageContaining("enforce | audit | off");
    }

    @Test
    void anUnknownSpellingIsNamedWithoutTheCredentialsAndTheSupportedOnesListed() {
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:ddlguard:nosuchdb://user:secret@host/db"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("unknown database spelling jdbc:ddlguard:nosuchdb:")
                .hasMessageContaining(
                        "jdbc:ddlguard:postgresql://…, jdbc:ddlguard:mysql://…, jdbc:ddlguard:mariadb://…, jdbc:ddlguard:h2:…")
                .hasMessageNotContaining("secret");
    }

    @Test
    void aMisspeltPostgresUrlSaysSoAlthoughPgjdbcIsThere() throws SQLException {
        assertThat(DriverManager.getDriver("jdbc:postgresql://127.0.0.1/x")).isNotNull(); // pgjdbc is on the classpath
        assertThatThrownBy(() ->
                        DriverManager.getConnection("jdbc:ddlguard:postgres://127.0.0.1/x?user=u&password=secret"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("unknown database spelling jdbc:ddlguard:postgres:")
                .hasMessageContaining("did you mean jdbc:ddlguard:postgresql:?")
                .hasMessageNotContaining("no JDBC driver for jdbc:postgres: on the classpath (the real driver")
                .hasMessageNotContaining("secret");
    }

    @Test
    void jdbcWrittenTwiceGetsAHint() {
        assertThatThrownBy(() ->
                        DriverManager.getConnection("jdbc:ddlguard:jdbc:postgresql://127.0.0.1/x?password=secret"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("write jdbc:ddlguard:postgresql:…, not jdbc:ddlguard:jdbc:postgresql:…")
                .hasMessageNotContaining("secret");
    }

    @Test
    void mysqlWithOnlyTheMariaDbDriverPointsToPermitMysqlScheme() throws SQLException {
        // the test classpath has MariaDB Connector/J 3 and no MySQL Connector/J
        assertThat(DriverManager.getDriver("jdbc:mariadb://127.0.0.1/x")).isNotNull();
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:ddlguard:mysql://127.0.0.1/x?password=secret"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("only MariaDB Connector/J is there")
                .hasMessageContaining("permitMysqlScheme")
                .hasMessageContaining("jdbc:ddlguard:mariadb://")
                .hasMessageNotContaining("secret");
    }

    @Test
    void aSupportedSpellingWithoutItsDriverSaysTheDriverIsMissing() {
        assertThat(dev.ddlguard.driver.MissingDriverMessage.of("jdbc:postgresql://h/db"))
                .startsWith("ddlguard: no JDBC driver for jdbc:postgresql: on the classpath");
    }

    @Test
    void aUrlWrappingItselfIsRefused() {
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:ddlguard:ddlguard:h2:mem:x"))
                .hasMessageContaining("wraps itself");
    }

    @Test
    void offModeHandsOutTheRealConnection() throws SQLException {
        try (LogCapture log = LogCapture.start();
                Connection c = db.guarded("ddlguard.mode", "off")) {
            assertThat(c).isInstanceOf(org.h2.jdbc.JdbcConnection.class);
            c.createStatement().execute("DROP TABLE orders");
            assertThat(log.audit()).isEmpty();
        }
        assertThat(db.tableExists("orders")).isFalse();
    }

    @Test
    void propertyInfoListsTheRealDriversAndOurSettings() throws SQLException {
        DriverPropertyInfo[] info = new DdlGuardDriver().getPropertyInfo(db.guardedUrl(), new Properties());
        assertThat(Arrays.stream(info).map(i -> i.name)).contains("ddlguard.mode", "ddlguard.lock-timeout");
        DriverPropertyInfo mode = Arrays.stream(info)
                .filter(i -> i.name.equals("ddlguard.mode"))
                .findFirst()
                .orElseThrow();
        assertThat(mode.value).isEqualTo("enforce");
        assertThat(mode.description).contains("audit");
    }

    @Test
    void versionComplianceAndLogger() {
        DdlGuardDriver driver = new DdlGuardDriver();
        assertThat(driver.getMajorVersion()).isEqualTo(Version.MAJOR);
        assertThat(driver.getMinorVersion()).isEqualTo(Version.MINOR);
        assertThat(driver.jdbcCompliant()).isFalse();
        assertThatThrownBy(driver::getParentLogger).isInstanceOf(SQLFeatureNotSupportedException.class);
    }

    @Test
    void wrappedDataSourceGuardsEveryConnection() throws SQLException {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(db.rawUrl());
        DataSource guarded = DdlGuard.wrap(h2, Map.of("ddlguard.lock-timeout", "1s"));
        for (int i = 0; i < 2; i++) {
            try (Connection c = guarded.getConnection();
                    Statement st = c.createStatement()) {
                assertThatThrownBy(() -> st.execute("DROP TABLE orders")).isInstanceOf(BlockedStatementException.class);
            }
        }
        assertThat(db.tableExists("orders")).isTrue();
        assertThat(guarded.isWrapperFor(JdbcDataSource.class)).isTrue();
        assertThat(guarded.unwrap(JdbcDataSource.class)).isSameAs(h2);
    }

    @Test
    void wrappingADataSourceWithABadSettingFailsAtOnce() {
        assertThatThrownBy(() -> DdlGuard.wrap(new JdbcDataSource(), Map.of("ddlguard.mode", "loud")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ddlguard.mode");
    }
}
