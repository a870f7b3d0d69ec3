package dev.ddlguard.spring;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Names the guard's driver class wherever a Boot URL property is a {@code jdbc:ddlguard:} URL and no
 * driver class is set, so the URL alone is enough.
 *
 * <p>Boot guesses the driver class from the URL's prefix ({@code DatabaseDriver.fromJdbcUrl}, a fixed
 * list of databases); {@code jdbc:ddlguard:} is not on it, so {@code DataSourceProperties} fails with
 * "Failed to determine a suitable driver class", and Flyway's or Liquibase's own DataSource (built from
 * {@code spring.flyway.url} / {@code spring.liquibase.url}) gets no driver. Each pair below gets the
 * guard's driver class, in a property source of the lowest precedence, only when the URL is guarded
 * and the application set no driver class of its own.
 */
public class GuardedUrlDriverClass implements EnvironmentPostProcessor, Ordered {

    static final String PREFIX = "jdbc:ddlguard:";
    static final String DRIVER_CLASS = "dev.ddlguard.DdlGuardDriver";
    static final String SOURCE_NAME = "ddlguardDriverClass";

    /** URL property → the driver-class property Boot reads beside it. */
    private static final Map<String, String> URL_TO_DRIVER = Map.of(
            "spring.datasource.url", "spring.datasource.driver-class-name",
            "spring.flyway.url", "spring.flyway.driver-class-name",
            "spring.liquibase.url", "spring.liquibase.driver-class-name");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> driverClasses = new LinkedHashMap<>();
        URL_TO_DRIVER.forEach((urlProperty, driverProperty) -> {
            String url = environment.getProperty(urlProperty);
            if (isGuarded(url) && !hasText(environment.getProperty(driverProperty))) {
                driverClasses.put(driverProperty, DRIVER_CLASS);
            }
        });
        if (!driverClasses.isEmpty()) {
            environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, driverClasses));
        }
    }

    /** After Boot has read application.properties and the profiles (ConfigDataEnvironmentPostProcessor). */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    static boolean isGuarded(String url) {
        return url != null && url.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    private static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }
}
