package dev.ddlguard.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ddlguard through plain JDBC: a small shop schema migrated step by step, with the guard judging
 * every DDL statement by PostgreSQL's lock semantics.
 *
 * <p>By default the database is an in-memory H2. That is the everyday setup of a test suite: run
 * against H2, but judge the migrations by the rules of the production database. With
 * {@code ddlguard.target=postgresql} on an H2 connection the guard applies PostgreSQL's verdicts
 * and blocks, and reports (but does not send) the rewrites it would make there, since their syntax
 * belongs to PostgreSQL.
 *
 * <p>With the argument {@code postgres} ({@code -Dexec.args=postgres}) the same steps run against a
 * real PostgreSQL, in a schema of their own that the demo drops and creates first. There the
 * rewrites are what PostgreSQL runs ({@code CREATE INDEX CONCURRENTLY}, a foreign key added
 * {@code NOT VALID} then validated), and the lock impact in the audit records carries the table's
 * rows and bytes, read from the live catalog. A second argument replaces the default URL.
 *
 * <p>Each step prints a heading, the SQL and what happened. The guard's own lines appear behind
 * {@code GUARD }, its audit records (one JSON line per DDL statement) behind {@code AUDIT }; see
 * {@code src/main/resources/logback.xml}. The audit records also go to
 * {@code target/ddlguard-audit.jsonl}, which the program reads back to check each step and to print
 * a summary at the end.
 *
 * <p>It doubles as a smoke test: if a step does not behave as described, it throws, and
 * {@code mvn ... exec:java} exits non-zero.
 */
public final class PlainJdbcDemo {

    /**
     * The guarded URL: {@code jdbc:ddlguard:} followed by the real URL without its {@code jdbc:}.
     * Here the real URL is {@code jdbc:h2:mem:demo;DB_CLOSE_DELAY=-1} (an in-memory database that
     * lives until the JVM exits).
     *
     * <p>Settings whose name starts with {@code ddlguard.} can ride along in the URL, in the real
     * driver's own syntax: {@code ;key=value} segments for H2, {@code ?key=value&...} for PostgreSQL
     * and MySQL. The guard removes them before H2 sees the URL. The same setting could instead be
     * passed as a {@code Properties} entry, {@code props.setProperty("ddlguard.target", "postgresql")},
     * the way {@code ddlguard.mode} is passed below.
     */
    static final String URL = "jdbc:ddlguard:h2:mem:demo;DB_CLOSE_DELAY=-1;ddlguard.target=postgresql";

    /**
     * The guarded URL of the real PostgreSQL, for {@code postgres} runs: the database this
     * project's tests use. No {@code ddlguard.target}: the default, {@code auto}, judges by the
     * connected database. User and schema are passed as {@code Properties} (see {@link #main}), so
     * a URL given as second argument may be just {@code jdbc:ddlguard:postgresql://host:5432/db};
     * its own {@code ?user=...&password=...} win over them.
     */
    static final String POSTGRES_URL = "jdbc:ddlguard:postgresql://127.0.0.1:5432/test";

    /** The PostgreSQL schema the demo owns: dropped and created at each start, so it can be re-run. */
    static final String SCHEMA = "ddlguard_demo";

    /**
     * Where Logback writes the audit records (see logback.xml). The pom sets this system property to
     * the project's own target/ folder, because {@code mvn -f examples/plain-jdbc/pom.xml} runs the
     * program in the directory Maven was started from. Its name deliberately does not start with
     * {@code ddlguard.}: the guard reads every {@code ddlguard.*} system property as one of its
     * settings and rejects the names it does not know.
     */
    static final Path AUDIT_FILE = Path.of(System.getProperty("plainjdbc.audit.file", "target/ddlguard-audit.jsonl"));

    /** True when running against the real PostgreSQL, false on H2 (the default). */
    private static boolean postgres;

    /** How many lines of the audit file earlier steps have already looked at. */
    private static int auditLinesSeen;

    private PlainJdbcDemo() {
    }

    public static void main(String[] args) throws Exception {
        String database = args.length > 0 ? args[0] : "h2";
        if (!database.equals("h2") && !database.equals("postgres") || args.length > 2) {
            throw new IllegalArgumentException("usage: PlainJdbcDemo [h2 | postgres [jdbc:ddlguard:postgresql://host:port/db]]");
        }
        postgres = database.equals("postgres");
        String url = postgres ? (args.length > 1 ? args[1] : POSTGRES_URL) : URL;

        Properties props = new Properties();
        if (postgres) {
            props.setProperty("user", "postgres");
            // pgjdbc sets search_path to this schema: the demo's tables go there, not into public.
            props.setProperty("currentSchema", SCHEMA);
        } else {
            props.setProperty("user", "sa");
            props.setProperty("password", "");
        }

        System.out.println("ddlguard plain-JDBC demo");
        previousRelease(url, props);
        // enforce is the default; saying so here keeps a DDLGUARD_MODE=audit in the environment
        // or a -Dddlguard.mode=... from turning the demo's blocks into mere audit records.
        // Driver properties and URL settings rank above system properties and the environment.
        props.setProperty("ddlguard.mode", "enforce");

        // A URL given as argument may carry a password: not for the terminal.
        String shown = url.replaceAll("(?i)(password=)[^&;]*", "$1***");
        System.out.println("Connecting to " + shown + (postgres ? " (schema " + SCHEMA + ")" : ""));
        System.out.println(postgres
                ? "(the real PostgreSQL: rewrites are sent, lock impact is read from its live catalog)"
                : "(H2 in memory, every DDL statement judged as PostgreSQL would run it)");

        // DriverManager finds dev.ddlguard.DdlGuardDriver through META-INF/services/java.sql.Driver
        // in the ddlguard jar; the guard in turn finds the real driver through DriverManager.
        try (Connection conn = DriverManager.getConnection(url, props);
             Statement st = conn.createStatement()) {
            // Autocommit is JDBC's default, and the mode Flyway uses for PostgreSQL scripts marked
            // executeInTransaction=false. It matters for steps 4 and 5: CREATE INDEX CONCURRENTLY
            // cannot run inside a transaction block, and the foreign-key rewrite needs its NOT VALID
            // and VALIDATE CONSTRAINT to commit separately (inside a transaction both are blocked).
            DatabaseMetaData meta = conn.getMetaData();
            System.out.println("Connected to " + meta.getDatabaseProductName() + " " + meta.getDatabaseProductVersion()
                    + ". Autocommit: " + conn.getAutoCommit());

            createTables(st);
            insertRows(conn, st);
            addNullableColumn(st);
            createIndex(conn, st);
            addForeignKey(conn, st);
            addNotNullColumn(conn, st);
            dropTable(conn, st);
            dropTableWithInlineAllow(conn, st);
        }

        printSummary();
    }

    /**
     * The schema the previous release left behind: {@code customers} and {@code orders}, created through
     * the real driver (the guarded URL without {@code ddlguard:} and its settings), as an earlier deploy
     * did. This is setup, not a migration to judge. The guard treats tables created through it in the same
     * run as new (no deployed code, no rows to lock for long), so the steps that show rewrites and blocks
     * need tables it did not see being created. On PostgreSQL it first drops and creates the demo's own
     * schema, so the demo can be run again and leaves the rest of the database alone.
     */
    private static void previousRelease(String guardedUrl, Properties props) throws SQLException {
        String realUrl = "jdbc:" + guardedUrl.substring("jdbc:ddlguard:".length())
                .replaceAll(";ddlguard\\.[^;]*", "").replaceAll("([?&])ddlguard\\.[^&]*&?", "$1");
        List<String> setup = List.of(
                "CREATE TABLE customers (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
                        + " email VARCHAR(255) NOT NULL UNIQUE, name VARCHAR(100) NOT NULL)",
                // the foreign key to customers comes in step 5, the way a later migration adds one
                "CREATE TABLE orders (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, customer_id BIGINT NOT NULL,"
                        + " total DECIMAL(10,2) NOT NULL, placed_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)");
        System.out.println("The previous release's schema, through the real driver (not judged):");
        try (Connection conn = DriverManager.getConnection(realUrl, props);
             Statement st = conn.createStatement()) {
            if (postgres) {
                String reset = "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE; CREATE SCHEMA " + SCHEMA;
                System.out.println("  " + reset);
                st.execute(reset);
            }
            for (String sql : setup) {
                System.out.println("  " + sql);
                st.execute(sql);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // The migration, step by step
    // ---------------------------------------------------------------------------------------------

    /** Step 1: a new table locks nothing anybody else uses yet. No rule objects; the guard allows it. */
    private static void createTables(Statement st) throws SQLException, IOException {
        heading(1, "Create a table (safe: a new table locks nothing in use)");

        String notes = """
                CREATE TABLE order_notes (
                    id         BIGINT        GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                    order_id   BIGINT        NOT NULL,
                    body       VARCHAR(1000) NOT NULL,
                    created_at TIMESTAMP     DEFAULT CURRENT_TIMESTAMP NOT NULL
                )""";
        showSql(notes);
        st.execute(notes);
        String record = oneNewAuditRecord();
        expect("allowed".equals(field(record, "decision")),
                "expected the guard to allow " + firstLine(notes) + ", audit record: " + record);
        result("allowed: " + db() + " created the table; the audit record says decision=allowed.");
    }

    /** Step 2: plain DML passes through the guard untouched, and leaves no audit record. */
    private static void insertRows(Connection conn, Statement st) throws SQLException, IOException {
        heading(2, "Insert a few rows (DML passes straight through)");

        String customers = "INSERT INTO customers (email, name) VALUES "
                + "('ada@example.com', 'Ada'), ('grace@example.com', 'Grace'), ('linus@example.com', 'Linus')";
        showSql(customers);
        int added = st.executeUpdate(customers);
        result(added + " customers inserted.");

        // Prepared statements go through the same proxy; for DML the guard only glances at the SQL.
        String order = "INSERT INTO orders (customer_id, total) VALUES (?, ?)";
        showSql(order + "   -- a PreparedStatement, run for 4 orders");
        try (PreparedStatement ps = conn.prepareStatement(order)) {
            Object[][] rows = {{1L, "19.90"}, {1L, "5.00"}, {2L, "120.00"}, {3L, "42.42"}};
            for (Object[] row : rows) {
                ps.setLong(1, (Long) row[0]);
                ps.setBigDecimal(2, new java.math.BigDecimal((String) row[1]));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        result(count(st, "SELECT COUNT(*) FROM orders") + " orders inserted.");

        if (postgres) {
            // The guard reads row counts from pg_class.reltuples, the planner's estimate, which a
            // new table only gets from ANALYZE (autovacuum runs it later on its own).
            showSql("ANALYZE customers, orders");
            st.execute("ANALYZE customers, orders");
        }

        List<String> records = newAuditRecords();
        expect(records.isEmpty(), "DML must not produce audit records, got: " + records);
        result("No audit record: the guard judges DDL only.");
    }

    /** Step 3: a nullable column without a default is a catalog-only change on PostgreSQL. */
    private static void addNullableColumn(Statement st) throws SQLException, IOException {
        heading(3, "Add a nullable column (safe: a brief catalog change, no table rewrite)");

        String sql = "ALTER TABLE orders ADD COLUMN shipped_at TIMESTAMP";
        showSql(sql);
        st.execute(sql);
        String record = oneNewAuditRecord();
        expect("allowed".equals(field(record, "decision")), "expected the guard to allow the nullable column, audit record: " + record);
        result("allowed: the column was added; existing rows read NULL.");
    }

    /**
     * Step 4: a plain CREATE INDEX on PostgreSQL holds a SHARE lock that blocks every write to the
     * table while the index builds. The rule require-concurrent-index rewrites it to
     * CREATE INDEX CONCURRENTLY, which PostgreSQL runs instead (in autocommit). On H2 the rewrite is
     * only reported and H2 runs the statement as written.
     */
    private static void createIndex(Connection conn, Statement st) throws SQLException, IOException {
        heading(4, "Index orders.customer_id (unsafe on PostgreSQL: blocks writes while it builds)");

        String sql = "CREATE INDEX orders_customer_idx ON orders (customer_id)";
        expectRewritten(st, sql, "require-concurrent-index", "CONCURRENTLY");

        if (postgres) {
            expect(Boolean.TRUE.equals(indexIsValid(conn, "orders_customer_idx")),
                    "orders_customer_idx is missing or INVALID in pg_index");
            result("pg_index: orders_customer_idx exists and indisvalid = true.");
        } else {
            expect(indexExists(conn, "ORDERS_CUSTOMER_IDX"), "the index was not created on H2");
            result("The index exists on H2.");
        }
    }

    /**
     * Step 5: adding a foreign key to a table with rows checks every row under a SHARE ROW
     * EXCLUSIVE lock on both tables, which blocks their writes for the whole scan. The rule
     * constraint-missing-not-valid rewrites it to ADD CONSTRAINT ... NOT VALID (instant: only new
     * rows are checked) followed by VALIDATE CONSTRAINT (checks the old rows without blocking writes).
     */
    private static void addForeignKey(Connection conn, Statement st) throws SQLException, IOException {
        heading(5, "Add a foreign key (unsafe: blocks writes to both tables while it checks every row)");

        String sql = "ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id)";
        expectRewritten(st, sql, "constraint-missing-not-valid", "VALIDATE CONSTRAINT orders_customer_fk");

        if (postgres) {
            expect(Boolean.TRUE.equals(constraintIsValidated(conn, "orders_customer_fk")),
                    "orders_customer_fk is missing or not validated in pg_constraint");
            result("pg_constraint: orders_customer_fk exists and convalidated = true.");
        } else {
            expect(constraintExists(conn, "ORDERS_CUSTOMER_FK"), "the foreign key was not created on H2");
            result("The foreign key exists on H2.");
        }
    }

    /**
     * Step 6: a NOT NULL column without a default fails on a table that has rows, and breaks
     * deployed code that does not write it. Blocked by add-column-not-null: the statement never
     * reaches the database, and the caller gets an SQLException with SQLState XDG01.
     */
    private static void addNotNullColumn(Connection conn, Statement st) throws SQLException, IOException {
        heading(6, "Add a NOT NULL column without a default (blocked)");

        String sql = "ALTER TABLE customers ADD COLUMN loyalty_tier VARCHAR(20) NOT NULL";
        showSql(sql);
        SQLException blocked = expectBlocked(st, sql, "add-column-not-null");
        printBlocked(blocked);

        expect(!columnExists(conn, "customers", "loyalty_tier"), "the blocked column exists after all");
        result("INFORMATION_SCHEMA.COLUMNS has no customers.loyalty_tier: nothing reached " + db() + ".");
        result("The connection is still usable: " + count(st, "SELECT COUNT(*) FROM customers") + " customers.");
    }

    /** Step 7: DROP TABLE destroys data irreversibly. Blocked by drop-table. */
    private static void dropTable(Connection conn, Statement st) throws SQLException, IOException {
        heading(7, "Drop the orders table (blocked)");

        String sql = "DROP TABLE orders";
        showSql(sql);
        SQLException blocked = expectBlocked(st, sql, "drop-table");
        printBlocked(blocked);

        expect(tableExists(conn, "orders"), "the table is gone although the DROP was blocked");
        result("orders still exists, with " + count(st, "SELECT COUNT(*) FROM orders") + " rows.");
    }

    /**
     * Step 8: when a drop really is intended, back the data up and say so in the statement itself.
     * The inline comment {@code /* ddlguard:allow <rule-id> <reason> *}{@code /} lets the statement
     * through for that one rule, and its reason goes into the audit record.
     */
    private static void dropTableWithInlineAllow(Connection conn, Statement st) throws SQLException, IOException {
        heading(8, "Back up, then drop with an inline ddlguard:allow comment (allowed, with a reason)");

        String backup = "CREATE TABLE orders_backup AS SELECT * FROM orders";
        showSql(backup);
        st.execute(backup);
        String backupRecord = oneNewAuditRecord();
        expect("allowed".equals(field(backupRecord, "decision")), "expected the backup table to be allowed: " + backupRecord);
        result("allowed: orders_backup holds " + count(st, "SELECT COUNT(*) FROM orders_backup") + " rows.");

        String drop = "/* ddlguard:allow drop-table demo data only, backed up in orders_backup */ DROP TABLE orders";
        showSql(drop);
        st.execute(drop);
        String record = oneNewAuditRecord();
        expect("allowed".equals(field(record, "decision")), "expected the inline comment to allow the drop: " + record);
        expect(record.contains("backed up in orders_backup"), "expected the reason in the audit record: " + record);
        expect(!tableExists(conn, "orders"), "orders still exists after an allowed DROP");
        result("allowed: orders is gone; the audit record carries the reason from the comment:");
        System.out.println("      " + ruleEntry(record, "drop-table"));
    }

    // ---------------------------------------------------------------------------------------------
    // The summary, read back from the audit file
    // ---------------------------------------------------------------------------------------------

    private static void printSummary() throws IOException {
        System.out.println();
        System.out.println("=== Summary, read back from " + AUDIT_FILE + " ===");

        // One JSON object per line. A plain string search is enough to count decisions.
        List<String> lines = auditLines();
        String[] decisions = {"allowed", "warned", "rewritten", "blocked", "audited"};
        StringBuilder summary = new StringBuilder(lines.size() + " statements judged: ");
        int[] counts = new int[decisions.length];
        for (int i = 0; i < decisions.length; i++) {
            String needle = "\"decision\":\"" + decisions[i] + "\"";
            counts[i] = (int) lines.stream().filter(l -> l.contains(needle)).count();
        }
        String sep = "";
        for (int i = 0; i < decisions.length; i++) {
            if (counts[i] > 0) {
                summary.append(sep).append(counts[i]).append(' ').append(decisions[i]);
                sep = ", ";
            }
        }
        System.out.println(summary);

        // 2 CREATE TABLE + 1 ADD COLUMN + index + foreign key + 2 blocked + 1 backup + 1 allowed DROP.
        // The index and the foreign key are rewritten on PostgreSQL; on H2 the rewrites are only
        // reported, which makes them warned.
        int rewrites = postgres ? counts[2] : counts[1];
        String expected = "8 statements judged: 4 allowed, 2 " + (postgres ? "rewritten" : "warned") + ", 2 blocked";
        expect(lines.size() == 8 && counts[0] == 4 && rewrites == 2 && counts[3] == 2,
                "expected " + expected + "; got: " + summary);
        System.out.println("Every step behaved as documented.");
    }

    // ---------------------------------------------------------------------------------------------
    // Helpers: output, expectations, the audit file, the catalog
    // ---------------------------------------------------------------------------------------------

    private static void heading(int step, String title) {
        System.out.println();
        System.out.println("=== Step " + step + ": " + title + " ===");
    }

    private static void showSql(String sql) {
        System.out.println("SQL> " + sql.replace("\n", "\n     "));
    }

    private static void result(String text) {
        System.out.println("  -> " + text);
    }

    /** Throws when a step does not behave as this demo documents, so that CI notices. */
    private static void expect(boolean condition, String failure) {
        if (!condition) {
            throw new IllegalStateException("ddlguard demo: " + failure);
        }
    }

    /** Runs a statement the guard must block, and returns the exception it threw. */
    private static SQLException expectBlocked(Statement st, String sql, String ruleId) throws IOException {
        try {
            st.execute(sql);
        } catch (SQLException e) {
            // dev.ddlguard.BlockedStatementException is the concrete type; java.sql.SQLException
            // is all an application needs: SQLState XDG01 tells a block from a database error.
            expect("XDG01".equals(e.getSQLState()),
                    "expected SQLState XDG01, got " + e.getSQLState() + ": " + e.getMessage());
            expect(e.getMessage() != null && e.getMessage().contains(ruleId),
                    "expected the message to name rule " + ruleId + ": " + e.getMessage());
            String record = oneNewAuditRecord();
            expect("blocked".equals(field(record, "decision")) && field(record, "executed_sql") == null,
                    "expected an audit record with decision=blocked and executed_sql=null: " + record);
            return e;
        }
        newAuditRecords();
        throw new IllegalStateException("ddlguard demo: the guard did not block " + sql);
    }

    /**
     * Runs a statement that a rule rewrites, checks its audit record and prints what happened. On
     * PostgreSQL the guard sends the rewrite instead of the statement. On H2, judged as PostgreSQL,
     * the rewrite is reported, not sent: a WARN line, decision=warned, and H2 runs the original.
     */
    private static void expectRewritten(Statement st, String sql, String ruleId, String rewriteContains)
            throws SQLException, IOException {
        showSql(sql);
        st.execute(sql);
        String record = oneNewAuditRecord();

        String rewritten = field(record, "rewritten_sql");
        String executed = field(record, "executed_sql");
        expect(record.contains("\"id\":\"" + ruleId + "\",\"action\":\"rewrite\""),
                "expected rule " + ruleId + " with action rewrite, audit record: " + record);
        expect(rewritten != null && rewritten.contains(rewriteContains),
                "expected a rewrite containing " + rewriteContains + " in the audit record: " + record);

        if (postgres) {
            expect("rewritten".equals(field(record, "decision")) && rewritten.equals(executed),
                    "expected PostgreSQL to run the rewrite, audit record: " + record);
            result("rewritten by " + ruleId + "; PostgreSQL ran (executed_sql in the audit record):");
            System.out.println("      " + executed.replace("\n", "\n      "));

            // The lock impact, with the table's size read from the live catalog (pg_class).
            String lock = object(record, "lock");
            Long rows = number(lock, "rows");
            Long bytes = number(lock, "bytes");
            expect(rows != null && rows == 4 && bytes != null && bytes > 0,
                    "expected the table's rows and bytes from the live catalog in the audit record: " + record);
            result("lock as written: " + describeLock(lock));
            result("lock as run:     " + describeLock(object(record, "executed_lock")));
        } else {
            expect(sql.equals(executed), "expected H2 to run the statement as written, audit record: " + record);
            result(ruleId + " rewrites it to:");
            System.out.println("      " + rewritten.replace("\n", "\n      "));
            result("The target is postgresql but the connection is H2, so that rewrite is reported, not sent:");
            System.out.println("      H2 ran the original statement (executed_sql in the audit record),");
            System.out.println("      the guard logged a WARN (GUARD line above), decision=" + field(record, "decision") + ".");
            System.out.println("      Note: " + field(record, "note"));
        }
    }

    private static void printBlocked(SQLException e) {
        result("blocked: " + e.getClass().getName() + ", SQLState " + e.getSQLState());
        result("message:");
        System.out.println("      " + e.getMessage().replace("\n", "\n      "));
    }

    /** Every line of the audit file written so far. */
    private static List<String> auditLines() throws IOException {
        if (!Files.exists(AUDIT_FILE)) {
            return List.of();
        }
        return Files.readAllLines(AUDIT_FILE, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
    }

    /** The audit lines written since the last call. */
    private static List<String> newAuditRecords() throws IOException {
        List<String> lines = auditLines();
        List<String> fresh = lines.subList(Math.min(auditLinesSeen, lines.size()), lines.size());
        auditLinesSeen = lines.size();
        return fresh;
    }

    /** The one audit record the last DDL statement left: the contract is exactly one per statement. */
    private static String oneNewAuditRecord() throws IOException {
        List<String> fresh = newAuditRecords();
        expect(fresh.size() == 1, "expected exactly one new audit record, got " + fresh.size() + ": " + fresh);
        return fresh.get(0);
    }

    /**
     * A top-level string field of an audit record, or null when it is JSON null or missing. Good
     * enough for these records (the field names are unique and come before any nested object of
     * the same name); a real consumer would use a JSON library.
     */
    static String field(String record, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\":(null|\"((?:[^\"\\\\]|\\\\.)*)\")").matcher(record);
        if (!m.find() || m.group(2) == null) {
            return null;
        }
        return unescape(m.group(2));
    }

    /** A number field of an audit record (or of one of its objects), or null when it is JSON null or missing. */
    static Long number(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\":(-?\\d+)").matcher(json);
        return m.find() ? Long.valueOf(m.group(1)) : null;
    }

    /** A string-array field, as written ({@code ["writes"]}); {@code []} when missing. */
    static String array(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\":(\\[[^\\]]*\\])").matcher(json);
        return m.find() ? m.group(1) : "[]";
    }

    /** A nested object of an audit record ({@code "lock":{...}}), as written; {@code {}} when null or missing. */
    static String object(String record, String name) {
        int start = record.indexOf("\"" + name + "\":{");
        if (start < 0) {
            return "{}";
        }
        start = record.indexOf('{', start);
        int depth = 0;
        for (int i = start; i < record.length(); i++) {
            char c = record.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return record.substring(start, i + 1);
            }
        }
        return "{}";
    }

    /** An audit record's lock object in a line: mode, table, what it blocks, the work and its size. */
    private static String describeLock(String lock) {
        String blocks = array(lock, "blocks").replaceAll("[\\[\\]\"]", "").replace(",", " and ");
        return field(lock, "mode") + " on " + field(lock, "table") + " (blocks " + (blocks.isEmpty() ? "nothing" : blocks)
                + "; " + field(lock, "work") + ", " + number(lock, "rows") + " rows, " + number(lock, "bytes") + " bytes, ~"
                + number(lock, "estimated_ms") + " ms)" + otherTables(lock);
    }

    /** The other tables a lock object names ({@code "other_tables":[{"table":...,"mode":...}]}). */
    private static String otherTables(String lock) {
        StringBuilder out = new StringBuilder();
        Matcher m = Pattern.compile("\\{\"table\":\"([^\"]*)\",\"mode\":\"([^\"]*)\"\\}").matcher(lock);
        while (m.find()) {
            out.append(", and ").append(m.group(2)).append(" on ").append(m.group(1));
        }
        return out.toString();
    }

    /** The {@code {"id":"<rule>",...}} entry of the record's rules array, as written. */
    private static String ruleEntry(String record, String ruleId) {
        int start = record.indexOf("{\"id\":\"" + ruleId + "\"");
        int end = start < 0 ? -1 : record.indexOf('}', start);
        return start < 0 || end < 0 ? "(no entry for " + ruleId + ")" : record.substring(start, end + 1);
    }

    private static String unescape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 == s.length()) {
                out.append(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append(e);   // \" \\ \/
            }
        }
        return out.toString();
    }

    private static String firstLine(String sql) {
        int nl = sql.indexOf('\n');
        return nl < 0 ? sql : sql.substring(0, nl).trim() + " ...";
    }

    private static long count(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String db() {
        return postgres ? "PostgreSQL" : "H2";
    }

    // The catalog. Unquoted identifiers are kept in upper case by H2 and in lower case by
    // PostgreSQL; CURRENT_SCHEMA is PUBLIC on H2 and the demo's own schema on PostgreSQL.

    private static String catalogName(String name) {
        return postgres ? name.toLowerCase(Locale.ROOT) : name.toUpperCase(Locale.ROOT);
    }

    private static boolean columnExists(Connection conn, String table, String column) throws SQLException {
        return exists(conn, "SELECT 1 FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = CURRENT_SCHEMA"
                + " AND TABLE_NAME = ? AND COLUMN_NAME = ?", catalogName(table), catalogName(column));
    }

    private static boolean tableExists(Connection conn, String table) throws SQLException {
        return exists(conn, "SELECT 1 FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = CURRENT_SCHEMA AND TABLE_NAME = ?",
                catalogName(table));
    }

    /** H2: the index is in the catalog. */
    private static boolean indexExists(Connection conn, String index) throws SQLException {
        return exists(conn, "SELECT 1 FROM INFORMATION_SCHEMA.INDEXES WHERE INDEX_NAME = ?", index);
    }

    /** H2: the constraint is in the catalog. */
    private static boolean constraintExists(Connection conn, String constraint) throws SQLException {
        return exists(conn, "SELECT 1 FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS WHERE CONSTRAINT_NAME = ?", constraint);
    }

    /**
     * PostgreSQL: pg_index.indisvalid of an index in the demo's schema, or null when there is no such
     * index. A CREATE INDEX CONCURRENTLY that fails leaves an INVALID index behind (the guard drops it).
     */
    private static Boolean indexIsValid(Connection conn, String index) throws SQLException {
        return bool(conn, "SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                + " WHERE c.relname = ? AND c.relnamespace = to_regnamespace(current_schema)", index);
    }

    /** PostgreSQL: pg_constraint.convalidated, false while a NOT VALID constraint awaits VALIDATE; null when missing. */
    private static Boolean constraintIsValidated(Connection conn, String constraint) throws SQLException {
        return bool(conn, "SELECT convalidated FROM pg_constraint"
                + " WHERE conname = ? AND connamespace = to_regnamespace(current_schema)", constraint);
    }

    private static Boolean bool(Connection conn, String sql, String param) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setString(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBoolean(1) : null;
            }
        }
    }

    private static boolean exists(Connection conn, String sql, String... params) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
