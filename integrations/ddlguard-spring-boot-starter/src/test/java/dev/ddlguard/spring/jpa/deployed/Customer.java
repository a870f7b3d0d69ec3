package dev.ddlguard.spring.jpa.deployed;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The deployed table has id and name; {@code code} is new, and NOT NULL. */
@Entity
@Table(name = "ddlguard_it_boot_customers")
public class Customer {
    @Id
    private Long id;
    private String name;
    @Column(nullable = false)
    private String code;
}
