package dev.ddlguard.dialect.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * change-engine on a real MariaDB: the copy of a small table with ALGORITHM=COPY, which the lock rules let through
 * under {@code ddlguard.small-table} (shown with the rule turned off), is still kept on InnoDB by the guard; what it
 * would lose is shown raw: on MyISAM a rolled-back insert stays.
 */
class MariaDbEngineChangeTest extends MariaDbRulesTestBase {

    @Test
    void movingASmallTableOffInnoDbIsBlockedAndMyIsamKeepsARolledBackWrite() throws SQLException {
        String t = table("eng", "(id int PRIMARY KEY)", "INSERT INTO {t} VALUES (1), (2), (3)");
        try (Connection g = guarded("ddlguard.small-table", "10MB")) {
            assertBlocked(g, "ALTER TABLE " + t + " ENGINE=MyISAM, ALGORITHM=COPY", "change-engine", "InnoDB");
        }
        assertBlockedRecord(onlyAudit(), "change-engine");
        assertThat(engine(t)).isEqualTo("InnoDB");
        assertThat(rolledBackInsertStays(t, 4))
                .as("InnoDB rolls the insert back")
                .isFalse();

        exec(admin, "ALTER TABLE " + t + " ENGINE=MyISAM"); // raw: what the guard stopped
        assertThat(engine(t)).isEqualTo("MyISAM");
        assertThat(rolledBackInsertStays(t, 5)).as("MyISAM has no transactions").isTrue();
    }

    /** Without change-engine, the size-bound lock rules let the explicit copy of a small table through. */
    @Test
    void withoutTheRuleTheSmallTablesEngineChangeWouldPass() throws SQLException {
        String t = table("soft", "(id int PRIMARY KEY)", "INSERT INTO {t} VALUES (1)");
        try (Connection g = guarded("ddlguard.small-table", "10MB", "ddlguard.rule.change-engine", "allow")) {
            exec(g, "ALTER TABLE " + t + " ENGINE=MyISAM, ALGORITHM=COPY");
        }
        assertThat(engine(t)).isEqualTo("MyISAM");
    }

    @Test
    void keepingTheTableOnInnoDbIsNotAnEngineChange() throws SQLException {
        String t = table("inno", "(id int PRIMARY KEY)", "INSERT INTO {t} VALUES (1)");
        try (Connection g = guarded()) {
            exec(g, "ALTER TABLE " + t + " ENGINE=InnoDB");
        }
        assertThat(hasRule(onlyAudit(), "change-engine")).isFalse();
        assertThat(engine(t)).isEqualTo("InnoDB");
    }

    /**
     * Table options follow each other without commas, and a partitioning clause follows them: each is judged (an
     * outside tester's: only the first was read, and the move to MEMORY or the re-partitioning went unjudged). The
     * server takes both, shown raw.
     */
    @Test
    void anOptionAfterAnotherWithoutACommaIsJudgedToo() throws SQLException {
        String t = table("run", "(id int PRIMARY KEY)", "INSERT INTO {t} VALUES (1), (2), (3)");
        String memory = "ALTER TABLE " + t + " ROW_FORMAT=DYNAMIC ENGINE MEMORY, ALGORITHM=DEFAULT";
        String partition = "ALTER TABLE " + t + " ALGORITHM=DEFAULT, COMMENT 'x' PARTITION BY HASH(id) PARTITIONS 2";
        try (Connection g = guarded()) {
            assertBlocked(g, memory, "change-engine", "InnoDB");
            assertBlockedRecord(onlyAudit(), "change-engine");
            assertBlocked(g, partition, "partitioning-change", "batches");
            assertBlockedRecord(onlyAudit(), "partitioning-change");
        }
        assertThat(engine(t)).isEqualTo("InnoDB");

        exec(admin, partition); // raw: the server reads every option
        assertThat(showCreate(t)).contains("PARTITION BY HASH");
        exec(admin, memory);
        assertThat(engine(t)).isEqualTo("MEMORY");
    }

    private boolean rolledBackInsertStays(String t, int id) throws SQLException {
        admin.setAutoCommit(false);
        try {
            exec(admin, "INSERT INTO " + t + " VALUES (" + id + ")");
            admin.rollback();
        } finally {
            admin.setAutoCommit(true);
        }
        return intQuery(admin, "SELECT count(*) FROM " + t + " WHERE id = " + id) == 1;
    }

    private String engine(String t) throws SQLException {
        return stringQuery(
                admin,
                "SELECT engine FROM information_schema.TABLES WHERE table_schema = DATABASE() AND table_name = '" + t
                        + "'");
    }
}
