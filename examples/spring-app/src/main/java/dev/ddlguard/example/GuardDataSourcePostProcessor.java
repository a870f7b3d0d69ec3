package dev.ddlguard.example;

import dev.ddlguard.DdlGuard;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Turns the guard on without touching the datasource URL, for teams that keep the URL in shared
 * configuration: with {@code app.ddlguard.wrap=true}, every DataSource bean is wrapped with the public
 * {@link DdlGuard#wrap(DataSource, Map)} API. Guard settings come from {@code app.ddlguard.settings.*}
 * (for example {@code app.ddlguard.settings.target=postgresql}).
 */
@Component
@ConditionalOnProperty(name = "app.ddlguard.wrap", havingValue = "true")
class GuardDataSourcePostProcessor implements BeanPostProcessor {

    private final Environment environment;

    GuardDataSourcePostProcessor(Environment environment) {
        this.environment = environment;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (!(bean instanceof DataSource dataSource)) {
            return bean;
        }
        Map<String, String> settings = new LinkedHashMap<>();
        for (String key : new String[]{"mode", "target", "lock-timeout", "small-table"}) {
            String value = environment.getProperty("app.ddlguard.settings." + key);
            if (value != null) {
                settings.put("ddlguard." + key, value);
            }
        }
        return DdlGuard.wrap(dataSource, settings);
    }
}
