package dev.ddlguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ddlguard.support.H2;
import dev.ddlguard.support.LogCapture;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Attempts to slip a DROP TABLE past the guard, run for real on H2: each must be blocked, and the
 * table must still exist afterwards. And the converse: text that merely mentions DDL is not DDL.
 */
class BypassTest {

    private H2 db;
    private LogCapture log;

    @BeforeEach
    void setUp() throws SQLException {
        db = new H2();
        db.setup("CREATE TABLE orders(id INT, note VARCHAR(100))", "INSERT INTO orders VALUES (1, 'x')");
        log = LogCapture.start();
    }

    @AfterEach
    void tearDown() throws SQLException {
        log.close();
        db.close();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "drop table orders",
                "DrOp TaBlE orders",
                "  \t\n DROP TABLE orders",
                "DROP\tTABLE\norders",
                "-- a harmless comment\nDROP TABLE orders",
                "/* a comment */ DROP TABLE orders",
                "/* nested /* comment */ still */ DROP TABLE orders",
                "DROP /* in between */ TABLE orders",
                "DROP -- line comment\n TABLE orders",
                "DROP TABLE /* x */ orders",
                "DROP TABLE \"ORDERS\"",
                "DROP TABLE PUBLIC.orders",
                "DROP TABLE IF EXISTS orders",
                "DROP TABLE orders CASCADE",
                "SELECT 1; DROP TABLE orders",
                "INSERT INTO orders VALUES (2, 'y'); DROP TABLE orders",
                "UPDATE orders SET note = 'a;b'; DROP TABLE orders;",
                "CREATE TABLE harmless(id INT); DROP TABLE orders",
                "SELECT ';'; -- ;\n DROP TABLE orders",
                "\u00a0DROP TABLE orders",
            })
    void dropTableIsBlockedHoweverItIsWritten(String sql) throws SQLException {
        try (Connection c = db.guarded();
                Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.execute(sql))
                    .isInstanceOf(BlockedStatementException.class)
                    .hasMessageContaining("drop-table");
        }
        assertThat(db.tableExists("orders")).isTrue();
        assertThat(db.count("SELECT COUNT(*) FROM orders"))
                .as("nothing of the string ran")
                .isEqualTo(1);
        assertThat(db.tableExists("harmless")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "SELECT 'DROP TABLE orders' FROM orders",
                "UPDATE orders SET note = 'DROP TABLE orders; --'",
                "SELECT 1 -- ; DROP TABLE orders",
                "SELECT 1 /* ; DROP TABLE orders */",
                "SELECT \"ID\" AS \"DROP TABLE orders\" FROM orders",
                "SELECT created FROM (SELECT 1 AS created) dropped",
                "(SELECT 1)",
                "WITH x AS (SELECT 1) SELECT * FROM x",
            })
    void textThatMentionsDdlIsNotJudged(String sql) throws SQLException {
        try (Connection c = db.guarded();
                Statement st = c.createStatement()) {
            st.execute(sql);
        }
        assertThat(db.tableExists("orders")).isTrue();
        assertThat(log.audit()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"DROP TABLE orders", "/* x */ drop table orders", "SELECT 1; DROP TABLE orders"})
    void preparedAndCallableAreJudgedAtPrepare(String sql) throws SQLException {
        try (Connection c = db.guarded()) {
            assertThatThrownBy(() -> c.prepareStatement(sql)).isInstanceOf(BlockedStatementException.class);
            assertThatThrownBy(() -> c.prepareCall(sql)).isInstanceOf(BlockedStatementException.class);
        }
        assertThat(db.tableExists("orders")).isTrue();
    }
}
