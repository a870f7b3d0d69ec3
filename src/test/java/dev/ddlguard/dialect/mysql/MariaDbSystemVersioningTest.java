package dev.ddlguard.dialect.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * MariaDB's system-versioned tables keep every old version of a row. DELETE HISTORY, DML in shape, used to pass the
 * guard's pre-filter unread (no verdict, no audit record) and delete them irreversibly; DROP SYSTEM VERSIONING deletes
 * them all. Each is blocked through the guard with the history read back intact; then the raw server shows the loss.
 */
class MariaDbSystemVersioningTest extends MariaDbRulesTestBase {

    /** A versioned table whose row 1 was updated twice: two history rows besides the current one. */
    private String versioned(String suffix) throws SQLException {
        return table(
                suffix,
                "(id int PRIMARY KEY, v int) WITH SYSTEM VERSIONING",
                "INSERT INTO {t} VALUES (1, 10)",
                "UPDATE {t} SET v = 11 WHERE id = 1",
                "UPDATE {t} SET v = 12 WHERE id = 1");
    }

    private int versions(String t) throws SQLException {
        return intQuery(admin, "SELECT count(*) FROM " + t + " FOR SYSTEM_TIME ALL");
    }

    @Test
    void deleteHistoryIsBlockedInEverySpellingAndTheHistoryStays() throws SQLException {
        String t = versioned("hst");
        assertThat(versions(t)).isEqualTo(3);
        try (Connection g = guarded()) {
            String message = assertBlocked(g, "DELETE HISTORY FROM " + t, "delete-history", "FOR SYSTEM_TIME ALL");
            assertThat(message).contains("deletes history rows of " + t);
            assertBlockedRecord(onlyAudit(), "delete-history");
            assertBlocked(g, "delete /* prune */ history from `" + t + "` before system_time now()", "delete-history");
            assertBlockedRecord(onlyAudit(), "delete-history");
            assertBlocked(g, "DELETE /*M!100300 HISTORY */ FROM " + t, "delete-history");
            assertBlockedRecord(onlyAudit(), "delete-history");
            assertBlocked(g, "SELECT 1; DELETE HISTORY FROM " + t, "delete-history");
            assertBlockedRecord(onlyAudit(), "delete-history");
            // prepared: judged at prepare time, before it is ever sent
            assertBlocked(g, "DELETE HISTORY FROM " + t + " BEFORE SYSTEM_TIME NOW()", "delete-history");
            onlyAudit();
            assertThatThrownBy(() -> {
                        try (PreparedStatement ps = g.prepareStatement("DELETE HISTORY FROM " + t)) {
                            ps.executeUpdate();
                        }
                    })
                    .hasMessageContaining("[delete-history]");
            onlyAudit();

            // run later or from a string, it would be unjudged when it runs: unanalyzable
            afterwards("DROP PROCEDURE IF EXISTS " + t + "_p");
            assertBlocked(g, "CREATE PROCEDURE " + t + "_p() DELETE HISTORY FROM " + t, "unanalyzable");
            onlyAudit();
            assertBlocked(g, "EXECUTE IMMEDIATE 'DELETE HISTORY FROM " + t + "'", "unanalyzable");
            onlyAudit();

            // an ordinary DELETE is DML: not read, not audited
            exec(g, "DELETE FROM " + t + " WHERE id = 99");
            assertThat(log.audit()).isEmpty();
        }
        assertThat(versions(t)).isEqualTo(3);

        exec(admin, "DELETE HISTORY FROM " + t); // raw: the old versions are gone for good
        assertThat(versions(t)).isEqualTo(1);
    }

    @Test
    void droppingSystemVersioningIsBlockedForTheHistoryAndTheCopy() throws SQLException {
        String t = versioned("hsv");
        try (Connection g = guarded()) {
            assertBlocked(g, "ALTER TABLE " + t + " DROP SYSTEM VERSIONING", "delete-history");
            JsonNode r = onlyAudit();
            assertBlockedRecord(r, "delete-history");
            assertBlockedRecord(r, "blocking-lock"); // the table copy is judged too
            // allowing the loss of history leaves the copy's lock judged
            assertBlocked(
                    g,
                    "/* ddlguard:allow delete-history backed up in " + t + "_history */ ALTER TABLE " + t
                            + " DROP SYSTEM VERSIONING",
                    "blocking-lock");
            onlyAudit();
            assertBlocked(g, "TRUNCATE TABLE " + t, "truncate-table");
            onlyAudit();
        }
        assertThat(versions(t)).isEqualTo(3);
        assertThat(showCreate(t)).contains("WITH SYSTEM VERSIONING");
    }
}
