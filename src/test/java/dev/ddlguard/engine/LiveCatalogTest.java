package dev.ddlguard.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddlguard.dialect.CatalogQuery;
import dev.ddlguard.dialect.Dialect;
import dev.ddlguard.rules.Catalog;
import dev.ddlguard.rules.LockImpact;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.support.H2;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How the live catalog answers when its questions fail (the real-server faults are in
 * reliability/PostgresCatalogFaultsTest and MariaDbCatalogFaultsTest): "unknown", never an exception,
 * a failure list for the audit note, and no second wait on a table after a timeout.
 */
class LiveCatalogTest {

    private static final QualifiedName ORDERS = QualifiedName.of("orders");

    /** A dialect whose catalog questions fail as told, recording which were asked. */
    static final class FailingDialect implements Dialect {
        final List<String> asked = new ArrayList<>();
        SQLException failure;

        @Override
        public String name() {
            return "failing";
        }

        @Override
        public SqlSyntax syntax() {
            return SqlSyntax.POSTGRESQL;
        }

        @Override
        public LockImpact lockImpact(DdlStatement statement) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Catalog catalog(Connection connection) {
            return new Catalog() {
                @Override
                public TableSize tableSize(QualifiedName table) {
                    asked.add("size");
                    throw new CatalogQuery.Unanswered(failure);
                }

                @Override
                public String columnType(QualifiedName table, Identifier column) {
                    asked.add("type");
                    throw new CatalogQuery.Unanswered(failure);
                }

                @Override
                public List<Session> lockHolders(QualifiedName table) {
                    asked.add("holders");
                    return List.of();
                }
            };
        }
    }

    @Test
    void aFailureWithoutSqlStateIsUnknownAndNoted() throws SQLException {
        FailingDialect dialect = new FailingDialect();
        dialect.failure = new SQLException("information_schema could not read orders: Lock wait timeout exceeded");
        try (H2 db = new H2();
                Connection c = db.raw()) {
            LiveCatalog catalog = new LiveCatalog(c, dialect, true);
            catalog.startJudging();

            assertThat(catalog.tableSize(ORDERS)).isEqualTo(Catalog.TableSize.UNKNOWN);
            assertThat(catalog.columnType(ORDERS, new Identifier("amount", false)))
                    .isNull();

            assertThat(catalog.takeFailures())
                    .isEqualTo("size of orders: information_schema could not read orders: "
                            + "Lock wait timeout exceeded; type of orders.amount: information_schema could not read orders: "
                            + "Lock wait timeout exceeded");
            assertThat(catalog.takeFailures()).as("taken once").isNull();
        }
    }

    @Test
    void afterATimeoutQuestionsThatOpenTheTableAreSkippedButSessionQuestionsAreAsked() throws SQLException {
        FailingDialect dialect = new FailingDialect();
        dialect.failure = new SQLTimeoutException("Query execution was interrupted (max_statement_time exceeded)");
        try (H2 db = new H2();
                Connection c = db.raw()) {
            LiveCatalog catalog = new LiveCatalog(c, dialect, true);
            catalog.startJudging();

            catalog.tableSize(ORDERS);
            catalog.columnType(ORDERS, new Identifier("amount", false));
            catalog.lockHolders(ORDERS);
            assertThat(dialect.asked).containsExactly("size", "holders");
            assertThat(catalog.takeFailures()).endsWith("(later questions that could wait on the table skipped)");

            catalog.startJudging(); // the next SQL string asks again
            catalog.tableSize(ORDERS);
            assertThat(dialect.asked).containsExactly("size", "holders", "size");
        }
    }

    @Test
    void aFailedQuestionInsideATransactionLeavesItUsable() throws SQLException {
        FailingDialect dialect = new FailingDialect();
        dialect.failure = new SQLException("permission denied", "42501");
        try (H2 db = new H2();
                Connection c = db.raw()) {
            db.setup("CREATE TABLE orders(id INT)");
            c.setAutoCommit(false);
            c.createStatement().execute("INSERT INTO orders VALUES (1)");
            LiveCatalog catalog = new LiveCatalog(c, dialect, true);
            catalog.startJudging();

            catalog.tableSize(ORDERS);

            c.createStatement().execute("INSERT INTO orders VALUES (2)");
            c.commit();
            assertThat(db.count("SELECT COUNT(*) FROM orders")).isEqualTo(2);
        }
    }
}
