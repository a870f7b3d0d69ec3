package dev.ddlguard.dialect.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.ddlguard.dialect.LockImpact;
import dev.ddlguard.dialect.LockImpact.OtherTable;
import dev.ddlguard.sql.DdlClassifier;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.StatementSplitter;
import dev.ddlguard.support.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link PostgresLockModel} against a real PostgreSQL, statement kind by statement kind. Each row gets
 * a fresh fixture in a schema of its own; the statement runs in a transaction on a raw connection, the
 * session's own rows of {@code pg_locks} are read, and the transaction is rolled back. Statements that
 * cannot run in a transaction block (CONCURRENTLY, VACUUM) are measured while they wait behind a second
 * session's open transaction. The server's answer is the expected value:
 *
 * <ul>
 *   <li>the strongest lock on the statement's table is the model's {@code mode};
 *   <li>{@code blocks} is what that mode makes plain reads (ACCESS SHARE) and writes (ROW EXCLUSIVE) wait
 *       for (13.3.1, Table 13.2); nothing for a relation the statement creates, which no one else can see
 *       before commit; reads and writes when an existing index of the table is held ACCESS EXCLUSIVE, since
 *       every query planned on the table opens all its indexes;
 *   <li>every other table the model names is locked in that mode, and every other existing table the server
 *       locks SHARE UPDATE EXCLUSIVE or stronger is named by the model, or listed by the row as knowable
 *       only from the catalog (with the mode the server took);
 *   <li>a table the server rewrote (new file, rows kept) is modelled as {@code work = REWRITE}.
 * </ul>
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PostgresLockTableTest {

    private static final String AE = "ACCESS EXCLUSIVE";
    private static final String ROW_SHARE = "ROW SHARE";

    /** Every row's fixture, run in the row's own schema. */
    private static final List<String> FIXTURE = List.of(
            "CREATE TABLE parent (id int PRIMARY KEY, code text)",
            "INSERT INTO parent SELECT g, 'p' || g FROM generate_series(1, 3) g",
            "CREATE TABLE t (id int PRIMARY KEY, parent_id int, a int, b text, CONSTRAINT t_ck CHECK (a > 0))",
            "INSERT INTO t SELECT g, 1 + g % 3, g, 'b' || g FROM generate_series(1, 20) g",
            "CREATE INDEX t_a_idx ON t (a)",
            "CREATE UNIQUE INDEX t_b_key ON t (b)",
            "CREATE FUNCTION t_noop() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
            "CREATE TRIGGER t_trg BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION t_noop()",
            "CREATE TABLE child (id int PRIMARY KEY, parent_id int CONSTRAINT child_fk REFERENCES parent (id))",
            "INSERT INTO child VALUES (1, 1)",
            "CREATE TABLE t2 (id int NOT NULL, parent_id int)",
            "INSERT INTO t2 VALUES (1, 1), (2, 2)",
            "CREATE UNIQUE INDEX t2_id_key ON t2 (id)",
            "ALTER TABLE t2 ADD CONSTRAINT t2_fk FOREIGN KEY (parent_id) REFERENCES parent (id) NOT VALID",
            "ALTER TABLE t2 ADD CONSTRAINT t2_ck CHECK (id > 0) NOT VALID",
            "CREATE MATERIALIZED VIEW mv AS SELECT id, code FROM parent",
            "CREATE UNIQUE INDEX mv_id ON mv (id)",
            "CREATE VIEW v AS SELECT id, code FROM parent",
            "CREATE TABLE pt (id int, k int) PARTITION BY RANGE (k)",
            "CREATE TABLE pt1 PARTITION OF pt FOR VALUES FROM (0) TO (10)",
            "INSERT INTO pt VALUES (1, 1)",
            "CREATE TABLE loose (id int, k int)",
            "INSERT INTO loose VALUES (1, 25)",
            "CREATE UNLOGGED TABLE u (id int)",
            "INSERT INTO u VALUES (1)",
            "CREATE TYPE mood AS ENUM ('calm', 'angry')");

    /** An open transaction that has written to t: CONCURRENTLY index work waits for it. */
    private static final String WRITER_ON_T = "INSERT INTO t VALUES (100, 1, 1, 'held')";
    /** An open transaction that has read t: anything that needs to lock out readers waits for it. */
    private static final String READER_ON_T = "SELECT count(*) FROM t";

    static Stream<Row> rows() {
        return Stream.of(
                row("CREATE TABLE", "CREATE TABLE n (id int)", "n"),
                row("CREATE TABLE … REFERENCES parent",
                        "CREATE TABLE n (id int, parent_id int REFERENCES parent (id))", "n").also("parent"),
                row("CREATE TABLE … FOREIGN KEY … REFERENCES parent",
                        "CREATE TABLE n (id int, parent_id int, CONSTRAINT n_fk FOREIGN KEY (parent_id) REFERENCES parent (id))", "n")
                        .also("parent"),
                row("CREATE TABLE … PARTITION OF parent", "CREATE TABLE pt2 PARTITION OF pt FOR VALUES FROM (10) TO (20)", "pt2")
                        .also("pt"),
                row("CREATE TABLE … INHERITS", "CREATE TABLE n (extra int) INHERITS (loose)", "n").also("loose"),
                row("CREATE TABLE … AS SELECT", "CREATE TABLE n AS SELECT * FROM t", "n"),
                row("CREATE INDEX", "CREATE INDEX n_idx ON t (parent_id)", "t"),
                row("CREATE UNIQUE INDEX", "CREATE UNIQUE INDEX n_idx ON t (id, a)", "t"),
                row("CREATE INDEX CONCURRENTLY", "CREATE INDEX CONCURRENTLY n_idx ON t (parent_id)", "t")
                        .waitingBehind(WRITER_ON_T),
                row("CREATE UNIQUE INDEX CONCURRENTLY", "CREATE UNIQUE INDEX CONCURRENTLY n_idx ON t (id, a)", "t")
                        .waitingBehind(WRITER_ON_T),
                row("DROP INDEX", "DROP INDEX t_a_idx", "t").tableFromCatalog(),
                row("DROP INDEX CONCURRENTLY", "DROP INDEX CONCURRENTLY t_a_idx", "t").tableFromCatalog()
                        .waitingBehind(READER_ON_T),
                row("DROP TABLE", "DROP TABLE loose", "loose"),
                row("DROP TABLE a, b", "DROP TABLE loose, u", "loose").also("u"),
                // The parent of a dropped child's foreign key is not in the text: the catalog must supply it.
                row("DROP TABLE child-with-FK", "DROP TABLE child", "child").catalogOnly("parent", AE),
                row("TRUNCATE", "TRUNCATE t", "t"),
                row("TRUNCATE a, b", "TRUNCATE t, loose", "t").also("loose"),
                row("ADD COLUMN nullable", "ALTER TABLE t ADD COLUMN c int", "t"),
                row("ADD COLUMN DEFAULT constant", "ALTER TABLE t ADD COLUMN c int DEFAULT 0", "t"),
                row("ADD COLUMN NOT NULL DEFAULT", "ALTER TABLE t ADD COLUMN c int NOT NULL DEFAULT 0", "t"),
                row("ADD COLUMN DEFAULT now() (stable)", "ALTER TABLE t ADD COLUMN c timestamptz DEFAULT now()", "t"),
                row("ADD COLUMN volatile DEFAULT random()", "ALTER TABLE t ADD COLUMN c float8 DEFAULT random()", "t"),
                row("ADD COLUMN volatile DEFAULT gen_random_uuid()", "ALTER TABLE t ADD COLUMN c uuid DEFAULT gen_random_uuid()", "t"),
                row("ADD COLUMN identity", "ALTER TABLE t ADD COLUMN c bigint GENERATED ALWAYS AS IDENTITY", "t"),
                row("ADD COLUMN bigserial", "ALTER TABLE t ADD COLUMN c bigserial", "t"),
                row("ADD COLUMN generated stored", "ALTER TABLE t ADD COLUMN c int GENERATED ALWAYS AS (a * 2) STORED", "t"),
                row("ADD COLUMN … REFERENCES parent", "ALTER TABLE t ADD COLUMN c int REFERENCES parent (id)", "t").also("parent"),
                row("DROP COLUMN", "ALTER TABLE t DROP COLUMN b", "t"),
                row("RENAME COLUMN", "ALTER TABLE t RENAME COLUMN b TO b2", "t"),
                row("RENAME TO", "ALTER TABLE t RENAME TO t_renamed", "t"),
                row("ALTER COLUMN TYPE", "ALTER TABLE t ALTER COLUMN a TYPE bigint", "t"),
                row("SET NOT NULL", "ALTER TABLE t ALTER COLUMN a SET NOT NULL", "t"),
                row("DROP NOT NULL", "ALTER TABLE t2 ALTER COLUMN id DROP NOT NULL", "t2"),
                row("SET DEFAULT", "ALTER TABLE t ALTER COLUMN a SET DEFAULT 1", "t"),
                row("DROP DEFAULT", "ALTER TABLE t ALTER COLUMN a DROP DEFAULT", "t"),
                row("ADD FOREIGN KEY", "ALTER TABLE t ADD CONSTRAINT t_fk FOREIGN KEY (parent_id) REFERENCES parent (id)", "t")
                        .also("parent"),
                row("ADD FOREIGN KEY NOT VALID",
                        "ALTER TABLE t ADD CONSTRAINT t_fk FOREIGN KEY (parent_id) REFERENCES parent (id) NOT VALID", "t")
                        .also("parent"),
                // The referenced table is not in the text; ROW SHARE blocks neither reads nor writes.
                row("VALIDATE CONSTRAINT (FK)", "ALTER TABLE t2 VALIDATE CONSTRAINT t2_fk", "t2").catalogOnly("parent", ROW_SHARE),
                row("VALIDATE CONSTRAINT (CHECK)", "ALTER TABLE t2 VALIDATE CONSTRAINT t2_ck", "t2"),
                row("ADD CHECK", "ALTER TABLE t ADD CONSTRAINT t_ck2 CHECK (a < 1000)", "t"),
                row("ADD CHECK NOT VALID", "ALTER TABLE t ADD CONSTRAINT t_ck2 CHECK (a < 1000) NOT VALID", "t"),
                row("ADD UNIQUE", "ALTER TABLE t ADD CONSTRAINT t_a_key UNIQUE (a)", "t"),
                row("ADD PRIMARY KEY", "ALTER TABLE t2 ADD PRIMARY KEY (id)", "t2"),
                row("ADD UNIQUE USING INDEX", "ALTER TABLE t ADD CONSTRAINT t_b_unique UNIQUE USING INDEX t_b_key", "t"),
                row("ADD PRIMARY KEY USING INDEX", "ALTER TABLE t2 ADD CONSTRAINT t2_pkey PRIMARY KEY USING INDEX t2_id_key", "t2"),
                // The parent of the dropped foreign key is not in the text: the catalog must supply it.
                row("DROP CONSTRAINT (FK)", "ALTER TABLE child DROP CONSTRAINT child_fk", "child").catalogOnly("parent", AE),
                row("DROP CONSTRAINT (CHECK)", "ALTER TABLE t DROP CONSTRAINT t_ck", "t"),
                // Into the tablespace it is already in: a no-op, but the lock is taken.
                row("SET TABLESPACE", "ALTER TABLE t SET TABLESPACE pg_default", "t"),
                row("SET UNLOGGED", "ALTER TABLE t SET UNLOGGED", "t"),
                row("SET LOGGED", "ALTER TABLE u SET LOGGED", "u"),
                row("SET STATISTICS", "ALTER TABLE t ALTER COLUMN a SET STATISTICS 200", "t"),
                row("SET (storage parameter)", "ALTER TABLE t SET (fillfactor = 70)", "t"),
                row("CLUSTER ON", "ALTER TABLE t CLUSTER ON t_a_idx", "t"),
                row("DISABLE TRIGGER", "ALTER TABLE t DISABLE TRIGGER t_trg", "t"),
                row("ATTACH PARTITION", "ALTER TABLE pt ATTACH PARTITION loose FOR VALUES FROM (20) TO (30)", "pt").also("loose"),
                row("DETACH PARTITION", "ALTER TABLE pt DETACH PARTITION pt1", "pt").also("pt1"),
                // Measured in its second transaction, which waits for ACCESS EXCLUSIVE on the partition.
                row("DETACH PARTITION CONCURRENTLY", "ALTER TABLE pt DETACH PARTITION pt1 CONCURRENTLY", "pt").also("pt1")
                        .waitingBehind("SELECT count(*) FROM pt1").waitingOn("pt1"),
                row("ALTER TABLE: SUE + SRE actions, SRE wins",
                        "ALTER TABLE t2 VALIDATE CONSTRAINT t2_ck, ADD CONSTRAINT t2_fk2 FOREIGN KEY (parent_id) REFERENCES parent (id) NOT VALID",
                        "t2").also("parent"),
                row("ALTER TABLE: SUE + ACCESS EXCLUSIVE actions, AE wins",
                        "ALTER TABLE t ALTER COLUMN a SET STATISTICS 200, ADD COLUMN c int", "t"),
                row("ALTER TABLE: ADD COLUMN + VALIDATE CONSTRAINT", "ALTER TABLE t ADD COLUMN c int, VALIDATE CONSTRAINT t_ck", "t"),
                row("CLUSTER … USING", "CLUSTER t USING t_a_idx", "t"),
                row("VACUUM FULL", "VACUUM FULL t", "t").waitingBehind(READER_ON_T),
                row("REINDEX INDEX", "REINDEX INDEX t_a_idx", "t").tableFromCatalog().also("t_a_idx"),
                row("REINDEX TABLE", "REINDEX TABLE t", "t"),
                row("REINDEX INDEX CONCURRENTLY", "REINDEX INDEX CONCURRENTLY t_a_idx", "t").tableFromCatalog().also("t_a_idx")
                        .waitingBehind(WRITER_ON_T),
                row("REINDEX TABLE CONCURRENTLY", "REINDEX TABLE CONCURRENTLY t", "t").waitingBehind(WRITER_ON_T),
                row("COMMENT ON TABLE", "COMMENT ON TABLE t IS 'orders'", "t"),
                row("COMMENT ON COLUMN", "COMMENT ON COLUMN t.a IS 'amount'", "t"),
                row("CREATE TRIGGER", "CREATE TRIGGER t_trg2 BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION t_noop()", "t"),
                row("DROP TRIGGER", "DROP TRIGGER t_trg ON t", "t"),
                row("REFRESH MATERIALIZED VIEW", "REFRESH MATERIALIZED VIEW mv", "mv"),
                row("REFRESH MATERIALIZED VIEW CONCURRENTLY", "REFRESH MATERIALIZED VIEW CONCURRENTLY mv", "mv"),
                row("ALTER TYPE … ADD VALUE", "ALTER TYPE mood ADD VALUE 'sad'", null),
                row("CREATE VIEW", "CREATE VIEW n_v AS SELECT id, a FROM t", "n_v"),
                row("CREATE OR REPLACE VIEW (existing)", "CREATE OR REPLACE VIEW v AS SELECT id, code, 1 AS one FROM parent", "v"),
                row("CREATE MATERIALIZED VIEW", "CREATE MATERIALIZED VIEW n_mv AS SELECT id FROM t", "n_mv"),
                row("CREATE SEQUENCE", "CREATE SEQUENCE n_seq", "n_seq"),
                row("DROP VIEW", "DROP VIEW v", "v"),
                row("DROP MATERIALIZED VIEW", "DROP MATERIALIZED VIEW mv", "mv"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void theModelMatchesTheServer(Row row) throws Exception {
        LockImpact model = PostgresLockModel.of(classify(row.sql()));
        try (Connection admin = TestDatabases.postgres()) {
            String schema = "ddlguard_lock_" + Long.toHexString(System.nanoTime());
            exec(admin, "CREATE SCHEMA " + schema);
            try {
                exec(admin, "SET search_path = " + schema);
                for (String statement : FIXTURE) {
                    exec(admin, statement);
                }
                Map<Long, Rel> before = relations(admin, schema);
                Measured measured = row.holder() == null
                        ? inTransaction(row, schema, before)
                        : whileWaiting(row, schema, admin, before);
                compare(row, model, before, measured);
            } finally {
                exec(admin, "DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    /** The model's "blocks reads" for REINDEX INDEX, shown live: a plain read of the table waits, as it does not for CREATE INDEX. */
    @Test
    void reindexIndexMakesPlainReadsOfItsTableWaitWhereCreateIndexDoesNot() throws SQLException {
        try (Connection admin = TestDatabases.postgres()) {
            String schema = "ddlguard_lock_" + Long.toHexString(System.nanoTime());
            exec(admin, "CREATE SCHEMA " + schema);
            try (Connection ddl = TestDatabases.postgres(); Connection reader = TestDatabases.postgres()) {
                exec(admin, "SET search_path = " + schema);
                for (String statement : FIXTURE) {
                    exec(admin, statement);
                }
                exec(ddl, "SET search_path = " + schema);
                exec(reader, "SET search_path = " + schema);
                exec(reader, "SET lock_timeout = '300ms'");
                ddl.setAutoCommit(false);

                exec(ddl, "CREATE INDEX n_idx ON t (parent_id)");
                assertThat(longQuery(reader, "SELECT count(*) FROM t WHERE b = 'b1'")).as("read under CREATE INDEX").isEqualTo(1);
                assertThatThrownBy(() -> exec(reader, "INSERT INTO t VALUES (200, 1, 1, 'w')")).as("write under CREATE INDEX")
                        .isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("55P03"));
                ddl.rollback();

                exec(ddl, "REINDEX INDEX t_a_idx");
                // The query filters on b, not on the reindexed column a: planning opens every index of t.
                assertThatThrownBy(() -> longQuery(reader, "SELECT count(*) FROM t WHERE b = 'b1'")).as("read under REINDEX INDEX")
                        .isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("55P03"));
                ddl.rollback();
            } finally {
                exec(admin, "DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Measuring

    /** A relation of the row's schema. {@code table} is the indexed table's oid for an index, else 0. */
    record Rel(long oid, String name, char kind, long table, Long filenode) {
    }

    /**
     * What the server did: the statement session's relation locks (mode names as in the manual, granted or
     * still waiting), the schema's relations after the statement, and the row count of the statement's
     * table after it (null when it has no rows to count).
     */
    record Measured(Map<Long, List<String>> locks, Map<Long, Rel> after, Long rowsAfter) {
    }

    private static Measured inTransaction(Row row, String schema, Map<Long, Rel> before) throws SQLException {
        try (Connection session = TestDatabases.postgres()) {
            exec(session, "SET search_path = " + schema);
            session.setAutoCommit(false);
            try {
                exec(session, row.sql());
                Map<Long, List<String>> locks = locks(session, "pg_backend_pid()");
                Map<Long, Rel> after = relations(session, schema);
                return new Measured(locks, after, rowsOf(session, after, rel(before, row.table())));
            } finally {
                session.rollback();
            }
        }
    }

    /**
     * A second session holds a transaction open (the row's holder statement), the statement runs in
     * autocommit on its own session and waits behind it; its locks are read while it waits.
     */
    private static Measured whileWaiting(Row row, String schema, Connection admin, Map<Long, Rel> before) throws Exception {
        try (Connection holder = TestDatabases.postgres(); Connection worker = TestDatabases.postgres()) {
            exec(holder, "SET search_path = " + schema);
            exec(worker, "SET search_path = " + schema);
            holder.setAutoCommit(false);
            exec(holder, row.holder());
            long pid = longQuery(worker, "SELECT pg_backend_pid()");
            Long waitOn = row.waitOn() == null ? null : oidOf(before, row.waitOn());
            CompletableFuture<Void> run = CompletableFuture.runAsync(() -> {
                try {
                    exec(worker, row.sql());
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            Map<Long, List<String>> locks;
            try {
                locks = awaitWaiting(admin, pid, waitOn, run);
            } finally {
                holder.rollback();
            }
            run.get(30, TimeUnit.SECONDS);
            Map<Long, Rel> after = relations(admin, schema);
            return new Measured(locks, after, rowsOf(admin, after, rel(before, row.table())));
        }
    }

    /** Busy-polls pg_locks until the session waits for a lock (on {@code relation}, when given); bounded. */
    private static Map<Long, List<String>> awaitWaiting(Connection admin, long pid, Long relation, CompletableFuture<Void> run)
            throws SQLException {
        String waiting = "SELECT count(*) FROM pg_locks WHERE pid = " + pid + " AND NOT granted"
                + (relation == null ? "" : " AND locktype = 'relation' AND relation = " + relation);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (longQuery(admin, waiting) > 0) {
                return locks(admin, Long.toString(pid));
            }
            if (run.isDone()) {
                run.join();   // rethrows the statement's failure, if that is why it is done
                return fail("the statement finished without waiting behind the open transaction");
            }
            Thread.onSpinWait();
        }
        return fail("the statement did not wait for a lock within 20 s");
    }

    private static Map<Long, List<String>> locks(Connection c, String pid) throws SQLException {
        Map<Long, List<String>> locks = new HashMap<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT relation, mode FROM pg_locks WHERE locktype = 'relation'"
                     + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                     + " AND pid = " + pid)) {
            while (rs.next()) {
                locks.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(manualName(rs.getString(2)));
            }
        }
        return locks;
    }

    private static Map<Long, Rel> relations(Connection c, String schema) throws SQLException {
        Map<Long, Rel> relations = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT c.oid, c.relname, c.relkind, coalesce(i.indrelid, 0),"
                + " pg_relation_filenode(c.oid) FROM pg_class c LEFT JOIN pg_index i ON i.indexrelid = c.oid"
                + " WHERE c.relnamespace = ?::regnamespace")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long filenode = rs.getLong(5);
                    relations.put(rs.getLong(1), new Rel(rs.getLong(1), rs.getString(2), rs.getString(3).charAt(0),
                            rs.getLong(4), rs.wasNull() ? null : filenode));
                }
            }
        }
        return relations;
    }

    /** Rows left in the statement's table afterwards, found by oid so that a rename does not hide it; null when not countable. */
    private static Long rowsOf(Connection c, Map<Long, Rel> after, Rel table) throws SQLException {
        Rel now = table == null ? null : after.get(table.oid());
        if (now == null || (now.kind() != 'r' && now.kind() != 'm')) {
            return null;
        }
        return longQuery(c, "SELECT count(*) FROM \"" + now.name() + "\"");
    }

    // ---------------------------------------------------------------------------------------------
    // Comparing

    private static void compare(Row row, LockImpact model, Map<Long, Rel> before, Measured m) {
        Map<Long, Rel> all = new HashMap<>(m.after());
        all.putAll(before);   // names as they were before the statement (a renamed or dropped table keeps its name)
        Map<String, String> strongestByName = new LinkedHashMap<>();
        m.locks().forEach((oid, modes) -> {
            Rel rel = all.get(oid);
            if (rel != null) {
                strongestByName.put(rel.name(), strongest(modes));
            }
        });
        SoftAssertions soft = new SoftAssertions();
        String measuredMode = row.table() == null ? null : strongestByName.get(row.table());
        Rel table = row.table() == null ? null : rel(all, row.table());
        report(row, measuredMode, strongestByName, before, table, m);

        if (row.table() == null) {
            soft.assertThat(strongestByName).as("relation locks taken").isEmpty();
            soft.assertThat(model.mode()).as("mode").isNull();
            soft.assertThat(model.blocks()).as("blocks").isEmpty();
            soft.assertAll();
            return;
        }
        soft.assertThat(table).as("the statement's table %s exists", row.table()).isNotNull();
        soft.assertThat(measuredMode).as("the server locked %s", row.table()).isNotNull();
        soft.assertThat(model.mode()).as("mode on %s", row.table()).isEqualTo(measuredMode);
        if (row.tableNotInText()) {
            soft.assertThat(model.table()).as("table (not in the statement's text)").isNull();
        } else {
            soft.assertThat(model.table()).as("table").isEqualToIgnoringCase(row.table());
        }

        boolean created = table != null && !before.containsKey(table.oid());
        List<String> expectedBlocks = created ? List.of() : blockedBy(measuredMode);
        if (table != null && exclusiveOnAnIndexOf(table, before, m.locks())) {
            expectedBlocks = List.of("reads", "writes");
        }
        soft.assertThat(model.blocks()).as("blocks").isEqualTo(expectedBlocks);

        Map<String, String> modelled = new LinkedHashMap<>();
        for (OtherTable other : model.otherTables()) {
            modelled.put(other.table().toLowerCase(Locale.ROOT), other.mode());
            soft.assertThat(strongestByName.get(other.table().toLowerCase(Locale.ROOT)))
                    .as("the server's lock on other table %s", other.table()).isEqualTo(other.mode());
        }
        for (String also : row.also()) {
            soft.assertThat(modelled).as("other tables").containsKey(also);
        }
        row.catalogOnly().forEach((name, mode) ->
                soft.assertThat(strongestByName.get(name)).as("the server's lock on %s (known only from the catalog)", name)
                        .isEqualTo(mode));
        for (Rel rel : before.values()) {
            String mode = strongestByName.get(rel.name());
            if (rel != table && "rpmv".indexOf(rel.kind()) >= 0 && mode != null
                    && PostgresLockModel.strength(mode) >= PostgresLockModel.strength("SHARE UPDATE EXCLUSIVE")) {
                soft.assertThat(modelled.containsKey(rel.name()) || row.catalogOnly().containsKey(rel.name()))
                        .as("%s on %s is in the model's other tables (or the row's catalog-only list)", mode, rel.name())
                        .isTrue();
            }
        }

        if (table != null && before.containsKey(table.oid()) && m.after().containsKey(table.oid())) {
            Long old = before.get(table.oid()).filenode();
            Long now = m.after().get(table.oid()).filenode();
            boolean rewritten = old != null && now != null && !old.equals(now) && m.rowsAfter() != null && m.rowsAfter() > 0;
            if (rewritten) {
                soft.assertThat(model.work()).as("work (the server wrote %s into a new file)", row.table())
                        .isEqualTo(LockImpact.Work.REWRITE);
            }
        }
        soft.assertAll();
    }

    /** Table 13.2: plain reads take ACCESS SHARE (only ACCESS EXCLUSIVE conflicts), writes ROW EXCLUSIVE. */
    private static List<String> blockedBy(String mode) {
        if (mode == null) {
            return List.of();
        }
        return switch (mode) {
            case "ACCESS EXCLUSIVE" -> List.of("reads", "writes");
            case "EXCLUSIVE", "SHARE ROW EXCLUSIVE", "SHARE" -> List.of("writes");
            default -> List.of();
        };
    }

    /** An existing index of the table held ACCESS EXCLUSIVE: planning any query on the table opens it. */
    private static boolean exclusiveOnAnIndexOf(Rel table, Map<Long, Rel> before, Map<Long, List<String>> locks) {
        for (Rel rel : before.values()) {
            if (rel.kind() == 'i' && rel.table() == table.oid() && locks.getOrDefault(rel.oid(), List.of()).contains(AE)) {
                return true;
            }
        }
        return false;
    }

    private static final List<String> MODES = List.of("ACCESS SHARE", "ROW SHARE", "ROW EXCLUSIVE",
            "SHARE UPDATE EXCLUSIVE", "SHARE", "SHARE ROW EXCLUSIVE", "EXCLUSIVE", "ACCESS EXCLUSIVE");

    private static String strongest(List<String> modes) {
        return modes.stream().max((a, b) -> Integer.compare(MODES.indexOf(a), MODES.indexOf(b))).orElse(null);
    }

    /** {@code AccessExclusiveLock} → {@code ACCESS EXCLUSIVE}, the manual's name. */
    private static String manualName(String pgLocksMode) {
        String words = pgLocksMode.replaceFirst("Lock$", "").replaceAll("([a-z])([A-Z])", "$1 $2");
        return words.toUpperCase(Locale.ROOT);
    }

    private static Rel rel(Map<Long, Rel> relations, String name) {
        return relations.values().stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
    }

    private static long oidOf(Map<Long, Rel> relations, String name) {
        return Objects.requireNonNull(rel(relations, name), name).oid();
    }

    /** One line per row on standard output: the measured table of the test report. */
    private static void report(Row row, String mode, Map<String, String> byName, Map<Long, Rel> before, Rel table, Measured m) {
        String others = byName.entrySet().stream()
                .filter(e -> !e.getKey().equals(row.table()))
                .filter(e -> {
                    Rel rel = rel(before, e.getKey());
                    return rel != null && "rpmvi".indexOf(rel.kind()) >= 0;
                })
                .map(e -> e.getKey() + "=" + e.getValue())
                .sorted()
                .collect(Collectors.joining(", "));
        boolean rewritten = table != null && before.containsKey(table.oid()) && m.after().containsKey(table.oid())
                && !Objects.equals(before.get(table.oid()).filenode(), m.after().get(table.oid()).filenode())
                && m.rowsAfter() != null && m.rowsAfter() > 0;
        System.out.printf("LOCK-TABLE | %-50s | %-6s %-24s | %s%s%n", row.name(), row.table(), mode, others,
                rewritten ? " | rewritten" : "");
    }

    // ---------------------------------------------------------------------------------------------
    // Rows and helpers

    /**
     * One statement kind.
     *
     * @param table            the relation whose strongest lock the model's mode names (null: no table is locked)
     * @param also             other tables the model must name (their modes are checked against the server)
     * @param catalogOnly      other tables the server locks that the text does not name, with the mode it took
     * @param tableNotInText   the table is not in the statement's text (DROP INDEX), so the model leaves it empty
     * @param holder           for statements that cannot run in a transaction block: what a second session's open
     *                         transaction runs first, so that the statement waits behind it
     * @param waitOn           the relation the statement must be waiting for before its locks are read (null: any)
     */
    record Row(String name, String sql, String table, List<String> also, Map<String, String> catalogOnly,
               boolean tableNotInText, String holder, String waitOn) {

        Row also(String... tables) {
            List<String> more = new ArrayList<>(also);
            more.addAll(List.of(tables));
            return new Row(name, sql, table, more, catalogOnly, tableNotInText, holder, waitOn);
        }

        Row catalogOnly(String other, String mode) {
            Map<String, String> more = new LinkedHashMap<>(catalogOnly);
            more.put(other, mode);
            return new Row(name, sql, table, also, more, tableNotInText, holder, waitOn);
        }

        Row tableFromCatalog() {
            return new Row(name, sql, table, also, catalogOnly, true, holder, waitOn);
        }

        Row waitingBehind(String holderSql) {
            return new Row(name, sql, table, also, catalogOnly, tableNotInText, holderSql, waitOn);
        }

        Row waitingOn(String relation) {
            return new Row(name, sql, table, also, catalogOnly, tableNotInText, holder, relation);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static Row row(String name, String sql, String table) {
        return new Row(name, sql, table, List.of(), Map.of(), false, null, null);
    }

    private static DdlStatement classify(String sql) {
        DdlStatement statement = DdlClassifier.classify(StatementSplitter.split(sql, SqlSyntax.POSTGRESQL).get(0),
                SqlSyntax.POSTGRESQL);
        assertThat(statement).as("classified as DDL: %s", sql).isNotNull();
        return statement;
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static long longQuery(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
