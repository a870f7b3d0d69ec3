package dev.ddlguard.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ddlguard.DdlGuard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import net.ttddyy.dsproxy.proxy.ProxyJdbcObject;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 8: a bad {@code ddlguard.*} setting fails the connection with a clear message (XDG02, naming
 * the setting); {@code ddlguard.*} settings never reach the real driver (a recording driver, test-only,
 * sees what it is handed); no setting can name a class to load.
 */
class SettingsSecurityTest {

    /** What the real driver was handed: its URL and Properties. */
    record Call(String url, Properties info) {}

    /**
     * A test-only real driver under {@code jdbc:recording:}: records what it receives, then hands out
     * an in-memory H2 connection so the guard has a database to talk to. Shared mutable state:
     * the list of calls, thread-safe, read by the tests of this class only.
     */
    static final class RecordingDriver implements Driver {
        final List<Call> calls = new CopyOnWriteArrayList<>();

        @Override
        public Connection connect(String url, Properties info) throws SQLException {
            if (!acceptsURL(url)) {
                return null;
            }
            Properties copy = new Properties();
            if (info != null) {
                copy.putAll(info);
            }
            calls.add(new Call(url, copy));
            return DriverManager.getConnection("jdbc:h2:mem:recording;DB_CLOSE_DELAY=-1");
        }

        @Override
        public boolean acceptsURL(String url) {
            return url != null && url.startsWith("jdbc:recording:");
        }

        @Override
        public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
            return new DriverPropertyInfo[0];
        }

        @Override
        public int getMajorVersion() {
            return 1;
        }

        @Override
        public int getMinorVersion() {
            return 0;
        }

        @Override
        public boolean jdbcCompliant() {
            return false;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }
    }

    private static final RecordingDriver RECORDING = new RecordingDriver();

    @BeforeAll
    static void register() throws SQLException {
        DriverManager.registerDriver(RECORDING);
    }

    @AfterAll
    static void deregister() throws SQLException {
        DriverManager.deregisterDriver(RECORDING);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "jdbc:ddlguard:recording:db?ddlguard.mode=audit&keep=1",
                "jdbc:ddlguard:recording:db?keep=1&ddlguard.mode=audit&ddlguard.lock-timeout=2s",
                "jdbc:ddlguard:recording:db?ddlguard.rule.drop-table=warn",
                "jdbc:ddlguard:recording:db;ddlguard.mode=audit;keep=1",
                "jdbc:ddlguard:recording:db;keep=1;ddlguard.target=postgresql?ddlguard.mode=audit",
                "jdbc:ddlguard:recording:db?ddlguard%2Emode=audit",
                "jdbc:ddlguard:recording:db?DDLGUARD.MODE=audit&keep=1",
                "jdbc:ddlguard:recording:db;DDLGUARD.MODE=audit;keep=1",
                "jdbc:ddlguard:recording:db;keep=1;DdlGuard.Target=postgresql",
            })
    void ddlguardSettingsNeverReachTheRealDriver(String url) throws SQLException {
        RECORDING.calls.clear();
        Properties p = new Properties();
        p.setProperty("ddlguard.small-table", "10MB");
        p.setProperty("user", "sa");
        try (Connection c = DriverManager.getConnection(url, p);
                Statement st = c.createStatement()) {
            st.execute("SELECT 1");
        }
        assertThat(RECORDING.calls).hasSize(1);
        Call call = RECORDING.calls.get(0);
        assertThat(call.url().toLowerCase()).startsWith("jdbc:recording:db").doesNotContain("ddlguard");
        assertThat(call.info().stringPropertyNames())
                .noneMatch(k -> k.toLowerCase().startsWith("ddlguard"));
        assertThat(call.info().getProperty("user"))
                .as("the real driver's own settings are kept")
                .isEqualTo("sa");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "ddlguard.mode         | enforced",
                "ddlguard.mode         | com.evil.Cls",
                "ddlguard.mode         | ''",
                "ddlguard.target       | oracle",
                "ddlguard.target       | java.lang.Runtime",
                "ddlguard.lock-timeout | 5 parsecs",
                "ddlguard.lock-timeout | -1s",
                "ddlguard.lock-timeout.retries | 1000",
                "ddlguard.lock-timeout.retries | three",
                "ddlguard.small-table  | huge",
                "ddlguard.throughput   | fast",
                "ddlguard.rule.drop-table | ignore",
                "ddlguard.rule.drop-table | com.evil.Rule",
                "ddlguard.rule.no-such-rule | block",
                "ddlguard.listener     | com.evil.Listener",
                "ddlguard.audit-appender | com.evil.Appender",
                "ddlguard.rules.class  | com.evil.Rules",
                "ddlguard.modes        | audit",
                "ddlguard.             | audit",
                "ddlguard.config       | /no/such/file.properties",
            })
    void badSettingsFailTheConnectionAndNameTheSetting(String key, String value) {
        RECORDING.calls.clear();
        Properties p = new Properties();
        p.setProperty(key, value);
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:ddlguard:recording:db", p)
                        .close())
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("XDG02"))
                .hasMessageContaining(key.equals("ddlguard.") ? "ddlguard." : key);
        assertThat(RECORDING.calls)
                .as("no connection opened to the real database")
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "jdbc:ddlguard:recording:db?ddlguard.mode=com.evil.Cls",
                "jdbc:ddlguard:recording:db?ddlguard.listener=com.evil.Listener",
                "jdbc:ddlguard:recording:db;ddlguard.target=Xyz",
                "jdbc:ddlguard:recording:db?ddlguard.mode=audit&ddlguard.mode=enforce&ddlguard.unknown=1",
            })
    void badUrlSettingsFailTheConnection(String url) {
        assertThatThrownBy(() -> DriverManager.getConnection(url).close())
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("XDG02"))
                .hasMessageContaining("ddlguard.");
    }

    @Test
    void noSettingLoadsAClass() {
        // A class that records being initialised: no setting value may cause it to load.
        Properties p = new Properties();
        p.setProperty("ddlguard.mode", Canary.class.getName());
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:ddlguard:recording:db", p)
                        .close())
                .isInstanceOf(SQLException.class);
        assertThat(canaryInitialised).isFalse();
    }

    @Test
    void dataSourceWrappingRejectsBadSettingsAtOnce() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:settings;DB_CLOSE_DELAY=-1");
        assertThatThrownBy(() -> DdlGuard.wrap(h2, Map.of("ddlguard.mode", "com.evil.Cls")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ddlguard.mode");
        assertThatThrownBy(() -> DdlGuard.wrap(h2, Map.of("ddlguard.listener", "com.evil.Listener")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ddlguard.listener");
    }

    /** Set by {@link Canary}'s initialiser; read here without initialising Canary itself. */
    static volatile boolean canaryInitialised;

    /** Must never be initialised by the guard. */
    static final class Canary {
        static {
            canaryInitialised = true;
        }
    }

    // ---------------------------------------------------------------- issue 13: the settings file, bounded and
    // discreet

    /** The XDG02 message of connecting with {@code ddlguard.config} naming {@code path}. */
    private static String configError(String path) {
        Properties p = new Properties();
        p.setProperty("ddlguard.config", path);
        SQLException e = org.junit.jupiter.api.Assertions.assertThrows(
                SQLException.class,
                () -> DriverManager.getConnection("jdbc:ddlguard:recording:db", p)
                        .close());
        assertThat(e.getSQLState()).isEqualTo("XDG02");
        return e.getMessage();
    }

    /** {@code /dev/zero} never ends: reading it whole ran the JVM out of memory at connect. */
    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void aDeviceAsSettingsFileIsRefusedWithoutReadingIt(@TempDir Path dir) throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/zero")), "a /dev/zero to read");
        assertThat(configError("/dev/zero")).contains("/dev/zero").contains("not a regular file");
        Path link = dir.resolve("settings.properties");
        Files.createSymbolicLink(link, Path.of("/dev/zero"));
        assertThat(configError(link.toString())).contains("not a regular file");
    }

    @Test
    void aLargeSettingsFileIsRefused(@TempDir Path dir) throws Exception {
        Path big = dir.resolve("big.properties");
        Files.writeString(big, "# " + "x".repeat(70_000) + "\nddlguard.mode=audit\n");
        assertThat(configError(big.toString())).contains("larger than 64 KiB");
    }

    /**
     * {@code /proc/self/environ} is a "regular" file of NUL-separated NAME=value pairs: the error named the
     * first variable. Now no variable's name or value appears in the message, only the line.
     */
    @Test
    void theEnvironmentAsSettingsFileIsNotEchoed() {
        assumeTrue(Files.isReadable(Path.of("/proc/self/environ")), "a Linux /proc");
        String message = configError("/proc/self/environ");
        assertThat(message).contains("an unknown setting at line 1");
        System.getenv().forEach((name, value) -> {
            assertThat(message).doesNotContain(name + "=");
            if (value.length() >= 6) {
                assertThat(message).doesNotContain(value);
            }
        });
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "ddlguard.mode=s3cr3t-token-value                 | invalid value for ddlguard.mode at line 3",
                "ddlguard.s3cr3t-token-value=1                    | an unknown setting at line 3",
                "ddlguard.rule.s3cr3t-token-value=block           | an unknown setting at line 3",
                "s3cr3t-token-value                               | an unknown setting at line 3",
                "ddlguard.lock-timeout.retries=s3cr3t-token-value | invalid value for ddlguard.lock-timeout.retries at line 3",
                "ddlguard.rule.drop-table=s3cr3t-token-value      | invalid value for ddlguard.rule.drop-table at line 3",
                "DDLGUARD.MODE=s3cr3t-token-value                 | invalid value for ddlguard.mode at line 3",
            })
    void aBadLineOfTheSettingsFileIsNamedByItsNumberNotItsText(String line, String message, @TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("team.properties");
        Files.writeString(file, "# team settings\nddlguard.mode=audit\n" + line + "\n");
        String error = configError(file.toString());
        assertThat(error).contains(message).contains(file.toString()).doesNotContain("s3cr3t");
    }

    @Test
    void aSettingTwiceInTheFileNamesTheLinesNotTheValues(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("twice.properties");
        Files.writeString(file, "ddlguard.mode=audit\nDDLGUARD.MODE=enforce\n");
        assertThat(configError(file.toString()))
                .contains("ddlguard.mode is set twice")
                .contains("lines 1 and 2")
                .doesNotContain("enforce'")
                .doesNotContain("'audit");
    }

    @Test
    void aGoodSettingsFileStillWorks(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("good.properties");
        Files.writeString(
                file, "# comment\n! also a comment\nddlguard.mode = audit\nddlguard.rule.drop-table: \\\n  warn\n");
        Properties p = new Properties();
        p.setProperty("ddlguard.config", file.toString());
        try (Connection c = DriverManager.getConnection("jdbc:ddlguard:recording:db", p)) {
            assertThat(c).isNotNull();
        }
    }

    /**
     * datasource-proxy's {@code ProxyJdbcObject.getTarget()} returned the driver's connection, a way around
     * the guard that is not {@code unwrap}: the guarded connection is no ProxyJdbcObject any more.
     */
    @Test
    void theGuardedConnectionHasNoGetTarget() throws SQLException {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:target;DB_CLOSE_DELAY=-1");
        try (Connection c = DdlGuard.wrap(h2).getConnection();
                Statement st = c.createStatement()) {
            assertThat(c).isNotInstanceOf(ProxyJdbcObject.class);
            assertThat(st).isNotInstanceOf(ProxyJdbcObject.class);
            assertThat(c.prepareStatement("SELECT 1")).isNotInstanceOf(ProxyJdbcObject.class);
            assertThat(c.getMetaData().getConnection()).isSameAs(c);
        }
    }
}
