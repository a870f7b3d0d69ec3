package dev.ddlguard.dialect.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ddlguard.BlockedStatementException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * The statement's own ALGORITHM and LOCK, as the server reads them: written twice, the last counts; set for the
 * session (alter_algorithm, old_alter_table), they override the clause. Each shown raw on MariaDB 10.11, where the
 * guard blocks it. And the values a column change converts instead of refusing, under ALTER IGNORE or a lax sql_mode.
 */
class MariaDbAlgorithmSpellingTest extends MariaDbRulesTestBase {

    /** ALGORITHM written twice: the server takes the last, so does the guard (NOCOPY then COPY copied every row). */
    @Test
    void aRepeatedAlgorithmIsJudgedByItsLastValue() throws SQLException {
        String t = table("twice", "(id int PRIMARY KEY, b int)", "INSERT INTO {t} SELECT seq, seq FROM seq_1_to_100");
        String twice = "ALTER TABLE " + t + " ADD INDEX kb (b), ALGORITHM=NOCOPY, ALGORITHM=COPY";
        try (Connection g = guarded()) {
            assertBlocked(g, twice, "explicit-blocking-algorithm");
        }
        assertBlockedRecord(onlyAudit(), "explicit-blocking-algorithm");
        assertThat(update(admin, twice)).as("rows copied, raw").isEqualTo(100);
    }

    /** alter_algorithm = COPY: even ALGORITHM=INSTANT without a LOCK clause copies every row (measured). */
    @Test
    void aSessionAlgorithmOfCopyIsBlockedWhileTheServerWouldCopyAnInstantChange() throws SQLException {
        String t = table("sess", "(id int PRIMARY KEY, b int)", "INSERT INTO {t} SELECT seq, seq FROM seq_1_to_100");
        try (Connection g = guarded()) {
            assertBlocked(g, "SET SESSION alter_algorithm = 'COPY'", "explicit-blocking-algorithm");
            assertBlockedRecord(onlyAudit(), "explicit-blocking-algorithm");
            assertBlocked(
                    g,
                    "SET STATEMENT alter_algorithm = 'COPY' FOR ALTER TABLE " + t
                            + " ADD COLUMN q INT, ALGORITHM=INSTANT",
                    "explicit-blocking-algorithm");
            assertBlockedRecord(onlyAudit(), "explicit-blocking-algorithm");
            assertThat(stringQuery(g, "SELECT @@session.alter_algorithm")).isEqualTo("DEFAULT");
        }
        exec(admin, "SET SESSION alter_algorithm = 'COPY'"); // raw
        try {
            assertThat(update(admin, "ALTER TABLE " + t + " ADD COLUMN q INT, ALGORITHM=INSTANT"))
                    .as("rows copied")
                    .isEqualTo(100);
        } finally {
            exec(admin, "SET SESSION alter_algorithm = DEFAULT");
        }
    }
    /**
     * silent-conversion: under ALTER IGNORE, and in a session whose sql_mode is not strict, MODIFY … NOT NULL turns NULL
     * into 0 (shown raw); the guard asks the session's sql_mode and blocks both. In strict mode the server refuses.
     */
    @Test
    void aNotNullChangeThatWouldConvertNullsIsBlockedUnderIgnoreOrALaxSqlMode() throws SQLException {
        String t = table("lax", "(id int PRIMARY KEY, u int)", "INSERT INTO {t} VALUES (1, NULL), (2, 5)");
        String change = "ALTER TABLE " + t + " MODIFY u INT NOT NULL";
        try (Connection g = guarded()) {
            assertBlocked(g, change.replace("ALTER TABLE", "ALTER IGNORE TABLE"), "silent-conversion");
            assertBlockedRecord(onlyAudit(), "silent-conversion");
            // the SET in the same string, or SET STATEMENT … FOR: judged before the SET runs (an outside tester's)
            assertBlocked(g, "SET sql_mode = ''; " + change, "silent-conversion");
            assertBlockedRecord(onlyAudit(), "silent-conversion");
            assertBlocked(g, "SET STATEMENT sql_mode = '' FOR " + change, "silent-conversion");
            assertBlockedRecord(onlyAudit(), "silent-conversion");
            // behind a comment, an EXECUTE IMMEDIATE of the SET (a third round's turned NULL into 0)
            assertBlocked(g, "/**/EXECUTE IMMEDIATE 'SET sql_mode = '''''; " + change, "silent-conversion");
            assertBlockedRecord(onlyAudit(), "silent-conversion");
            // a user variable, written against the = (the lexer read =@ as one operator and the setting went unread)
            exec(g, "SET @lax = ''");
            assertBlocked(g, "SET STATEMENT sql_mode=@lax FOR " + change, "silent-conversion");
            assertBlockedRecord(onlyAudit(), "silent-conversion");
            try (Statement batch = g.createStatement()) { // an earlier entry of the batch sets it
                batch.addBatch("SET sql_mode = ''");
                assertThatThrownBy(() -> batch.addBatch(change))
                        .isInstanceOf(BlockedStatementException.class)
                        .hasMessageContaining("silent-conversion");
                assertBlockedRecord(onlyAudit(), "silent-conversion");
            }
            exec(g, "SET SESSION sql_mode = ''");
            assertBlocked(g, change, "silent-conversion");
            assertBlockedRecord(onlyAudit(), "silent-conversion");
        }
        assertThat(intQuery(admin, "SELECT count(*) FROM " + t + " WHERE u IS NULL"))
                .isEqualTo(1);
        assertThat(errorCode(change)).as("strict mode refuses, raw").isEqualTo(1265);

        exec(admin, "SET SESSION sql_mode = ''"); // raw, lax: the NULL becomes 0
        try {
            exec(admin, change);
        } finally {
            exec(admin, "SET SESSION sql_mode = DEFAULT");
        }
        assertThat(intQuery(admin, "SELECT u FROM " + t + " WHERE id = 1")).isZero();
    }
}
