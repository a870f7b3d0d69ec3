package dev.ddlguard.dialect.postgres;

import static dev.ddlguard.support.TestDatabases.PG_URL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddlguard.BlockedStatementException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Statements that take no long lock and raise no error, yet break the application or hide its data: each is shown
 * doing its harm on a real PostgreSQL (raw, or after the guard's warning let it run), and the guard's verdict comes
 * before it: drop-extension, replica-identity, instead-rule, disable-trigger (ENABLE REPLICA), change-inheritance,
 * alter-system, drop-type, close-database, drop-expression, drop-column (a composite type's attribute),
 * create-event-trigger, add-to-extension, rename-constraint.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PostgresSilentHarmTest extends PgRulesTestBase {

    /**
     * The server refuses DROP EXTENSION only where a column, default, index or view depends on a member: a PL/pgSQL
     * function calling one records no dependency, so the plain drop goes through and the function fails afterwards.
     */
    @Test
    void droppingAnExtensionIsBlockedWhileTheServerWouldLetItBreakItsCallers() throws SQLException {
        exec(admin, "CREATE SCHEMA " + p + "_x", "CREATE EXTENSION pgcrypto SCHEMA " + p + "_x");
        afterwards("DROP SCHEMA IF EXISTS " + p + "_x CASCADE");
        afterwards("DROP EXTENSION IF EXISTS pgcrypto");
        exec(
                admin,
                "CREATE FUNCTION " + p + "_hash(t text) RETURNS text LANGUAGE plpgsql AS $$BEGIN RETURN " + p
                        + "_x.crypt(t, " + p + "_x.gen_salt('bf', 4)); END$$");
        afterwards("DROP FUNCTION IF EXISTS " + p + "_hash(text)");
        String call = "SELECT length(" + p + "_hash('secret'))";
        assertThat(intQuery(admin, call)).isEqualTo(60);

        try (Connection g = guarded()) {
            assertBlocked(g, "DROP EXTENSION pgcrypto", "drop-extension", "ALTER EXTENSION");
        }
        assertBlockedRecord(onlyAudit(), "drop-extension");
        assertThat(intQuery(admin, call)).isEqualTo(60);

        exec(admin, "DROP EXTENSION pgcrypto"); // raw, without CASCADE: the server lets it through
        assertThatThrownBy(() -> intQuery(admin, call))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("does not exist");
    }

    /** Another sequence for a serial key starts where it stands: the next insert collides with a key in use. */
    @Test
    void anotherSequenceForAKeyColumnWarnsRunsAndTheNextInsertCollides() throws SQLException {
        String t = table("seqkey", "id serial PRIMARY KEY, v int", null);
        exec(admin, "INSERT INTO " + t + " (v) SELECT g FROM generate_series(1, 100) g");
        exec(admin, "CREATE SEQUENCE " + p + "_other_seq");
        afterwards("DROP SEQUENCE IF EXISTS " + p + "_other_seq");
        afterwards("ALTER TABLE " + t + " ALTER COLUMN id DROP DEFAULT"); // before the sequence goes

        assertWarnedAndRun(
                "ALTER TABLE " + t + " ALTER COLUMN id SET DEFAULT nextval('" + p + "_other_seq')",
                "restart-sequence",
                "makes sequence " + p + "_other_seq hand out the keys of column id of " + t);
        assertThatThrownBy(() -> exec(admin, "INSERT INTO " + t + " (v) VALUES (101)"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("duplicate key");
    }

    /**
     * FROM CURRENT copies the session's value, which an earlier entry of the batch sets (an outside tester closed a
     * database to writes so): judged with that value. The database named does not exist, so a miss fails loudly.
     */
    @Test
    void aSettingCopiedFromTheSessionIsJudgedWithTheValueAnEarlierBatchEntryGives() throws SQLException {
        try (Connection g = guarded();
                Statement batch = g.createStatement()) {
            batch.addBatch("SET default_transaction_read_only = on");
            assertThatThrownBy(() -> batch.addBatch(
                            "ALTER DATABASE " + p + "_nowhere SET default_transaction_read_only FROM CURRENT"))
                    .isInstanceOf(BlockedStatementException.class)
                    .hasMessageContaining("close-database");
        }
        assertBlockedRecord(onlyAudit(), "close-database");
    }

    /** ON CONFLICT ON CONSTRAINT names the constraint: renamed, the upsert fails (42704). */
    @Test
    void renamingAConstraintWarnsRunsAndAnUpsertNamingItFails() throws SQLException {
        String t = table("upsert", "id int CONSTRAINT " + p + "_upsert_pk PRIMARY KEY", "SELECT 1");
        String upsert = "INSERT INTO " + t + " VALUES (1) ON CONFLICT ON CONSTRAINT " + p + "_upsert_pk DO NOTHING";
        assertThat(update(admin, upsert)).isZero();

        assertWarnedAndRun(
                "ALTER TABLE " + t + " RENAME CONSTRAINT " + p + "_upsert_pk TO " + p + "_upsert_key",
                "rename-constraint",
                "renames constraint " + p + "_upsert_pk of " + t);
        assertThatThrownBy(() -> update(admin, upsert))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("does not exist");

        // ALTER INDEX of the index behind it renames the constraint too
        String again = upsert.replace("_upsert_pk", "_upsert_key");
        assertThat(update(admin, again)).isZero();
        assertWarnedAndRun(
                "ALTER INDEX " + p + "_upsert_key RENAME TO " + p + "_upsert_k",
                "rename-constraint",
                "renames index " + p + "_upsert_key, and with it the constraint of " + t);
        assertThatThrownBy(() -> update(admin, again))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("does not exist");
    }

    /** A member of an extension: pg_dump leaves it out, and a plain DROP EXTENSION drops it, rows and all. */
    @Test
    void addingATableToAnExtensionIsBlockedWhileTheServerWouldDropItWithTheExtension() throws SQLException {
        exec(admin, "CREATE SCHEMA " + p + "_s", "CREATE EXTENSION seg SCHEMA " + p + "_s");
        afterwards("DROP SCHEMA IF EXISTS " + p + "_s CASCADE");
        afterwards("DROP EXTENSION IF EXISTS seg CASCADE");
        String t = table("member", "id int", "SELECT g FROM generate_series(1, 100) g");
        String add = "ALTER EXTENSION seg ADD TABLE " + t;
        try (Connection g = guarded()) {
            assertBlocked(g, add, "add-to-extension", "pg_extension_config_dump");
        }
        assertBlockedRecord(onlyAudit(), "add-to-extension");
        String member = "SELECT count(*) FROM pg_depend WHERE objid = '" + t + "'::regclass AND deptype = 'e'";
        assertThat(intQuery(admin, member)).isZero();

        exec(admin, add);
        assertThat(intQuery(admin, member)).isEqualTo(1);
        exec(admin, "DROP EXTENSION seg"); // raw, without CASCADE: the table goes with it
        assertThat(intQuery(admin, "SELECT count(*) FROM pg_class WHERE oid = to_regclass('" + t + "')"))
                .isZero();
    }

    /** CheckCmdReplicaIdentity: no replica identity on a published table, and every UPDATE and DELETE fails. */
    /**
     * A cast is named by its signature, not an identifier: the guard used to block DROP CAST as unanalyzable. Now it
     * warns (drop-routine) and lets it run, and the harm shows: an insert that relied on the implicit cast fails.
     */
    @Test
    void droppingACastWarnsRunsAndAnInsertRelyingOnItFails() throws SQLException {
        String type = p + "_level";
        exec(admin, "CREATE TYPE " + type + " AS (n int)");
        afterwards("DROP TYPE IF EXISTS " + type + " CASCADE");
        exec(
                admin,
                "CREATE FUNCTION " + p + "_lvl(i int) RETURNS " + type + " LANGUAGE sql IMMUTABLE AS 'SELECT ROW(i)::"
                        + type + "'",
                "CREATE CAST (int AS " + type + ") WITH FUNCTION " + p + "_lvl(int) AS ASSIGNMENT");
        afterwards("DROP FUNCTION IF EXISTS " + p + "_lvl(int) CASCADE");
        String t = table("casts", "id int, l " + type, "SELECT 1, NULL::" + type);
        String insert = "INSERT INTO " + t + " VALUES (2, 7)"; // 7 becomes a level by the assignment cast
        assertThat(update(admin, insert)).isEqualTo(1);

        assertWarnedAndRun("DROP CAST (int AS " + type + ")", "drop-routine", "drops cast (int AS " + type + ")");
        assertThatThrownBy(() -> update(admin, insert))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("is of type " + type + " but expression is of type integer");
    }

    @Test
    void replacingAFunctionAnIndexUsesIsBlockedWhileTheServerWouldLeaveTheIndexWrong() throws SQLException {
        String f = p + "_norm";
        exec(admin, "CREATE FUNCTION " + f + "(t text) RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT lower(t)'");
        afterwards("DROP FUNCTION IF EXISTS " + f + "(text) CASCADE");
        String t = table("fidx", "id int, v text", "VALUES (1, 'A'), (2, 'b')");
        exec(admin, "CREATE INDEX " + t + "_norm ON " + t + " (" + f + "(v))");
        String replace = "CREATE OR REPLACE FUNCTION " + f + "(t text) RETURNS text LANGUAGE sql IMMUTABLE"
                + " AS 'SELECT upper(t)'";

        try (Connection g = guarded()) {
            assertBlocked(g, replace, "replace-indexed-function", "CREATE INDEX CONCURRENTLY");
        }
        JsonNode r = onlyAudit();
        assertBlockedRecord(r, "replace-indexed-function");
        assertThat(rule(r, "replace-indexed-function").get("message").asText())
                .contains("replaces function " + f + ", which index " + t + "_norm computed with the old definition");
        assertThat(stringQuery(admin, "SELECT " + f + "('X')")).isEqualTo("x");

        exec(admin, replace); // raw: the server takes it, and the index still holds lower(v)
        String byNorm = "SELECT count(*) FROM " + t + " WHERE " + f + "(v) = 'A'";
        exec(admin, "SET enable_seqscan = off");
        assertThat(intQuery(admin, byNorm)).as("through the index").isZero();
        exec(admin, "SET enable_seqscan = on", "SET enable_indexscan = off", "SET enable_bitmapscan = off");
        assertThat(intQuery(admin, byNorm)).as("reading the table").isEqualTo(1);
        exec(admin, "RESET enable_seqscan", "RESET enable_indexscan", "RESET enable_bitmapscan");
    }

    /**
     * A CHECK constraint, a stored generated column and a partition key keep what the function computed when the row
     * was written, as an index does (an outside tester's: pruning then misses half the rows, stale generated values,
     * rows that violate the CHECK and a dump that no longer restores). Shown for the partition key.
     */
    @Test
    void replacingAFunctionACheckAGeneratedColumnOrAPartitionKeyUsesIsBlocked() throws SQLException {
        String chk = p + "_chk_f";
        String gen = p + "_gen_f";
        String part = p + "_part_f";
        for (String f : List.of(chk, gen, part)) {
            exec(admin, "CREATE FUNCTION " + f + "(i int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT i % 2'");
            afterwards("DROP FUNCTION IF EXISTS " + f + "(int) CASCADE");
        }
        String checked = table("fchk", "id int CHECK (" + chk + "(id) >= 0)", "SELECT 1");
        String generated = table("fgen", "id int, g int GENERATED ALWAYS AS (" + gen + "(id)) STORED", "SELECT 1");
        String parted = p + "_fpart";
        exec(
                admin,
                "CREATE TABLE " + parted + " (id int) PARTITION BY LIST (" + part + "(id))",
                "CREATE TABLE " + parted + "_0 PARTITION OF " + parted + " FOR VALUES IN (0)",
                "CREATE TABLE " + parted + "_1 PARTITION OF " + parted + " FOR VALUES IN (1)",
                "INSERT INTO " + parted + " SELECT generate_series(1, 10)");
        afterwards("DROP TABLE IF EXISTS " + parted);
        Map<String, String> kept = Map.of(
                chk, "constraint " + checked + "_id_check on table " + checked,
                gen, "default value for column g of table " + generated + " (stored generated)",
                part, "table " + parted + " (partition key)");
        for (String f : List.of(chk, gen, part)) {
            String replace = "CREATE OR REPLACE FUNCTION " + f + "(i int) RETURNS int LANGUAGE sql IMMUTABLE"
                    + " AS 'SELECT (i + 1) % 2'";
            try (Connection g = guarded()) {
                assertBlocked(g, replace, "replace-indexed-function", "CREATE INDEX CONCURRENTLY");
            }
            assertThat(rule(onlyAudit(), "replace-indexed-function")
                            .get("message")
                            .asText())
                    .contains("replaces function " + f + ", which " + kept.get(f));
        }

        exec(
                admin,
                "CREATE OR REPLACE FUNCTION " + part + "(i int) RETURNS int LANGUAGE sql IMMUTABLE"
                        + " AS 'SELECT (i + 1) % 2'"); // raw: the rows stay where the old function put them
        assertThat(intQuery(admin, "SELECT count(*) FROM " + parted + "_0 WHERE " + part + "(id) <> 0"))
                .as("rows of partition 0 that the new function sends to partition 1")
                .isEqualTo(5);
    }

    /** The index a DROP INDEX names is asked of the catalog: a unique one is what ON CONFLICT (email) relies on. */
    @Test
    void droppingAUniqueIndexIsBlockedWhileTheServerWouldLetUpsertsFail() throws SQLException {
        String t = table("uq", "id int, email text", "VALUES (1, 'a@x')");
        exec(admin, "CREATE UNIQUE INDEX " + t + "_email ON " + t + " (email)");
        String upsert = "INSERT INTO " + t + " VALUES (2, 'a@x') ON CONFLICT (email) DO NOTHING";
        try (Connection g = guarded()) {
            assertBlocked(g, "DROP INDEX CONCURRENTLY " + t + "_email", "drop-constraint");
        }
        JsonNode r = onlyAudit();
        assertBlockedRecord(r, "drop-constraint");
        assertThat(rule(r, "drop-constraint").get("message").asText())
                .contains("drops unique index " + t + "_email of " + t);
        assertThat(update(admin, upsert)).isZero();

        exec(admin, "DROP INDEX " + t + "_email"); // raw: the upsert then fails
        assertThatThrownBy(() -> exec(admin, upsert))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("no unique or exclusion constraint matching the ON CONFLICT");
    }

    @Test
    void droppingAnAttributeWithCascadeIsBlockedWhileTheServerWouldDropTheColumnOfEveryTypedTable()
            throws SQLException {
        String type = p + "_addr";
        exec(admin, "CREATE TYPE " + type + " AS (street text, zip text)");
        afterwards("DROP TYPE IF EXISTS " + type + " CASCADE");
        exec(
                admin,
                "CREATE TABLE " + p + "_typed OF " + type,
                "INSERT INTO " + p + "_typed VALUES ('Main St', '12345')");
        afterwards("DROP TABLE IF EXISTS " + p + "_typed");
        String drop = "ALTER TYPE " + type + " DROP ATTRIBUTE zip CASCADE";
        try (Connection g = guarded()) {
            assertBlocked(g, drop, "drop-cascade");
        }
        assertBlockedRecord(onlyAudit(), "drop-cascade");
        assertThat(stringQuery(admin, "SELECT zip FROM " + p + "_typed")).isEqualTo("12345");

        exec(admin, drop); // raw: the typed table's column and its data are gone
        assertThatThrownBy(() -> stringQuery(admin, "SELECT zip FROM " + p + "_typed"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("does not exist");
    }

    /**
     * Without CASCADE the server refuses only for typed tables: a table column of the composite type loses the
     * attribute's value in every row, with no error. The live catalog tells which types a column uses: another type
     * of the same shape, which no column uses, is let through.
     */
    @Test
    void droppingAnAttributeOfATypeAColumnUsesIsBlockedWhileTheServerWouldDropTheValues() throws SQLException {
        String type = p + "_loc";
        String unused = p + "_loc_unused";
        exec(
                admin,
                "CREATE TYPE " + type + " AS (city text, zip text)",
                "CREATE TYPE " + unused + " AS (city text, zip text)");
        afterwards("DROP TYPE IF EXISTS " + type + " CASCADE");
        afterwards("DROP TYPE IF EXISTS " + unused);
        exec(
                admin,
                "CREATE TABLE " + p + "_sites (id int, home " + type + ")",
                "INSERT INTO " + p + "_sites VALUES (1, ROW('Berlin', '10115'))");
        afterwards("DROP TABLE IF EXISTS " + p + "_sites");
        String read = "SELECT (home).zip FROM " + p + "_sites";
        String drop = "ALTER TYPE " + type + " DROP ATTRIBUTE zip";
        try (Connection g = guarded()) {
            String message = assertBlocked(g, drop, "drop-column");
            assertThat(message).contains("drops attribute zip of type " + type, "column home of table " + p + "_sites");
            assertBlockedRecord(onlyAudit(), "drop-column");
            assertThat(stringQuery(admin, read)).isEqualTo("10115");

            exec(g, "ALTER TYPE " + unused + " DROP ATTRIBUTE zip"); // no column holds it: nothing to lose
            assertThat(onlyAudit().get("decision").asText()).isEqualTo("allowed");
        }

        exec(admin, drop); // raw, no CASCADE, no error: the values are gone
        assertThat(stringQuery(admin, "SELECT home::text FROM " + p + "_sites")).isEqualTo("(Berlin)");
        assertThatThrownBy(() -> stringQuery(admin, read))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("zip");
    }

    @Test
    void anAlsoRuleThatDeletesWarnsRunsAndOneInsertEmptiesAnotherTable() throws SQLException {
        String items = table("items", "id int", "SELECT g FROM generate_series(1, 100) g");
        String orders = table("ord", "id int", null);
        assertWarnedAndRun(
                "CREATE RULE " + p + "_r AS ON INSERT TO " + orders + " DO ALSO DELETE FROM " + items,
                "instead-rule",
                "(DO ALSO)");
        exec(admin, "INSERT INTO " + orders + " VALUES (1)");
        assertThat(intQuery(admin, "SELECT count(*) FROM " + items)).isZero();
    }

    @Test
    void detachingAPartitionWarnsRunsAndItsRowsLeaveTheParentAndItsRangeRefusesWrites() throws SQLException {
        String parent = p + "_part";
        exec(admin, "CREATE TABLE " + parent + " (id int) PARTITION BY RANGE (id)");
        afterwards("DROP TABLE IF EXISTS " + parent + " CASCADE");
        afterwards("DROP TABLE IF EXISTS " + parent + "_1");
        exec(
                admin,
                "CREATE TABLE " + parent + "_1 PARTITION OF " + parent + " FOR VALUES FROM (1) TO (100)",
                "INSERT INTO " + parent + " VALUES (1), (2)");
        assertWarnedAndRun(
                "ALTER TABLE " + parent + " DETACH PARTITION " + parent + "_1 CONCURRENTLY",
                "change-inheritance",
                "DETACH PARTITION " + parent + "_1 (its rows vanish from queries of " + parent);
        assertThat(intQuery(admin, "SELECT count(*) FROM " + parent)).isZero();
        assertThatThrownBy(() -> exec(admin, "INSERT INTO " + parent + " VALUES (3)"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("no partition");
    }

    @Test
    void anIdentityAddedToAColumnWithKeysWarnsRunsAndTheNextDefaultInsertCollides() throws SQLException {
        String t = table("ident", "id int NOT NULL PRIMARY KEY, v int", "SELECT g, g FROM generate_series(1, 3) g");
        assertWarnedAndRun(
                "ALTER TABLE " + t + " ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY",
                "add-identity",
                "adds an identity starting at 1 to column id of " + t);
        assertThatThrownBy(() -> exec(admin, "INSERT INTO " + t + " (v) VALUES (4)"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("duplicate key");
    }

    @Test
    void cappingASequenceInUseWarnsRunsAndTheNextInsertFails() throws SQLException {
        String t = table("seq", "id serial PRIMARY KEY, v int", null);
        exec(admin, "INSERT INTO " + t + " (v) SELECT g FROM generate_series(1, 3) g");

        assertWarnedAndRun(
                "ALTER SEQUENCE " + t + "_id_seq MAXVALUE 3",
                "narrow-sequence",
                "changes sequence " + t + "_id_seq: it stops at 3 (MAXVALUE)");
        assertThatThrownBy(() -> exec(admin, "INSERT INTO " + t + " (v) VALUES (4)"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("reached maximum value");
    }

    @Test
    void noReplicaIdentityOnAPublishedTableWarnsAndItsUpdatesFail() throws SQLException {
        String t = table("ri", "id int PRIMARY KEY, v int", "SELECT g, g FROM generate_series(1, 3) g");
        exec(admin, "CREATE PUBLICATION " + p + "_pub FOR TABLE " + t);
        afterwards("DROP PUBLICATION IF EXISTS " + p + "_pub");
        assertThat(update(admin, "UPDATE " + t + " SET v = 0 WHERE id = 1")).isEqualTo(1);

        assertWarnedAndRun(
                "ALTER TABLE " + t + " REPLICA IDENTITY NOTHING",
                "replica-identity",
                "sets no replica identity on " + t);
        assertThatThrownBy(() -> update(admin, "UPDATE " + t + " SET v = 1 WHERE id = 1"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("does not have a replica identity and publishes updates");
        assertThatThrownBy(() -> update(admin, "DELETE FROM " + t + " WHERE id = 2"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("publishes deletes");
    }

    /** REPLICA IDENTITY DEFAULT on a table without a primary key: the same, from FULL back to nothing. */
    @Test
    void defaultReplicaIdentityWithoutPrimaryKeyWarnsAndItsDeletesFail() throws SQLException {
        String t = table("rd", "id int, v int", "SELECT g, g FROM generate_series(1, 3) g");
        exec(admin, "ALTER TABLE " + t + " REPLICA IDENTITY FULL", "CREATE PUBLICATION " + p + "_pd FOR TABLE " + t);
        afterwards("DROP PUBLICATION IF EXISTS " + p + "_pd");
        assertThat(update(admin, "DELETE FROM " + t + " WHERE id = 3")).isEqualTo(1);

        try (Connection g = guarded()) {
            exec(g, "ALTER TABLE " + t + " REPLICA IDENTITY DEFAULT");
        }
        JsonNode r = onlyAudit();
        assertThat(r.get("decision").asText()).as(r.toString()).isEqualTo("warned");
        assertThat(hasRule(r, "replica-identity")).as(r.toString()).isTrue();
        assertThatThrownBy(() -> update(admin, "DELETE FROM " + t + " WHERE id = 2"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("does not have a replica identity");
    }

    /** DO INSTEAD NOTHING: the application's INSERT reports success and its row never arrives. */
    @Test
    void anInsteadNothingRuleWarnsAndTheWritesSilentlyVanish() throws SQLException {
        String t = table("in", "id int", "SELECT 1");
        assertWarnedAndRun(
                "CREATE RULE " + p + "_nothing AS ON INSERT TO " + t + " DO INSTEAD NOTHING",
                "instead-rule",
                "discards every insert on " + t + " (DO INSTEAD NOTHING)");
        assertThat(update(admin, "INSERT INTO " + t + " VALUES (2)")).isZero(); // no error
        assertThat(count(t)).isEqualTo(1);
    }

    /** ENABLE REPLICA TRIGGER: the trigger fires only under session_replication_role = replica, not for the app. */
    @Test
    void aReplicaOnlyTriggerWarnsAndNoLongerFiresForOrdinarySessions() throws SQLException {
        String t = table("rt", "id int, audited boolean", null);
        exec(
                admin,
                "CREATE FUNCTION " + p + "_mark() RETURNS trigger LANGUAGE plpgsql AS "
                        + "$$BEGIN NEW.audited := true; RETURN NEW; END$$",
                "CREATE TRIGGER " + p + "_audit BEFORE INSERT ON " + t + " FOR EACH ROW EXECUTE FUNCTION " + p
                        + "_mark()");
        afterwards("DROP FUNCTION IF EXISTS " + p + "_mark() CASCADE");
        exec(admin, "INSERT INTO " + t + " VALUES (1)");

        assertWarnedAndRun(
                "ALTER TABLE " + t + " ENABLE REPLICA TRIGGER " + p + "_audit",
                "disable-trigger",
                "fires trigger " + p + "_audit only on replicas on " + t);
        exec(admin, "INSERT INTO " + t + " VALUES (2)");
        assertThat(stringQuery(
                        admin, "SELECT string_agg(id || ':' || coalesce(audited, false), ',' ORDER BY id) FROM " + t))
                .isEqualTo("1:true,2:false");
    }

    /** NO INHERIT: the child's rows vanish from every query of the parent. */
    @Test
    void detachingAnInheritanceChildWarnsAndItsRowsVanishFromTheParent() throws SQLException {
        String parent = table("par", "id int", "SELECT 1");
        String child = p + "_kid";
        exec(admin, "CREATE TABLE " + child + " () INHERITS (" + parent + ")", "INSERT INTO " + child + " VALUES (2)");
        afterwards("DROP TABLE IF EXISTS " + child);
        assertThat(count(parent)).isEqualTo(2);

        assertWarnedAndRun(
                "ALTER TABLE " + child + " NO INHERIT " + parent,
                "change-inheritance",
                "its rows vanish from queries of " + parent);
        assertThat(count(parent)).isEqualTo(1);
    }

    /**
     * The guard blocks ALTER SYSTEM before the server's configuration file is written; the server itself refuses it in
     * a transaction block (never run raw here in autocommit: it would change the shared server's configuration).
     */
    @Test
    void alterSystemIsBlockedAndRefusedInATransactionBlock() throws SQLException {
        String set = "ALTER SYSTEM SET work_mem = '77MB'";
        String written = "SELECT count(*) FROM pg_file_settings WHERE name = 'work_mem' AND setting = '77MB'";
        try (Connection g = guarded()) {
            assertBlocked(g, set, "alter-system", "ALTER DATABASE … SET");
        }
        assertBlockedRecord(onlyAudit(), "alter-system");
        assertThat(intQuery(admin, written)).isZero();

        admin.setAutoCommit(false);
        try {
            assertThatThrownBy(() -> exec(admin, set))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("cannot run inside a transaction block");
        } finally {
            admin.rollback();
            admin.setAutoCommit(true);
        }
        assertThat(intQuery(admin, written)).isZero();
    }

    /**
     * An event trigger's function runs at other sessions' DDL, inside their transaction: one that raises stops their
     * schema changes (here only statements naming this test's prefix, so that other tests' DDL on the shared database
     * is not touched), until ALTER EVENT TRIGGER … DISABLE, which no event trigger fires on.
     */
    @Test
    void anEventTriggerWarnsRunsAndStopsAnotherSessionsDdl() throws SQLException {
        String function = p + "_no_ddl";
        String trigger = p + "_no_ddl_trigger";
        exec(
                admin,
                "CREATE FUNCTION " + function + "() RETURNS event_trigger LANGUAGE plpgsql AS $$BEGIN"
                        + " IF current_query() LIKE '%" + p + "_refused%' THEN RAISE EXCEPTION 'no DDL today'; END IF;"
                        + " END$$");
        afterwards("DROP FUNCTION IF EXISTS " + function + "()");
        afterwards("DROP EVENT TRIGGER IF EXISTS " + trigger);

        assertWarnedAndRun(
                "CREATE EVENT TRIGGER " + trigger + " ON ddl_command_start EXECUTE FUNCTION " + function + "()",
                "create-event-trigger",
                "creates event trigger " + trigger);
        assertThatThrownBy(() -> exec(admin, "CREATE TABLE " + p + "_refused (id int)"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("no DDL today");

        exec(admin, "ALTER EVENT TRIGGER " + trigger + " DISABLE");
        exec(admin, "CREATE TABLE " + p + "_refused (id int)");
        afterwards("DROP TABLE IF EXISTS " + p + "_refused");
        assertWarnedAndRun(
                "ALTER EVENT TRIGGER " + trigger + " ENABLE ALWAYS",
                "create-event-trigger",
                "enables event trigger " + trigger);
        assertThatThrownBy(() -> exec(admin, "DROP TABLE " + p + "_refused"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("no DDL today");
        // replacing the function the trigger runs changes what every session's DDL runs, as a new trigger would
        assertWarnedAndRun(
                "CREATE OR REPLACE FUNCTION " + function + "() RETURNS event_trigger LANGUAGE plpgsql AS $$BEGIN"
                        + " IF current_query() LIKE '%" + p
                        + "_ref' || 'used%' THEN RAISE EXCEPTION 'replaced'; END IF;"
                        + " END$$",
                "create-event-trigger",
                "replaces function " + function + ", which event trigger " + trigger);
        assertThatThrownBy(() -> exec(admin, "DROP TABLE " + p + "_refused"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("replaced");
        exec(admin, "DROP EVENT TRIGGER " + trigger);
    }

    /** DROP EXPRESSION: the generated column keeps its values, and rows written afterwards are not computed. */
    @Test
    void droppingAGenerationExpressionWarnsAndNewRowsAreNotComputed() throws SQLException {
        String t = table("ge", "price int, qty int, total int GENERATED ALWAYS AS (price * qty) STORED", null);
        exec(admin, "INSERT INTO " + t + " (price, qty) VALUES (2, 3)");
        assertWarnedAndRun(
                "ALTER TABLE " + t + " ALTER COLUMN total DROP EXPRESSION",
                "drop-expression",
                "stops computing generated column total of " + t);
        exec(admin, "INSERT INTO " + t + " (price, qty) VALUES (4, 5)");
        assertThat(stringQuery(admin, "SELECT string_agg(coalesce(total::text, 'null'), ',' ORDER BY price) FROM " + t))
                .isEqualTo("6,null");
    }

    /** A cast in a query records no dependency: the server drops the enum, and the query naming it fails. */
    @Test
    void droppingATypeAQueryCastsToWarnsRunsAndTheQueryFails() throws SQLException {
        exec(admin, "CREATE TYPE " + p + "_status AS ENUM ('open', 'done')");
        afterwards("DROP TYPE IF EXISTS " + p + "_status");
        String query = "SELECT count(*) FROM (VALUES ('open')) v(s) WHERE v.s::" + p + "_status = 'open'";
        assertThat(intQuery(admin, query)).isEqualTo(1);

        assertWarnedAndRun("DROP TYPE " + p + "_status", "drop-type", "drops type " + p + "_status");
        assertThatThrownBy(() -> intQuery(admin, query))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("does not exist");
    }

    /** default_transaction_read_only on the application's role: its next session cannot write. */
    @Test
    void aReadOnlyRoleIsBlockedAndWouldRefuseItsNextSessionsWrites() throws SQLException {
        String t = table("ro", "id int", null);
        String role = p + "_app";
        exec(admin, "CREATE ROLE " + role + " LOGIN", "GRANT INSERT ON " + t + " TO " + role);
        afterwards("DROP ROLE IF EXISTS " + role);
        afterwards("REVOKE ALL ON " + t + " FROM " + role);
        // 'ye': PostgreSQL reads any prefix of yes, true, no, false (the case rows have the other spellings)
        String readOnly = "ALTER ROLE " + role + " SET default_transaction_read_only = 'ye'";
        try (Connection g = guarded()) {
            assertBlocked(g, readOnly, "close-database", "maintenance window");
        }
        assertBlockedRecord(onlyAudit(), "close-database");
        try (Connection app = as(role)) {
            exec(app, "INSERT INTO " + t + " VALUES (1)");
        }

        exec(admin, readOnly); // raw: what the guard stopped
        try (Connection app = as(role)) {
            assertThatThrownBy(() -> exec(app, "INSERT INTO " + t + " VALUES (2)"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("read-only transaction");
        }
        assertThat(count(t)).isEqualTo(1);
    }

    /**
     * A serial column's default is the nextval(…) that hands out its keys: dropped, every insert that leaves the key
     * out fails on NOT NULL. A NOT NULL column's plain default dropped warns (drop-default), and runs.
     */
    @Test
    void droppingASerialsDefaultIsBlockedAndInsertsKeepTheirKeys() throws SQLException {
        String t = table("ser", "id serial PRIMARY KEY, status int NOT NULL DEFAULT 1, note text DEFAULT 'x'", null);
        try (Connection g = guarded()) {
            assertBlocked(g, "ALTER TABLE " + t + " ALTER COLUMN id DROP DEFAULT", "drop-identity");
            assertBlockedRecord(onlyAudit(), "drop-identity");
            assertBlocked(g, "alter table " + t + " alter id set default 0", "drop-identity"); // every key the same
            onlyAudit();
            exec(g, "ALTER TABLE " + t + " ALTER COLUMN note DROP DEFAULT"); // nullable: inserts get NULL
            assertThat(hasRule(onlyAudit(), "drop-default")).isFalse();
        }
        assertThat(update(admin, "INSERT INTO " + t + " DEFAULT VALUES")).isEqualTo(1);
        // SET DEFAULT NULL is the same drop, spelled otherwise
        assertWarnedAndRun(
                "ALTER TABLE " + t + " ALTER COLUMN status SET DEFAULT NULL", "drop-default", "column status");
        assertThatThrownBy(() -> update(admin, "INSERT INTO " + t + " (id) VALUES (100)"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("null value");

        exec(admin, "ALTER TABLE " + t + " ALTER COLUMN id DROP DEFAULT"); // raw: the keys stop coming
        assertThatThrownBy(() -> update(admin, "INSERT INTO " + t + " (status) VALUES (1)"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("null value in column \"id\"");
    }

    /**
     * A NOT NULL domain's default dropped: every column of the domain without a default of its own refuses the
     * inserts that leave it out. A domain without NOT NULL or CHECK is let through silently (the live catalog says).
     */
    @Test
    void droppingANotNullDomainsDefaultWarnsRunsAndInsertsLeavingItOutFail() throws SQLException {
        String domain = p + "_status";
        String plain = p + "_label";
        exec(
                admin,
                "CREATE DOMAIN " + domain + " AS text NOT NULL DEFAULT 'new'",
                "CREATE DOMAIN " + plain + " AS text DEFAULT 'x'");
        afterwards("DROP DOMAIN IF EXISTS " + domain + " CASCADE");
        afterwards("DROP DOMAIN IF EXISTS " + plain + " CASCADE");
        String t = table("dom", "id int, status " + domain + ", label " + plain, null);
        assertThat(update(admin, "INSERT INTO " + t + " (id) VALUES (1)")).isEqualTo(1);
        try (Connection g = guarded()) {
            exec(g, "ALTER DOMAIN " + plain + " DROP DEFAULT");
            assertThat(hasRule(onlyAudit(), "drop-default"))
                    .as("no NOT NULL, no CHECK")
                    .isFalse();
        }
        assertWarnedAndRun("ALTER DOMAIN " + domain + " DROP DEFAULT", "drop-default", "domain " + domain);
        assertThatThrownBy(() -> update(admin, "INSERT INTO " + t + " (id) VALUES (2)"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("does not allow null values");
    }

    /** session_replication_role = replica as a role's default: its next sessions skip every foreign-key check. */
    @Test
    void aRolesReplicaDefaultIsWarnedAndItsNextSessionsWriteOrphans() throws SQLException {
        String parent = table("srp", "id int PRIMARY KEY", null);
        String child = table("src", "id int, p int REFERENCES " + parent, null);
        String role = p + "_rep";
        exec(
                admin,
                "CREATE ROLE " + role + " LOGIN",
                "GRANT SELECT, INSERT ON " + parent + ", " + child + " TO " + role);
        afterwards("DROP ROLE IF EXISTS " + role);
        afterwards("REVOKE ALL ON " + parent + ", " + child + " FROM " + role);
        try (Connection app = as(role)) {
            assertThatThrownBy(() -> exec(app, "INSERT INTO " + child + " VALUES (1, 999)"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("foreign key");
        }
        assertWarnedAndRun(
                "ALTER ROLE " + role + " SET session_replication_role = replica",
                "disable-trigger",
                "no trigger fires and no foreign key is checked");
        try (Connection app = as(role)) {
            exec(app, "INSERT INTO " + child + " VALUES (2, 999)"); // no parent 999: the check no longer runs
        }
        assertThat(count(child)).isEqualTo(1);
    }

    /** A role's default search_path: its next session no longer finds the tables its queries name (session-defaults). */
    @Test
    void aRolesSearchPathDefaultWarnsRunsAndItsNextSessionFindsNoTable() throws SQLException {
        String t = table("sd", "id int", "SELECT 1");
        String role = p + "_sd";
        exec(admin, "CREATE ROLE " + role + " LOGIN", "GRANT SELECT ON " + t + " TO " + role);
        afterwards("DROP ROLE IF EXISTS " + role);
        afterwards("REVOKE ALL ON " + t + " FROM " + role);
        afterwards("ALTER ROLE " + role + " RESET ALL");
        try (Connection app = as(role)) {
            assertThat(intQuery(app, "SELECT count(*) FROM " + t)).isEqualTo(1);
        }
        assertWarnedAndRun(
                "ALTER ROLE " + role + " SET search_path = nowhere",
                "session-defaults",
                "sets search_path for every new session of role " + role);
        try (Connection app = as(role)) {
            assertThatThrownBy(() -> intQuery(app, "SELECT count(*) FROM " + t))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("does not exist");
        }
    }

    /** Publishing a table without a primary key: its UPDATEs and DELETEs fail from then on (replica-identity). */
    @Test
    void publishingATableWithoutReplicaIdentityWarnsRunsAndItsUpdatesFail() throws SQLException {
        String t = table("nopk", "id int, v int", "SELECT g, g FROM generate_series(1, 3) g");
        afterwards("DROP PUBLICATION IF EXISTS " + p + "_pub2");
        assertThat(update(admin, "UPDATE " + t + " SET v = 0 WHERE id = 1")).isEqualTo(1);

        assertWarnedAndRun(
                "CREATE PUBLICATION " + p + "_pub2 FOR TABLE " + t,
                "replica-identity",
                "publishes the updates and deletes of " + t + " (no primary key known)");
        assertThatThrownBy(() -> update(admin, "UPDATE " + t + " SET v = 1 WHERE id = 1"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("does not have a replica identity and publishes updates");
    }

    private static Connection as(String role) throws SQLException {
        return DriverManager.getConnection(PG_URL.replaceAll("user=[^&]*", "user=" + role));
    }
}
