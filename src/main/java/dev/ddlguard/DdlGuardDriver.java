package dev.ddlguard;

import dev.ddlguard.dialect.Dialects;
import dev.ddlguard.driver.GuardedUrl;
import dev.ddlguard.driver.H2Init;
import dev.ddlguard.driver.MissingDriverMessage;
import dev.ddlguard.driver.MySqlConnectSql;
import dev.ddlguard.intercept.GuardedConnections;
import dev.ddlguard.policy.InvalidSettingException;
import dev.ddlguard.policy.Policy;
import dev.ddlguard.policy.PolicyResolver;
import dev.ddlguard.policy.Setting;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * The JDBC driver for {@code jdbc:ddlguard:<real url without jdbc:>}. It resolves the guard's
 * settings, opens the real connection through {@link DriverManager}, and returns it guarded.
 */
public final class DdlGuardDriver implements Driver {

    /** SQLState of a connection refused because of a bad {@code ddlguard.*} setting. */
    public static final String INVALID_SETTING_STATE = "XDG02";

    static {
        // datasource-proxy ships no Driver, and a driver only listed in META-INF/services is not always
        // found (DriverManager loads services once, from the class loader that first asked).
        try {
            DriverManager.registerDriver(new DdlGuardDriver());
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null; // JDBC: not ours, let DriverManager ask the next driver
        }
        GuardedUrl parsed = parse(url);
        if (GuardedUrl.accepts(parsed.realUrl())) {
            throw new SQLException("ddlguard: the URL wraps itself: " + parsed.realUrl(), INVALID_SETTING_STATE);
        }
        Properties realInfo = new Properties();
        Map<String, String> settings = new LinkedHashMap<>();
        if (info != null) {
            for (String name : info.stringPropertyNames()) {
                if (Setting.ownKey(name) == null) {
                    realInfo.setProperty(name, info.getProperty(name));
                } else {
                    try {
                        Setting.putOwn(settings, name, info.getProperty(name), "the driver Properties");
                    } catch (InvalidSettingException e) {
                        throw new SQLException("ddlguard: " + e.getMessage(), INVALID_SETTING_STATE, e);
                    }
                }
            }
        }
        settings.putAll(parsed.settings()); // URL parameters win over Properties, as in pgjdbc
        Policy policy = resolve(settings);
        // H2 would run the URL's INIT= at connect, unjudged, and MariaDB its initSql and sessionVariables: run them
        // through the guard instead.
        H2Init init = H2Init.extract(parsed.realUrl(), realInfo);
        MySqlConnectSql connectSql = MySqlConnectSql.extract(init.url(), realInfo);
        Connection real = realDriver(connectSql.url()).connect(connectSql.url(), realInfo);
        if (real == null) {
            throw new SQLException("ddlguard: the driver for " + parsed.realUrl() + " refused the URL", "08001");
        }
        try {
            Connection guarded = GuardedConnections.wrap(real, policy);
            if (init.init() != null) {
                try (Statement st = guarded.createStatement()) {
                    st.execute(init.init());
                }
            }
            for (String sql : connectSql.statements()) {
                try (Statement st = guarded.createStatement()) {
                    st.execute(sql);
                }
            }
            return guarded;
        } catch (SQLException | RuntimeException e) {
            real.close();
            throw e;
        }
    }

    /** Takes the URL apart; a setting given twice with different values is an SQLException (XDG02). */
    private static GuardedUrl parse(String url) throws SQLException {
        try {
            return GuardedUrl.parse(url);
        } catch (InvalidSettingException e) {
            throw new SQLException("ddlguard: " + e.getMessage(), INVALID_SETTING_STATE, e);
        }
    }

    /** Resolves the policy; a bad setting is an SQLException at connect time, naming the setting. */
    static Policy resolve(Map<String, String> explicit) throws SQLException {
        try {
            return PolicyResolver.resolve(explicit, Dialects.ruleIds());
        } catch (InvalidSettingException e) {
            throw new SQLException("ddlguard: " + e.getMessage(), INVALID_SETTING_STATE, e);
        }
    }

    private static Driver realDriver(String realUrl) throws SQLException {
        try {
            return DriverManager.getDriver(realUrl);
        } catch (SQLException e) {
            throw new SQLException(MissingDriverMessage.of(realUrl), "08001", e);
        }
    }

    @Override
    public boolean acceptsURL(String url) {
        return GuardedUrl.accepts(url);
    }

    /** The real driver's properties, then ours. */
    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
        List<DriverPropertyInfo> result = new ArrayList<>();
        if (acceptsURL(url)) {
            String realUrl = parse(url).realUrl();
            try {
                result.addAll(Arrays.asList(DriverManager.getDriver(realUrl).getPropertyInfo(realUrl, info)));
            } catch (SQLException noRealDriver) {
                // ours are still worth listing
            }
        }
        for (Setting setting : Setting.values()) {
            DriverPropertyInfo p = new DriverPropertyInfo(
                    setting.key(),
                    info == null ? setting.defaultValue() : info.getProperty(setting.key(), setting.defaultValue()));
            p.description = setting.description() + " (" + setting.allowedValues() + ")";
            p.required = false;
            result.add(p);
        }
        return result.toArray(new DriverPropertyInfo[0]);
    }

    @Override
    public int getMajorVersion() {
        return Version.MAJOR;
    }

    @Override
    public int getMinorVersion() {
        return Version.MINOR;
    }

    /** A proxy cannot vouch for the driver under it, which is not known until a URL is given. */
    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    /** ddlguard logs through SLF4J, not java.util.logging; JDBC says to throw in that case. */
    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException(
                "ddlguard logs through SLF4J (loggers ddlguard.audit and dev.ddlguard)");
    }
}
