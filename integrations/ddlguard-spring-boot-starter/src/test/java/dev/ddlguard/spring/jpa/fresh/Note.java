package dev.ddlguard.spring.jpa.fresh;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "ddlguard_it_boot_notes")
public class Note {
    @Id
    private Long id;
    private String text;
}
