package dev.ddlguard.ecosystem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddlguard.support.LogCapture;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.concurrent.TimeUnit;
import liquibase.Contexts;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Liquibase 4.33 through {@code jdbc:ddlguard:postgresql://…}: a formatted-SQL changelog whose
 * {@code runInTransaction:false} changeset gets its index rewritten to CONCURRENTLY, and an XML
 * {@code createIndex} that is blocked inside Liquibase's transaction (with the Liquibase hint) and
 * rewritten once the changeSet says {@code runInTransaction="false"}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LiquibaseTest {

    private LogCapture log;

    @BeforeEach
    void capture() {
        log = LogCapture.start();
    }

    @AfterEach
    void release() {
        log.close();
    }

    private static void update(Pg db, String changelog) throws Exception {
        try (Connection c = DriverManager.getConnection(Pg.guardedUrl("currentSchema=" + db.schema))) {
            Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(c));
            assertThat(database.getShortName())
                    .as("Liquibase recognises the database through the guard")
                    .isEqualTo("postgresql");
            Liquibase liquibase =
                    new Liquibase("ecosystem/liquibase/" + changelog, new ClassLoaderResourceAccessor(), database);
            liquibase.update(new Contexts());
        }
    }

    @Test
    void formattedSqlNonTransactionalChangesetIsRewrittenToConcurrently() throws Exception {
        try (Pg db = new Pg()) {
            existingOrders(db);
            update(db, "changelog.sql");
            assertThat(db.count("SELECT count(*) FROM " + db.schema + ".databasechangelog WHERE exectype = 'EXECUTED'"))
                    .isEqualTo(2);
            assertThat(db.indexValid("orders_customer_idx")).isEqualTo("t");
            JsonNode index = auditOf("orders_customer_idx");
            assertThat(index.get("decision").asText()).isEqualTo("rewritten");
            assertThat(index.get("executed_sql").asText()).contains("CREATE INDEX CONCURRENTLY");
            assertThat(index.get("outcome").asText()).isEqualTo("ok");
        }
    }

    @Test
    void xmlCreateIndexInATransactionIsBlockedWithTheLiquibaseHint() throws Exception {
        try (Pg db = new Pg()) {
            existingOrders(db);
            assertThatThrownBy(() -> update(db, "changelog-index-tx-true.xml"))
                    .satisfies(e -> FlywayTest.assertBlockedInCauseChain(e, "require-concurrent-index"))
                    .satisfies(e -> assertThat(chain(e)).contains("runInTransaction:false"));
            assertThat(db.tableExists("orders")).isTrue();
            assertThat(db.indexValid("orders_customer_idx")).isNull();
            assertThat(db.count("SELECT count(*) FROM " + db.schema + ".databasechangelog"))
                    .isEqualTo(1);
            JsonNode index = auditOf("orders_customer_idx");
            assertThat(index.get("decision").asText()).isEqualTo("blocked");
        }
    }

    @Test
    void xmlCreateIndexOutsideATransactionIsRewrittenToConcurrently() throws Exception {
        try (Pg db = new Pg()) {
            existingOrders(db);
            update(db, "changelog-index-tx-false.xml");
            assertThat(db.count("SELECT count(*) FROM " + db.schema + ".databasechangelog WHERE exectype = 'EXECUTED'"))
                    .isEqualTo(2);
            assertThat(db.indexValid("orders_customer_idx")).isEqualTo("t");
            JsonNode index = auditOf("orders_customer_idx");
            assertThat(index.get("decision").asText()).isEqualTo("rewritten");
            assertThat(index.get("executed_sql").asText()).contains("CONCURRENTLY");
        }
    }

    /** A table with rows from before the run: one the same run created would be exempt from the rules (issue 15). */
    private static void existingOrders(Pg db) throws java.sql.SQLException {
        db.exec("CREATE SCHEMA " + db.schema);
        db.exec("CREATE TABLE " + db.schema + ".orders (id bigint PRIMARY KEY, customer_id bigint)");
        db.exec("INSERT INTO " + db.schema + ".orders SELECT g, g % 10 FROM generate_series(1, 1000) g");
    }

    private static String chain(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }

    private JsonNode auditOf(String fragment) {
        List<JsonNode> hits = log.audit().stream()
                .filter(r -> r.get("sql").asText().contains(fragment))
                .toList();
        assertThat(hits)
                .as("audit records with " + fragment + " in " + log.audit())
                .hasSize(1);
        return hits.get(0);
    }
}
