package dev.ddlguard.spring.jpa.fresh;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** JPA with one entity whose table does not exist yet. */
@SpringBootApplication
public class FreshJpaApp {
}
