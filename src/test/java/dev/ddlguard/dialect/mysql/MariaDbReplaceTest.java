package dev.ddlguard.dialect.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * MariaDB's CREATE OR REPLACE drops what is there before it creates: a unique index replaced by a plain one accepts
 * duplicates at once, a replaced sequence starts over and hands out keys already taken, a replaced table loses its
 * rows. Each is blocked through the guard and the data read back intact; then the raw server shows the harm.
 */
class MariaDbReplaceTest extends MariaDbRulesTestBase {

    @Test
    void aUniqueIndexReplacedByAPlainOneIsBlockedAndStaysUnique() throws SQLException {
        String t = table(
                "uqr",
                "(id int PRIMARY KEY, email varchar(100), n int, UNIQUE KEY uq_email (email), KEY i_n (n))",
                "INSERT INTO {t} VALUES (1, 'a@x', 1)");
        try (Connection g = guarded()) {
            String message =
                    assertBlocked(g, "CREATE OR REPLACE INDEX uq_email ON " + t + " (email)", "drop-constraint");
            assertThat(message).contains("replaces unique index uq_email of " + t + " with a non-unique one");
            assertBlockedRecord(onlyAudit(), "drop-constraint");
            assertThat(indexes(t)).contains("uq_email unique (email)");
            assertThat(errorCode("INSERT INTO " + t + " VALUES (2, 'a@x', 2)")).isEqualTo(1062);

            // a UNIQUE index replaced by a UNIQUE one keeps the guarantee, and runs online (NOCOPY, LOCK=NONE)
            exec(g, "create or replace unique index `uq_email` on " + t + " (email)");
            JsonNode r = onlyAudit();
            assertThat(r.get("decision").asText()).as(r.toString()).isEqualTo("rewritten");
            assertThat(hasRule(r, "drop-constraint")).isFalse();
            assertThat(indexes(t)).contains("uq_email unique (email)");

            // a plain index replaced: dropped and built again in one ALTER, which the server does online
            exec(g, "CREATE OR REPLACE INDEX i_n ON " + t + " (n, id)");
            r = onlyAudit();
            assertThat(r.get("executed_sql").asText()).endsWith("ALGORITHM=NOCOPY LOCK=NONE");
            assertThat(hasRule(r, "drop-constraint")).isFalse();
            assertThat(indexes(t)).contains("i_n (n,id)");
        }

        exec(admin, "CREATE OR REPLACE INDEX uq_email ON " + t + " (email)"); // raw: the key is no longer unique
        exec(admin, "INSERT INTO " + t + " VALUES (2, 'a@x', 2)");
        assertThat(count(t)).isEqualTo(2);
    }

    /**
     * CREATE OR REPLACE VIEW and ALTER VIEW take any definition here, unlike PostgreSQL's: one without a column of the
     * old view drops it, or renames it (an outside tester's ALTER VIEW … id AS customer_id broke every reader of id).
     * Blocked, the view unchanged; one that keeps every column runs.
     */
    @Test
    void aViewReplacedWithoutAColumnIsBlockedAndKeepsIt() throws SQLException {
        String t = table("vsrc", "(id int PRIMARY KEY, name varchar(20))", "INSERT INTO {t} VALUES (1, 'a')");
        String v = view("v", "SELECT id, name FROM " + t);
        try (Connection g = guarded()) {
            assertBlocked(g, "CREATE OR REPLACE VIEW " + v + " AS SELECT id FROM " + t, "replace-view-columns");
            String message = assertBlocked(
                    g, "ALTER VIEW " + v + " AS SELECT id AS customer_id, name FROM " + t, "replace-view-columns");
            assertThat(message).contains("without its column id");
            assertThat(intQuery(admin, "SELECT count(id) FROM " + v + " WHERE name = 'a'"))
                    .isEqualTo(1);

            // the first branch of a UNION names the columns; BINARY name is named "BINARY name" (a second round's)
            assertBlocked(
                    g,
                    "CREATE OR REPLACE VIEW " + v + " AS (SELECT 1 AS a, 2 AS b) UNION SELECT id, name FROM " + t,
                    "replace-view-columns");
            assertBlocked(
                    g, "CREATE OR REPLACE VIEW " + v + " AS SELECT id, BINARY name FROM " + t, "replace-view-columns");
            assertBlocked(
                    g,
                    "CREATE OR REPLACE VIEW " + v + " AS SELECT id, " + t + ".id + " + t + ".name FROM " + t,
                    "replace-view-columns");
            exec(g, "CREATE OR REPLACE VIEW " + v + " AS (SELECT id, name FROM " + t + " USE INDEX (PRIMARY))");
            exec(g, "CREATE OR REPLACE VIEW " + v + " AS SELECT name, id, 1 AS extra FROM " + t);
            // a * over one table is its columns: extra goes (a view replaced is not the run's own)
            assertThat(assertBlocked(
                            g, "CREATE OR REPLACE VIEW " + v + " AS SELECT * FROM " + t, "replace-view-columns"))
                    .contains("without its column extra");
        }
        assertThat(intQuery(admin, "SELECT count(*) FROM " + v)).isEqualTo(1);
    }

    @Test
    void aReplacedSequenceIsBlockedAndKeepsItsPosition() throws SQLException {
        String s = p + "_seq";
        afterwards("DROP SEQUENCE IF EXISTS " + s);
        exec(admin, "CREATE SEQUENCE " + s + " START WITH 1000");
        assertThat(longQuery(admin, "SELECT NEXTVAL(" + s + ")")).isEqualTo(1000);
        try (Connection g = guarded()) {
            assertBlocked(g, "CREATE OR REPLACE SEQUENCE " + s, "drop-sequence", "ALTER SEQUENCE");
            assertBlockedRecord(onlyAudit(), "drop-sequence");
            assertBlocked(g, "/* reset */ CREATE /*M!100300 OR REPLACE */ SEQUENCE `" + s + "`", "drop-sequence");
            assertBlockedRecord(onlyAudit(), "drop-sequence");
        }
        assertThat(longQuery(admin, "SELECT NEXTVAL(" + s + ")")).isEqualTo(1001);

        exec(admin, "CREATE OR REPLACE SEQUENCE " + s); // raw: it starts over, at keys already handed out
        assertThat(longQuery(admin, "SELECT NEXTVAL(" + s + ")")).isEqualTo(1);
    }

    /** A sequence of a name that is free, or one this run created, is only created: nothing deployed uses it. */
    @Test
    void aSequenceOfAFreeNameOrOfThisRunIsCreated() throws SQLException {
        String free = p + "_free";
        String ours = p + "_ours";
        afterwards("DROP SEQUENCE IF EXISTS " + free);
        afterwards("DROP SEQUENCE IF EXISTS " + ours);
        try (Connection g = guarded()) {
            exec(g, "CREATE OR REPLACE SEQUENCE " + free);
            assertThat(onlyAudit().get("decision").asText()).isEqualTo("allowed");
            exec(g, "CREATE SEQUENCE " + ours + " START WITH 5");
            onlyAudit();
            exec(g, "CREATE OR REPLACE SEQUENCE " + ours + " START WITH 7");
            JsonNode r = onlyAudit();
            assertThat(r.get("decision").asText()).as(r.toString()).isEqualTo("allowed");
            assertThat(rule(r, "drop-sequence").get("message").asText()).contains("allowed:");
        }
        assertThat(longQuery(admin, "SELECT NEXTVAL(" + ours + ")")).isEqualTo(7);
    }

    @Test
    void aReplacedTableIsBlockedAndKeepsItsRows() throws SQLException {
        String t = table("tbr", "(id int PRIMARY KEY)", "INSERT INTO {t} VALUES (1), (2)");
        try (Connection g = guarded()) {
            assertBlocked(g, "create or replace table `" + t + "` (id int)", "create-or-replace-table");
            assertBlockedRecord(onlyAudit(), "create-or-replace-table");
        }
        assertThat(count(t)).isEqualTo(2);
    }
}
