package dev.ddlguard.speed;

import static dev.ddlguard.support.TestDatabases.MARIADB_URL;
import static dev.ddlguard.support.TestDatabases.PG_URL;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddlguard.support.LogCapture;
import dev.ddlguard.support.RoundTripRelay;
import dev.ddlguard.support.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The cost of DDL through the guard, counted on the wire (issue 15, point 8): the round trips the guard
 * adds to each statement kind of a fresh-schema migration (CREATE TABLE, with and without a foreign key,
 * ADD COLUMN and CREATE INDEX on tables this run created), in autocommit and in a transaction, on real
 * PostgreSQL and MariaDB. Counts, not times: a loaded machine cannot turn this red, and a change that
 * brings a catalog question back for these statements does.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FreshSchemaRoundTripsTest {

    private final String p = "rt_" + Long.toHexString(System.nanoTime());
    private final List<String> dropPg = new ArrayList<>();
    private final List<String> dropMaria = new ArrayList<>();

    @AfterEach
    void dropTables() throws SQLException {
        if (!dropPg.isEmpty()) {
            try (Connection c = TestDatabases.postgres();
                    Statement st = c.createStatement()) {
                for (String t : dropPg) {
                    st.execute("DROP TABLE IF EXISTS " + t + " CASCADE");
                }
            }
        }
        if (!dropMaria.isEmpty()) {
            try (Connection c = TestDatabases.mariadb();
                    Statement st = c.createStatement()) {
                st.execute("SET FOREIGN_KEY_CHECKS = 0");
                for (String t : dropMaria) {
                    st.execute("DROP TABLE IF EXISTS " + t);
                }
            }
        }
    }

    /** The statement kinds of the fresh-schema run, on tables named {@code <prefix>_a}, {@code _b}. */
    private static Map<String, String> script(String t, boolean postgres) {
        Map<String, String> s = new LinkedHashMap<>();
        String engine = postgres ? "" : " ENGINE=InnoDB";
        s.put(
                "create table, no reference",
                "CREATE TABLE " + t + "_a (id bigint PRIMARY KEY, name varchar(50))" + engine);
        s.put(
                "create table with a foreign key",
                "CREATE TABLE " + t + "_b (id bigint PRIMARY KEY, a_id bigint NOT NULL" + " REFERENCES " + t
                        + "_a (id), name varchar(50))" + engine);
        s.put("add column", "ALTER TABLE " + t + "_b ADD COLUMN note varchar(100)");
        s.put("create index", "CREATE INDEX " + t + "_b_name ON " + t + "_b (name)");
        return s;
    }

    /** Round trips per statement kind, on one connection through the relay, with the SQL each sent. */
    private static Map<String, List<String>> run(
            RoundTripRelay relay, Connection c, Map<String, String> script, boolean transaction) throws SQLException {
        Map<String, List<String>> sent = new LinkedHashMap<>();
        c.setAutoCommit(!transaction);
        try (Statement st = c.createStatement()) {
            for (Map.Entry<String, String> e : script.entrySet()) {
                relay.reset();
                st.execute(e.getValue());
                sent.put(e.getKey(), relay.sent());
            }
        }
        if (transaction) {
            c.commit();
        }
        return sent;
    }

    private Map<String, List<String>> added(String url, String[] settings, boolean postgres, boolean transaction)
            throws Exception {
        try (RoundTripRelay relay = new RoundTripRelay(url)) {
            String relayed = relay.url(url);
            Map<String, List<String>> raw;
            Map<String, List<String>> guarded;
            try (Connection c = DriverManager.getConnection(relayed)) {
                raw = run(relay, c, script(p + "_raw" + (transaction ? "t" : ""), postgres), transaction);
            }
            java.util.Properties props = new java.util.Properties();
            for (int i = 0; i < settings.length; i += 2) {
                props.setProperty(settings[i], settings[i + 1]);
            }
            try (Connection c =
                            DriverManager.getConnection("jdbc:ddlguard:" + relayed.substring("jdbc:".length()), props);
                    LogCapture log = LogCapture.start()) {
                String schema;
                try (Connection plain = DriverManager.getConnection(url)) {
                    schema = postgres ? plain.getSchema() : plain.getCatalog();
                }
                guarded = run(relay, c, script(p + "_g" + (transaction ? "t" : ""), postgres), transaction);
                // The verdicts are the catalog's: every statement of the run allowed as written, each record naming
                // the schema it ran in (the answer asked while judging, reused for the record).
                List<JsonNode> records = log.audit();
                assertThat(records).hasSize(4);
                for (JsonNode r : records) {
                    assertThat(r.get("decision").asText()).as(r.toString()).isIn("allowed");
                    if (postgres) {
                        assertThat(r.get("schema").asText()).as(r.toString()).isEqualTo(schema);
                    }
                }
            }
            Map<String, List<String>> extra = new LinkedHashMap<>();
            for (String kind : raw.keySet()) {
                // What the guard sent besides what the raw driver sent for the same statement (pgjdbc's BEGIN
                // included).
                List<String> more = new ArrayList<>(guarded.get(kind));
                for (String own : raw.get(kind)) {
                    String ownKind = own.startsWith("BEGIN") ? "BEGIN" : own.substring(0, Math.min(12, own.length()));
                    more.stream().filter(m -> m.startsWith(ownKind)).findFirst().ifPresent(more::remove);
                }
                assertThat(more)
                        .as("what the guard sent for " + kind + ": " + guarded.get(kind) + ", raw: " + raw.get(kind))
                        .hasSize(guarded.get(kind).size() - raw.get(kind).size());
                extra.put(kind, more);
            }
            return extra;
        }
    }

    private void track(boolean postgres) {
        for (String run : List.of("_raw", "_rawt", "_g", "_gt")) {
            for (String t : List.of("_b", "_a")) {
                (postgres ? dropPg : dropMaria).add(p + run + t);
            }
        }
    }

    /**
     * PostgreSQL: one round trip for the whole run, {@code select current_schema()} (pgjdbc's getSchema()),
     * asked by the first statement for the audit record's schema and the run's record of created tables, then
     * kept: nothing between these statements can change it (what can, and is watched for, is in
     * SchemaKeptAcrossStatementsTest). Before that, it was asked once per statement. No catalog question
     * (the tables are this run's: their size, lock holders and age decide nothing, see Exemption), no savepoint,
     * no lock timeout read, set or restored (nothing they lock existed before the run). Before this change:
     * 4, 5, 6, 7 in autocommit and 10, 13, 19, 19 in a transaction.
     */
    @Test
    void postgres() throws Exception {
        TestDatabases.postgres().close();
        track(true);
        String[] settings = {"ddlguard.rule.require-concurrent-index", "allow"};
        Map<String, List<String>> autocommit = added(PG_URL, settings, true, false);
        print("postgresql autocommit", autocommit);
        Map<String, List<String>> transaction = added(PG_URL, settings, true, true);
        print("postgresql transaction", transaction);
        for (Map<String, List<String>> run : List.of(autocommit, transaction)) {
            run.forEach((kind, sent) -> assertThat(sent)
                    .as("round trips the guard added to " + kind)
                    .isEqualTo(
                            kind.equals("create table, no reference")
                                    ? List.of("select current_schema()")
                                    : List.of()));
        }
    }

    /**
     * MariaDB: nothing for any of the four. MariaDB Connector/J knows the current database from the
     * session-tracking it is told, and no lock timeout is set since nothing they lock existed before the run. The
     * table's index types (a FULLTEXT index rules out an instant or online change, which the record's lock and the
     * rewrite of require-online-ddl are made of) are not asked for a table this run created with no FULLTEXT index
     * the guard saw: information_schema.STATISTICS costs 0.15-0.3 ms a question there. Before: 3, 3, 10, 9; then
     * 0, 0, 1, 1.
     */
    @Test
    void mariadb() throws Exception {
        TestDatabases.mariadb().close();
        track(false);
        Map<String, List<String>> autocommit = added(MARIADB_URL, new String[0], false, false);
        print("mariadb autocommit", autocommit);
        autocommit.forEach((kind, sent) ->
                assertThat(sent).as("round trips the guard added to " + kind).isEmpty());
    }

    /**
     * A table this run created with a FULLTEXT index: its index types are asked again before an ADD COLUMN (the
     * FULLTEXT index makes it a table copy), and the record's lock says so.
     */
    @Test
    void mariadbAsksTheIndexTypesOfANewTableWithAFulltextIndex() throws Exception {
        TestDatabases.mariadb().close();
        String t = p + "_ft";
        dropMaria.add(t);
        try (RoundTripRelay relay = new RoundTripRelay(MARIADB_URL);
                Connection c = DriverManager.getConnection(
                        "jdbc:ddlguard:" + relay.url(MARIADB_URL).substring("jdbc:".length()));
                Statement st = c.createStatement();
                LogCapture log = LogCapture.start()) {
            st.execute("CREATE TABLE " + t + " (id bigint PRIMARY KEY, body text, FULLTEXT KEY " + t
                    + "_f (body)) ENGINE=InnoDB");
            relay.reset();
            st.execute("ALTER TABLE " + t + " ADD COLUMN note varchar(10)");
            assertThat(relay.sent()).anyMatch(q -> q.contains("INDEX_TYPE FROM information_schema.STATISTICS"));
            JsonNode alter = log.audit().get(1);
            assertThat(alter.get("decision").asText()).as(alter.toString()).isEqualTo("allowed");
            assertThat(alter.get("lock").get("blocks").toString())
                    .as(alter.toString())
                    .contains("writes");
        }
    }

    private static void print(String what, Map<String, List<String>> extra) {
        System.out.println("== " + what);
        extra.forEach((k, v) -> System.out.println("  " + k + ": " + v.size() + " " + v));
    }
}
