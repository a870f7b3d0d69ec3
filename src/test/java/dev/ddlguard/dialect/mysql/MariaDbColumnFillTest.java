package dev.ddlguard.dialect.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * Column changes MariaDB does in an instant that break the inserts and queries of deployed code: a MODIFY that
 * restates an AUTO_INCREMENT column without it (inserts then fail "Field 'id' doesn't have a default value"), a NOT
 * NULL column's default dropped, a column made INVISIBLE (SELECT * loses it, an INSERT without a column list fails).
 * What the column is now comes from information_schema.COLUMNS (EXTRA, IS_NULLABLE, COLUMN_DEFAULT).
 */
class MariaDbColumnFillTest extends MariaDbRulesTestBase {

    @Test
    void modifyWithoutAutoIncrementIsBlockedAndInsertsKeepTheirKeys() throws SQLException {
        String t = table(
                "ai",
                "(id INT AUTO_INCREMENT PRIMARY KEY, email varchar(100))",
                "INSERT INTO {t} (email) VALUES ('a')");
        try (Connection g = guarded()) {
            String message = assertBlocked(g, "ALTER TABLE " + t + " MODIFY id INT NOT NULL", "drop-identity");
            assertThat(message).contains("without AUTO_INCREMENT");
            assertBlockedRecord(onlyAudit(), "drop-identity");
            assertBlocked(g, "alter table `" + t + "` change `id` `id` bigint not null", "drop-identity");
            onlyAudit();
            // restating AUTO_INCREMENT keeps it: judged as the online change it is
            exec(g, "ALTER TABLE " + t + " MODIFY id INT NOT NULL AUTO_INCREMENT");
            JsonNode r = onlyAudit();
            assertThat(hasRule(r, "drop-identity")).as(r.toString()).isFalse();
            assertThat(r.get("decision").asText()).isNotEqualTo("blocked");
        }
        exec(admin, "INSERT INTO " + t + " (email) VALUES ('b')");
        assertThat(columns(t)).contains("id int(11) not null auto_increment");

        exec(admin, "ALTER TABLE " + t + " MODIFY id INT NOT NULL"); // raw: AUTO_INCREMENT is gone, silently
        assertThat(errorCode("INSERT INTO " + t + " (email) VALUES ('c')")).isEqualTo(1364);
    }

    @Test
    void aNotNullColumnsDefaultDroppedWarnsAndInsertsThatOmitItFail() throws SQLException {
        String t = table("dd", "(id INT PRIMARY KEY, status INT NOT NULL DEFAULT 1, note varchar(10) DEFAULT 'x')");
        try (Connection g = guarded()) {
            exec(g, "ALTER TABLE " + t + " ALTER COLUMN note DROP DEFAULT"); // nullable: inserts get NULL
            JsonNode r = onlyAudit();
            assertThat(hasRule(r, "drop-default")).as(r.toString()).isFalse();
            exec(g, "ALTER TABLE " + t + " MODIFY status INT NOT NULL DEFAULT 2"); // restated with a default
            assertThat(hasRule(onlyAudit(), "drop-default")).isFalse();
            exec(g, "ALTER TABLE " + t + " ALTER COLUMN status DROP DEFAULT");
        }
        JsonNode r = onlyAudit(); // warned, and run with the online clause
        assertThat(r.get("decision").asText()).as(r.toString()).isEqualTo("rewritten");
        assertThat(rule(r, "drop-default").get("action").asText()).isEqualTo("warn");
        assertThat(rule(r, "drop-default").get("message").asText()).contains("NOT NULL column status");
        assertThat(errorCode("INSERT INTO " + t + " (id) VALUES (1)")).isEqualTo(1364); // what the warning was about
    }

    @Test
    void aColumnMadeInvisibleWarnsAndAnInsertWithoutAColumnListFails() throws SQLException {
        String t = table("inv", "(id INT PRIMARY KEY, msg varchar(100))", "INSERT INTO {t} VALUES (1, 'hello')");
        String insert = "INSERT INTO " + t + " VALUES (2, 'two')";
        assertThat(errorCode(insert)).isZero();
        try (Connection g = guarded()) {
            exec(g, "ALTER TABLE " + t + " ADD COLUMN extra INT INVISIBLE"); // a new column: nothing deployed sees it
            assertThat(hasRule(onlyAudit(), "hide-column")).isFalse();
            exec(g, "ALTER TABLE " + t + " MODIFY msg VARCHAR(100) INVISIBLE");
        }
        JsonNode r = onlyAudit(); // warned, and run with the online clause
        assertThat(r.get("decision").asText()).as(r.toString()).isEqualTo("rewritten");
        assertThat(rule(r, "hide-column").get("action").asText()).isEqualTo("warn");
        assertThat(rule(r, "hide-column").get("message").asText()).contains("makes column msg of " + t + " INVISIBLE");
        assertThat(errorCode("INSERT INTO " + t + " VALUES (3, 'three')")).isEqualTo(1136); // column count
        assertThat(count(t)).isEqualTo(2); // the rows are all there
    }
}
