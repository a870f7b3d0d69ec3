package dev.ddlguard.dialect.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddlguard.LockTimeoutException;
import dev.ddlguard.support.TestDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code create-trigger} on MariaDB: CREATE TRIGGER takes the table's exclusive metadata lock, so it waits for a
 * transaction that only read the table, and a plain read of the table queues behind it (shown raw, from the server's
 * process list); guarded, it is warned about and gives up at ddlguard.lock-timeout instead of stalling the table.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MariaDbTriggerTest extends MariaDbRulesTestBase {

    private static final String TABLE = "(id INT PRIMARY KEY, a INT) ENGINE=InnoDB";

    private static String createTrigger(String table) {
        return "CREATE TRIGGER " + table + "_bi BEFORE INSERT ON " + table + " FOR EACH ROW SET NEW.a = NEW.id * 10";
    }

    private int triggers(String table) throws SQLException {
        return intQuery(
                admin,
                "SELECT count(*) FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = DATABASE()"
                        + " AND EVENT_OBJECT_TABLE = '" + table + "'");
    }

    /** The server's own state for the session: "Waiting for table metadata lock" while it queues. */
    private boolean waitingForMetadataLock(int connectionId) throws SQLException {
        return intQuery(
                        admin,
                        "SELECT count(*) FROM information_schema.PROCESSLIST WHERE ID = " + connectionId
                                + " AND STATE = 'Waiting for table metadata lock'")
                == 1;
    }

    @Test
    void rawCreateTriggerWaitsForAReaderAndTheNextReaderWaitsBehindIt() throws Exception {
        String t = table("raw", TABLE, "INSERT INTO {t} VALUES (1, 1)");
        try (Connection holder = TestDatabases.mariadb();
                Connection ddl = TestDatabases.mariadb();
                Connection reader = TestDatabases.mariadb()) {
            int ddlId = intQuery(ddl, "SELECT CONNECTION_ID()");
            int readerId = intQuery(reader, "SELECT CONNECTION_ID()");
            holder.setAutoCommit(false);
            exec(holder, "SELECT COUNT(*) FROM " + t); // a read, and the transaction stays open

            CompletableFuture<Void> create = CompletableFuture.runAsync(() -> {
                try {
                    exec(ddl, createTrigger(t));
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            await("CREATE TRIGGER queued behind the reader", () -> waitingForMetadataLock(ddlId));

            CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
                try {
                    return intQuery(reader, "SELECT a FROM " + t + " WHERE id = 1");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            await("a plain read queued behind CREATE TRIGGER", () -> waitingForMetadataLock(readerId));
            assertThat(create).isNotDone();
            assertThat(read).isNotDone();

            holder.commit();
            create.get(10, TimeUnit.SECONDS);
            assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        }
        assertThat(triggers(t)).isEqualTo(1);
    }

    @Test
    void guardedCreateTriggerIsWarnedAndGivesUpAtTheLockTimeout() throws SQLException {
        String t = table("guarded", TABLE, "INSERT INTO {t} VALUES (1, 1)");
        try (Connection holder = TestDatabases.mariadb();
                Connection g = guarded("ddlguard.lock-timeout", "1s", "ddlguard.lock-timeout.retries", "0")) {
            holder.setAutoCommit(false);
            exec(holder, "SELECT COUNT(*) FROM " + t);

            long start = System.nanoTime();
            assertThatThrownBy(() -> exec(g, createTrigger(t)))
                    .isInstanceOfSatisfying(
                            LockTimeoutException.class,
                            e -> assertThat(e.getErrorCode()).isEqualTo(1205));
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(elapsedMs)
                    .as("gave up at the 1 s lock-timeout, plus slack")
                    .isBetween(900L, 4000L);
            assertThat(log.warnings())
                    .anySatisfy(w -> assertThat(w)
                            .contains("[create-trigger]", "creates trigger", "under an exclusive metadata lock"));
            JsonNode refused = onlyAudit();
            assertThat(rule(refused, "create-trigger").get("action").asText()).isEqualTo("warn");
            assertThat(refused.get("outcome").asText()).isEqualTo("error");
            assertThat(triggers(t)).isZero();
            holder.rollback();

            // nothing holds the table now: the same statement runs as written, and the trigger works
            exec(g, createTrigger(t));
            JsonNode ran = onlyAudit();
            assertThat(ran.get("decision").asText()).isEqualTo("warned");
            assertThat(ran.get("executed_sql").asText()).isEqualTo(createTrigger(t));
            assertThat(ran.get("outcome").asText()).isEqualTo("ok");
        }
        assertThat(triggers(t)).isEqualTo(1);
        exec(admin, "INSERT INTO " + t + " (id) VALUES (7)");
        assertThat(intQuery(admin, "SELECT a FROM " + t + " WHERE id = 7")).isEqualTo(70);
    }
}
