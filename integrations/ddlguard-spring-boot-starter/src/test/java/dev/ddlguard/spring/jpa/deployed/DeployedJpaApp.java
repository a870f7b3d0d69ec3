package dev.ddlguard.spring.jpa.deployed;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** JPA with an entity over a deployed table (with rows) that the entity gives a new NOT NULL column. */
@SpringBootApplication
public class DeployedJpaApp {
}
