package dev.ddlguard.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcDataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Non-DDL statements on H2 in-memory, where a query costs microseconds and any interception cost
 * shows. Each variant gets its own database so inserts of one do not slow another.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class H2Bench {

    static final int ROWS = 1000;

    @Param({"RAW", "DSPROXY", "P6SPY", "DDLGUARD"})
    public Variant variant;

    private Connection raw;
    private Connection connection;
    private Statement statement;
    private PreparedStatement pointSelect;
    private PreparedStatement insert;
    private PreparedStatement batchInsert;
    private int next;
    private long insertId;

    @Setup(Level.Trial)
    public void setUp() throws SQLException {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:bench_" + variant + ";DB_CLOSE_DELAY=-1");
        raw = ds.getConnection();
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(40), qty INT)");
            s.execute("CREATE TABLE event (id BIGINT, payload VARCHAR(40))");
            s.execute("INSERT INTO item SELECT x, 'item-' || x, x * 3 FROM SYSTEM_RANGE(1, " + ROWS + ")");
        }
        connection = variant.wrap(ds).getConnection();
        statement = connection.createStatement();
        pointSelect = connection.prepareStatement("SELECT name, qty FROM item WHERE id = ?");
        insert = connection.prepareStatement("INSERT INTO event (id, payload) VALUES (?, ?)");
        batchInsert = connection.prepareStatement("INSERT INTO event (id, payload) VALUES (?, ?)");
    }

    /** Keeps the insert table from growing without bound across iterations (outside the measurement). */
    @Setup(Level.Iteration)
    public void emptyEvents() throws SQLException {
        try (Statement s = raw.createStatement()) {
            s.execute("TRUNCATE TABLE event");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
        connection.close();
        try (Statement s = raw.createStatement()) {
            s.execute("DROP ALL OBJECTS");
        }
        raw.close();
    }

    @Benchmark
    public long statementPointSelect() throws SQLException {
        try (ResultSet rs = statement.executeQuery("SELECT name, qty FROM item WHERE id = 42")) {
            rs.next();
            return rs.getString(1).length() + rs.getInt(2);
        }
    }

    /** Prepared once in setup, executed here: what a pool's statement cache gives an application. */
    @Benchmark
    public long preparedPointSelect() throws SQLException {
        pointSelect.setInt(1, 1 + (next++ % ROWS));
        try (ResultSet rs = pointSelect.executeQuery()) {
            rs.next();
            return rs.getString(1).length() + rs.getInt(2);
        }
    }

    @Benchmark
    public int insertOne() throws SQLException {
        insert.setLong(1, insertId++);
        insert.setString(2, "payload");
        return insert.executeUpdate();
    }

    @Benchmark
    public int[] insertBatch100() throws SQLException {
        for (int i = 0; i < 100; i++) {
            batchInsert.setLong(1, insertId++);
            batchInsert.setString(2, "payload");
            batchInsert.addBatch();
        }
        return batchInsert.executeBatch();
    }
}
