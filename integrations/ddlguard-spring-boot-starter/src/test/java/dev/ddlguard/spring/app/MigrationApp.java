package dev.ddlguard.spring.app;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** An app with nothing but Boot's auto-configuration: a DataSource, and Flyway or Liquibase. */
@SpringBootApplication
public class MigrationApp {
}
