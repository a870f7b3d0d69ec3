package dev.ddlguard.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class GuardedUrlDriverClassTest {

    @Test
    void aGuardedUrlWithoutADriverClassGetsTheGuards() {
        StandardEnvironment env = environment(Map.of("spring.datasource.url", "jdbc:ddlguard:postgresql://db/app",
                "spring.liquibase.url", "JDBC:DDLGUARD:mariadb://db/app"));
        assertThat(env.getProperty("spring.datasource.driver-class-name")).isEqualTo("dev.ddlguard.DdlGuardDriver");
        assertThat(env.getProperty("spring.liquibase.driver-class-name")).isEqualTo("dev.ddlguard.DdlGuardDriver");
        assertThat(env.getProperty("spring.flyway.driver-class-name")).isNull();
    }

    @Test
    void theApplicationsOwnDriverClassAndUnguardedUrlsAreLeftAlone() {
        StandardEnvironment env = environment(Map.of("spring.datasource.url", "jdbc:ddlguard:postgresql://db/app",
                "spring.datasource.driver-class-name", "com.example.MyDriver",
                "spring.flyway.url", "jdbc:postgresql://db/app"));
        assertThat(env.getProperty("spring.datasource.driver-class-name")).isEqualTo("com.example.MyDriver");
        assertThat(env.getProperty("spring.flyway.driver-class-name")).isNull();
        assertThat(env.getPropertySources().contains(GuardedUrlDriverClass.SOURCE_NAME)).isFalse();
    }

    private static StandardEnvironment environment(Map<String, Object> properties) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("test", properties));
        new GuardedUrlDriverClass().postProcessEnvironment(env, new SpringApplication());
        return env;
    }
}
