package dev.ddlguard.dialect.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * The statement's own ALGORITHM and LOCK, as the server reads them: written twice, the last counts; set for the
 * session (alter_algorithm, old_alter_table), they override the clause. Each shown raw on MariaDB 10.11, where the
 * guard blocks it.
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
}
