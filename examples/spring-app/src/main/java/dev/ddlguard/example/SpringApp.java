package dev.ddlguard.example;

import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A Spring Boot app whose Flyway migrations run through ddlguard: the only changes are the
 * ddlguard-spring-boot-starter dependency, the datasource
 * URL (jdbc:ddlguard:…) and, for PostgreSQL, spring.flyway.postgresql.transactional-lock=false.
 */
@SpringBootApplication
public class SpringApp {

    public static void main(String[] args) {
        SpringApplication.run(SpringApp.class, args);
    }

    @Bean
    CommandLineRunner report(JdbcTemplate jdbc) {
        return args -> System.out.println("migrated; orders: " + jdbc.queryForObject("SELECT count(*) FROM orders", Long.class));
    }
}
