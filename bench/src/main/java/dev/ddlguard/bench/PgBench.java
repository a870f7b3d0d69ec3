package dev.ddlguard.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
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
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Non-DDL statements against a real PostgreSQL on loopback (bench.pg.url, default
 * jdbc:postgresql://127.0.0.1:5432/test?user=postgres). Each variant uses its own tables.
 * synchronous_commit is off for the session so inserts measure the driver path, not fsync; that
 * makes the denominator smaller and the ratio to raw harder, not easier, to meet.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PgBench {

    static final int ROWS = 1000;

    @Param({"RAW", "DSPROXY", "P6SPY", "DDLGUARD"})
    public Variant variant;

    private Connection raw;
    private Connection connection;
    private PreparedStatement pointSelect;
    private PreparedStatement insert;
    private String item;
    private String event;
    private int next;
    private long insertId;

    @Setup(Level.Trial)
    public void setUp() throws SQLException {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(System.getProperty("bench.pg.url", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres"));
        item = "bench_item_" + variant.name().toLowerCase();
        event = "bench_event_" + variant.name().toLowerCase();
        raw = ds.getConnection();
        try (Statement s = raw.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + item + ", " + event);
            s.execute("CREATE TABLE " + item + " (id INT PRIMARY KEY, name VARCHAR(40), qty INT)");
            s.execute("CREATE TABLE " + event + " (id BIGINT, payload VARCHAR(40))");
            s.execute("INSERT INTO " + item + " SELECT x, 'item-' || x, x * 3 FROM generate_series(1, " + ROWS + ") x");
            s.execute("ANALYZE " + item);
        }
        connection = variant.wrap(ds).getConnection();
        try (Statement s = connection.createStatement()) {
            s.execute("SET synchronous_commit = off");
        }
        pointSelect = connection.prepareStatement("SELECT name, qty FROM " + item + " WHERE id = ?");
        insert = connection.prepareStatement("INSERT INTO " + event + " (id, payload) VALUES (?, ?)");
    }

    @Setup(Level.Iteration)
    public void emptyEvents() throws SQLException {
        try (Statement s = raw.createStatement()) {
            s.execute("TRUNCATE " + event);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
        connection.close();
        try (Statement s = raw.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + item + ", " + event);
        }
        raw.close();
    }

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
}
