package dev.ddlguard.dialect.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Column and table rules on a real PostgreSQL 15, end to end: add-column-rewrites-table,
 * change-column-type, table-rewrite, the partition rules and enum-value-in-transaction. Whether the
 * server rewrote the table is read from {@code pg_class.relfilenode}: a rewrite gives the table a new file.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PostgresColumnAndTableRulesTest extends PgRulesTestBase {

    private String t;

    @BeforeEach
    void createTable() throws SQLException {
        t = table(
                "t",
                "id bigint PRIMARY KEY, code varchar(20), label varchar(50), body varchar, price numeric(10,2),"
                        + " qty int, seen timestamp",
                "SELECT g, 'c' || g, 'l' || g, 'b' || g, g / 100.0, g, timestamp '2024-01-01' + g * interval '1 minute'"
                        + " FROM generate_series(1, 2000) g");
    }

    // ---- add-column-rewrites-table ------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(
            strings = {
                "timestamptz DEFAULT now()",
                "timestamptz DEFAULT CURRENT_TIMESTAMP",
                "text DEFAULT 'new'",
                "int NOT NULL DEFAULT 0",
                "int"
            })
    void addColumnWithANonVolatileDefaultIsAllowedAndOnlyChangesMetadata(String definition) throws SQLException {
        long file = relfilenode(t);
        try (Connection g = guarded()) {
            exec(g, "ALTER TABLE " + t + " ADD COLUMN added " + definition);
        }
        assertThat(columnExists(t, "added")).isTrue();
        assertThat(relfilenode(t)).as("no rewrite").isEqualTo(file);
        JsonNode r = onlyAudit();
        assertThat(r.get("decision").asText()).as(r.toString()).isEqualTo("allowed");
        assertThat(hasRule(r, "add-column-rewrites-table")).isFalse();
        assertLockWithSize(r.get("lock"), "ACCESS EXCLUSIVE");
        assertThat(r.get("lock").get("work").asText()).isEqualTo("metadata");
        assertThat(r.get("executed_sql").asText()).isEqualTo("ALTER TABLE " + t + " ADD COLUMN added " + definition);
    }

    static Stream<Arguments> rewritingColumns() {
        return Stream.of(
                Arguments.of("double precision DEFAULT random()", "SET DEFAULT random()"),
                Arguments.of("uuid DEFAULT gen_random_uuid()", "SET DEFAULT gen_random_uuid()"),
                Arguments.of("timestamptz DEFAULT clock_timestamp()", "SET DEFAULT clock_timestamp()"),
                Arguments.of("bigserial", "ADD COLUMN added bigint"),
                Arguments.of("bigint GENERATED ALWAYS AS IDENTITY", "ADD COLUMN added bigint"),
                Arguments.of("int GENERATED ALWAYS AS (qty * 2) STORED", "ADD COLUMN added int"));
    }

    @ParameterizedTest
    @MethodSource("rewritingColumns")
    void addColumnThatFillsEveryRowIsBlockedAndNothingChanges(String definition, String safeSql) throws SQLException {
        long file = relfilenode(t);
        try (Connection g = guarded()) {
            String message = assertBlocked(
                    g, "ALTER TABLE " + t + " ADD COLUMN added " + definition, "add-column-rewrites-table", safeSql);
            assertThat(message).contains("rewritten").contains("ACCESS EXCLUSIVE");
        }
        assertThat(columnExists(t, "added")).isFalse();
        assertThat(relfilenode(t)).isEqualTo(file);
        JsonNode r = onlyAudit();
        assertBlockedRecord(r, "add-column-rewrites-table");
        assertLockWithSize(r.get("lock"), "ACCESS EXCLUSIVE");
        assertThat(r.get("lock").get("work").asText()).isEqualTo("rewrite");
    }

    @Test
    void aUserDefinedVolatileDefaultIsBlockedFromTheCatalogAndAnImmutableOneIsAllowed() throws SQLException {
        String volatileFn = p + "_next_code";
        String immutableFn = p + "_fixed_code";
        exec(admin, "CREATE FUNCTION " + volatileFn + "() RETURNS int LANGUAGE sql VOLATILE AS 'SELECT 1'");
        afterwards("DROP FUNCTION IF EXISTS " + volatileFn + "() CASCADE");
        exec(admin, "CREATE FUNCTION " + immutableFn + "() RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT 7'");
        afterwards("DROP FUNCTION IF EXISTS " + immutableFn + "() CASCADE");
        long file = relfilenode(t);
        try (Connection g = guarded()) {
            assertBlocked(
                    g,
                    "ALTER TABLE " + t + " ADD COLUMN v int DEFAULT " + volatileFn + "()",
                    "add-column-rewrites-table",
                    "SET DEFAULT " + volatileFn + "()");
            assertThat(rule(onlyAudit(), "add-column-rewrites-table")
                            .get("message")
                            .asText())
                    .contains("volatile");
            exec(g, "ALTER TABLE " + t + " ADD COLUMN i int DEFAULT " + immutableFn + "()");
            assertThat(onlyAudit().get("decision").asText()).isEqualTo("allowed");
        }
        assertThat(columnExists(t, "v")).isFalse();
        assertThat(intQuery(admin, "SELECT min(i) FROM " + t)).isEqualTo(7);
        assertThat(relfilenode(t)).as("no rewrite").isEqualTo(file);
    }

    // ---- change-column-type -------------------------------------------------------------------------

    static Stream<Arguments> typeChangesWithoutRewrite() {
        return Stream.of(
                Arguments.of("code", "varchar(50)", "character varying(50)"),
                Arguments.of("label", "text", "text"),
                Arguments.of("price", "numeric(12,2)", "numeric(12,2)"),
                // the same type by another name (an outside tester's false positives)
                Arguments.of("qty", "int4", "integer"),
                Arguments.of("qty", "pg_catalog.int4", "integer"),
                Arguments.of("seen", "timestamp(6)", "timestamp without time zone"));
    }

    @ParameterizedTest
    @MethodSource("typeChangesWithoutRewrite")
    void binaryCoercibleTypeChangesAreAllowedAndDoNotRewrite(String column, String type, String expected)
            throws SQLException {
        long file = relfilenode(t);
        try (Connection g = guarded()) {
            exec(g, "ALTER TABLE " + t + " ALTER COLUMN " + column + " TYPE " + type);
        }
        assertThat(columnType(t, column)).isEqualTo(expected);
        assertThat(relfilenode(t)).as("no rewrite").isEqualTo(file);
        JsonNode r = onlyAudit();
        assertThat(r.get("decision").asText()).as(r.toString()).isEqualTo("allowed");
        assertThat(hasRule(r, "change-column-type")).isFalse();
        assertLockWithSize(r.get("lock"), "ACCESS EXCLUSIVE");
    }

    static Stream<Arguments> typeChangesThatRewrite() {
        return Stream.of(
                Arguments.of("qty", "bigint", "", "integer", "from integer to bigint"),
                Arguments.of("label", "varchar(20)", "", "character varying(50)", "to varchar(20)"),
                Arguments.of("code", "text", " USING upper(code)", "character varying(20)", "with USING"));
    }

    @ParameterizedTest
    @MethodSource("typeChangesThatRewrite")
    void typeChangesThatRewriteAreBlockedWithExpandContract(
            String column, String type, String using, String before, String why) throws SQLException {
        long file = relfilenode(t);
        try (Connection g = guarded()) {
            String message = assertBlocked(
                    g,
                    "ALTER TABLE " + t + " ALTER COLUMN " + column + " TYPE " + type + using,
                    "change-column-type",
                    "ADD COLUMN " + column + "_new " + type,
                    "RENAME COLUMN " + column + "_new TO " + column);
            assertThat(message).contains(why);
        }
        assertThat(columnType(t, column)).isEqualTo(before);
        assertThat(relfilenode(t)).isEqualTo(file);
        JsonNode r = onlyAudit();
        assertBlockedRecord(r, "change-column-type");
        assertLockWithSize(r.get("lock"), "ACCESS EXCLUSIVE");
    }

    @Test
    void timestampToTimestamptzIsFreeOnlyWhenTheSessionTimeZoneIsUtc() throws SQLException {
        long file = relfilenode(t);
        String sql = "ALTER TABLE " + t + " ALTER COLUMN seen TYPE timestamptz";
        try (Connection g = guarded()) {
            exec(g, "SET TimeZone = 'Europe/Paris'");
            String message = assertBlocked(g, sql, "change-column-type", "ADD COLUMN seen_new timestamptz");
            assertThat(message).contains("timestamp without time zone");
            assertBlockedRecord(onlyAudit(), "change-column-type");
            assertThat(columnType(t, "seen")).isEqualTo("timestamp without time zone");

            exec(g, "SET TimeZone = 'UTC'");
            exec(g, sql);
            JsonNode r = onlyAudit();
            assertThat(r.get("decision").asText()).isEqualTo("allowed");
            assertThat(hasRule(r, "change-column-type")).isFalse();
        }
        assertThat(columnType(t, "seen")).isEqualTo("timestamp with time zone");
        assertThat(relfilenode(t)).as("no rewrite in UTC").isEqualTo(file);
    }

    // ---- table-rewrite ------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(
            strings = {
                "VACUUM FULL %t",
                "VACUUM (FULL, ANALYZE) %t",
                "CLUSTER %t USING %t_pkey",
                "ALTER TABLE %t SET TABLESPACE pg_default",
                "ALTER TABLE %t SET UNLOGGED"
            })
    void statementsThatRewriteTheWholeTableAreBlocked(String form) throws SQLException {
        String sql = form.replace("%t", t);
        long file = relfilenode(t);
        try (Connection g = guarded()) {
            String message = assertBlocked(g, sql, "table-rewrite", "pg_repack");
            assertThat(message).contains("ACCESS EXCLUSIVE");
        }
        assertThat(relfilenode(t)).isEqualTo(file);
        assertThat(stringQuery(admin, "SELECT relpersistence FROM pg_class WHERE oid = '" + t + "'::regclass"))
                .isEqualTo("p");
        JsonNode r = onlyAudit();
        assertBlockedRecord(r, "table-rewrite");
        assertLockWithSize(r.get("lock"), "ACCESS EXCLUSIVE");
        assertThat(r.get("lock").get("work").asText()).isEqualTo("rewrite");
    }

    // ---- partitions ---------------------------------------------------------------------------------

    /**
     * A primary key on a partitioned parent was rewritten to CREATE UNIQUE INDEX CONCURRENTLY, which the server
     * refuses there (an outside tester's find). It is blocked with the steps per partition, and those steps, run
     * through the guard, give the parent its key with each partition's index attached, not rebuilt.
     */
    @Test
    void aKeyOnAPartitionedParentIsBlockedWithStepsPerPartitionThatWork() throws SQLException {
        String parent = partitioned();
        String part = parent + "_1";
        try (Connection g = guarded()) {
            String message = assertBlocked(
                    g,
                    "ALTER TABLE " + parent + " ADD PRIMARY KEY (id, at)",
                    "require-unique-index-first",
                    "is partitioned",
                    "USING INDEX p_" + parent + "_pkey");
            assertThat(message).doesNotContain("CREATE UNIQUE INDEX CONCURRENTLY " + parent + "_pkey ON " + parent);
            // the advice, with p = the one partition
            exec(g, "CREATE UNIQUE INDEX CONCURRENTLY p_" + parent + "_pkey ON " + part + " (id, at)");
            exec(
                    g,
                    "ALTER TABLE " + part + " ADD CONSTRAINT p_" + parent + "_pkey PRIMARY KEY USING INDEX p_" + parent
                            + "_pkey");
            long built = longQuery(admin, "SELECT pg_relation_filenode('p_" + parent + "_pkey')");
            exec(
                    g,
                    "/* ddlguard:allow require-unique-index-first every partition has its constraint: this "
                            + "attaches them */ ALTER TABLE " + parent + " ADD CONSTRAINT " + parent
                            + "_pkey PRIMARY KEY (id, at)");
            assertThat(longQuery(admin, "SELECT pg_relation_filenode('p_" + parent + "_pkey')"))
                    .as("the partition's index was attached, not rebuilt")
                    .isEqualTo(built);
        }
        assertThat(stringQuery(
                        admin,
                        "SELECT contype FROM pg_constraint WHERE conrelid = '" + parent + "'::regclass"
                                + " AND conname = '" + parent + "_pkey'"))
                .isEqualTo("p");
    }

    /**
     * A column of a domain with a CHECK is checked against every row in a rewrite (the table file is replaced), even
     * with a constant default: it was allowed as a metadata change (an outside tester's find). A domain without
     * constraints adds the column in place.
     */
    @Test
    void aColumnOfACheckedDomainIsBlockedAndAPlainDomainIsNot() throws SQLException {
        String t = table("dom", "id int", "SELECT g FROM generate_series(1, 1000) g");
        String checked = p + "_posint";
        String plain = p + "_plainint";
        exec(admin, "CREATE DOMAIN " + checked + " AS int CHECK (VALUE > 0)", "CREATE DOMAIN " + plain + " AS int");
        afterwards("DROP DOMAIN IF EXISTS " + checked);
        afterwards("DROP DOMAIN IF EXISTS " + plain);
        afterwards("ALTER TABLE " + t + " DROP COLUMN IF EXISTS p"); // before the domains go
        long file = longQuery(admin, "SELECT pg_relation_filenode('" + t + "')");
        try (Connection g = guarded()) {
            assertBlocked(
                    g,
                    "ALTER TABLE " + t + " ADD COLUMN q public." + checked + " DEFAULT 5",
                    "add-column-rewrites-table",
                    "of the domain public." + checked);
            exec(g, "ALTER TABLE " + t + " ADD COLUMN p " + plain);
        }
        assertThat(longQuery(admin, "SELECT pg_relation_filenode('" + t + "')")).isEqualTo(file);
        // raw, the same statement replaces the table's file
        exec(admin, "ALTER TABLE " + t + " ADD COLUMN q " + checked + " DEFAULT 5");
        afterwards("ALTER TABLE " + t + " DROP COLUMN IF EXISTS q");
        assertThat(longQuery(admin, "SELECT pg_relation_filenode('" + t + "')")).isNotEqualTo(file);
    }

    /**
     * A column of a domain whose DEFAULT is volatile, added without a DEFAULT of its own, takes the domain's and is
     * filled for every row in a rewrite (an outside tester's: allowed as metadata with the live catalog). The advice's
     * explicit DEFAULT NULL overrides it: the guard lets it through and the table keeps its file.
     */
    @Test
    void aColumnOfADomainWithAVolatileDefaultIsBlockedAndItsAdviceKeepsTheFile() throws SQLException {
        String t = table("rnd", "id int", "SELECT g FROM generate_series(1, 1000) g");
        String rnd = p + "_rnddom";
        exec(admin, "CREATE DOMAIN " + rnd + " AS double precision DEFAULT random()");
        afterwards("DROP DOMAIN IF EXISTS " + rnd);
        afterwards("ALTER TABLE " + t + " DROP COLUMN IF EXISTS a, DROP COLUMN IF EXISTS b"); // before the domain
        long file = longQuery(admin, "SELECT pg_relation_filenode('" + t + "')");
        try (Connection g = guarded()) {
            assertBlocked(
                    g,
                    "ALTER TABLE " + t + " ADD COLUMN a " + rnd,
                    "add-column-rewrites-table",
                    "ADD COLUMN a " + rnd + " DEFAULT NULL");
            exec(g, "ALTER TABLE " + t + " ADD COLUMN b " + rnd + " DEFAULT NULL");
        }
        assertThat(longQuery(admin, "SELECT pg_relation_filenode('" + t + "')")).isEqualTo(file);
        assertThat(intQuery(admin, "SELECT count(*) FROM " + t + " WHERE b IS NOT NULL"))
                .isZero();
        // raw, the same statement replaces the table's file and fills every row
        exec(admin, "ALTER TABLE " + t + " ADD COLUMN a " + rnd);
        assertThat(longQuery(admin, "SELECT pg_relation_filenode('" + t + "')")).isNotEqualTo(file);
        assertThat(intQuery(admin, "SELECT count(DISTINCT a) FROM " + t)).isGreaterThan(900);
    }

    /**
     * DROP … IF EXISTS … CASCADE of what is not there, or of what nothing depends on, takes nothing it does not name:
     * not drop-cascade (Hibernate's create mode sends it on a fresh database: an outside tester's false positive).
     */
    @Test
    void aCascadeDropThatTakesNothingElseIsNotDropCascade() throws SQLException {
        String lonely = p + "_lonely";
        exec(admin, "CREATE TYPE " + lonely + " AS ENUM ('a')");
        afterwards("DROP TYPE IF EXISTS " + lonely);
        try (Connection g = guarded()) {
            exec(g, "DROP TABLE IF EXISTS " + p + "_nothing CASCADE");
            assertThat(hasRule(onlyAudit(), "drop-cascade")).isFalse();
            exec(g, "DROP TYPE " + lonely + " CASCADE");
            JsonNode r = onlyAudit();
            assertThat(hasRule(r, "drop-cascade")).isFalse();
            assertThat(r.get("decision").asText()).isEqualTo("warned"); // drop-type
        }
        assertThat(intQuery(admin, "SELECT count(*) FROM pg_type WHERE typname = '" + lonely + "'"))
                .isZero();
    }

    /** Django's TYPE text USING "body"::text of a varchar: no rewrite (the file stays), so no block. */
    @Test
    void aUsingThatOnlyCastsTheColumnToItsNewTypeIsJudgedAsWithout() throws SQLException {
        String t = table("dj", "id int, body varchar(200)", "SELECT g, 'b' || g FROM generate_series(1, 1000) g");
        long file = longQuery(admin, "SELECT pg_relation_filenode('" + t + "')");
        try (Connection g = guarded()) {
            exec(g, "ALTER TABLE " + t + " ALTER COLUMN \"body\" TYPE text USING \"body\"::text");
            assertThat(hasRule(onlyAudit(), "change-column-type")).isFalse();
        }
        assertThat(longQuery(admin, "SELECT pg_relation_filenode('" + t + "')")).isEqualTo(file);
    }

    /** A new collation keeps the table's file but rebuilds the column's indexes under ACCESS EXCLUSIVE. */
    @Test
    void aCollationChangeIsBlockedWhileRawItRebuildsTheColumnsIndex() throws SQLException {
        String t = table("coll", "id int, email text", "SELECT g, 'u' || g FROM generate_series(1, 1000) g");
        exec(admin, "CREATE UNIQUE INDEX " + t + "_email ON " + t + " (email)");
        long index = longQuery(admin, "SELECT pg_relation_filenode('" + t + "_email')");
        try (Connection g = guarded()) {
            assertBlocked(
                    g,
                    "ALTER TABLE " + t + " ALTER COLUMN email TYPE text COLLATE \"C\"",
                    "change-column-type",
                    "changes the collation of " + t + ".email");
        }
        assertThat(longQuery(admin, "SELECT pg_relation_filenode('" + t + "_email')"))
                .isEqualTo(index);
        exec(admin, "ALTER TABLE " + t + " ALTER COLUMN email TYPE text COLLATE \"C\"");
        assertThat(longQuery(admin, "SELECT pg_relation_filenode('" + t + "_email')"))
                .isNotEqualTo(index);
    }

    private String partitioned() throws SQLException {
        String parent = table("events", "id int NOT NULL, at date NOT NULL) PARTITION BY RANGE (id", null);
        exec(admin, "CREATE TABLE " + parent + "_1 PARTITION OF " + parent + " FOR VALUES FROM (0) TO (1000)");
        exec(admin, "INSERT INTO " + parent + " SELECT g, date '2024-01-01' FROM generate_series(0, 999) g");
        exec(admin, "ANALYZE " + parent);
        return parent;
    }

    private boolean isPartitionOf(String partition, String parent) throws SQLException {
        return intQuery(
                        admin,
                        "SELECT count(*) FROM pg_inherits WHERE inhrelid = '" + partition + "'::regclass"
                                + " AND inhparent = '" + parent + "'::regclass")
                == 1;
    }

    @Test
    void createTablePartitionOfWarnsThatItLocksTheParent() throws SQLException {
        String parent = partitioned();
        String sql = "CREATE TABLE " + parent + "_2 PARTITION OF " + parent + " FOR VALUES FROM (1000) TO (2000)";
        try (Connection g = guarded()) {
            exec(g, sql);
        }
        assertThat(isPartitionOf(parent + "_2", parent)).isTrue();
        assertThat(log.warnings())
                .anySatisfy(w -> assertThat(w)
                        .contains("[create-partition-locks-parent]")
                        .contains("ATTACH PARTITION"));
        JsonNode r = onlyAudit();
        assertThat(r.get("decision").asText()).isEqualTo("warned");
        assertThat(rule(r, "create-partition-locks-parent").get("action").asText())
                .isEqualTo("warn");
        assertThat(r.get("executed_sql").asText()).isEqualTo(sql);
        assertThat(r.get("lock").get("other_tables")).anySatisfy(o -> {
            assertThat(o.get("table").asText()).isEqualTo(parent);
            assertThat(o.get("mode").asText()).isEqualTo("ACCESS EXCLUSIVE");
        });
    }

    @Test
    void attachPartitionWarnsAboutItsScan() throws SQLException {
        String parent = partitioned();
        String part = table(
                "events_2",
                "id int NOT NULL, at date NOT NULL",
                "SELECT g, date '2024-02-01' FROM generate_series(1000, 1499) g");
        String sql = "ALTER TABLE " + parent + " ATTACH PARTITION " + part + " FOR VALUES FROM (1000) TO (2000)";
        try (Connection g = guarded()) {
            exec(g, sql);
        }
        assertThat(isPartitionOf(part, parent)).isTrue();
        assertThat(log.warnings())
                .anySatisfy(
                        w -> assertThat(w).contains("[attach-partition-scan]").contains("NOT VALID"));
        JsonNode r = onlyAudit();
        assertThat(r.get("decision").asText()).isEqualTo("warned");
        assertThat(rule(r, "attach-partition-scan").get("action").asText()).isEqualTo("warn");
        assertThat(r.get("lock").get("mode").asText()).isEqualTo("SHARE UPDATE EXCLUSIVE");
        assertThat(r.get("lock").get("other_tables")).anySatisfy(o -> {
            assertThat(o.get("table").asText()).isEqualTo(part);
            assertThat(o.get("mode").asText()).isEqualTo("ACCESS EXCLUSIVE");
        });
        // a partitioned parent's own size is nothing whatever its partitions hold: unknown, not 0
        assertThat(r.get("lock").get("rows").isNull())
                .as(r.get("lock").toString())
                .isTrue();
        assertThat(r.get("lock").get("bytes").isNull()).isTrue();
        assertThat(r.get("outcome").asText()).isEqualTo("ok");
    }

    @Test
    void detachPartitionIsRewrittenToConcurrentlyAndSaysInsertsIntoItsRangeFail() throws SQLException {
        String parent = partitioned();
        String sql = "ALTER TABLE " + parent + " DETACH PARTITION " + parent + "_1";
        try (Connection g = guarded()) {
            exec(g, sql);
        }
        assertThat(intQuery(admin, "SELECT count(*) FROM pg_inherits WHERE inhparent = '" + parent + "'::regclass"))
                .isZero();
        assertThat(count(parent + "_1")).as("the detached table keeps its rows").isEqualTo(1000);
        assertThatThrownBy(() -> exec(admin, "INSERT INTO " + parent + " VALUES (5, date '2024-01-01')"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("no partition of relation");
        JsonNode r = onlyAudit();
        assertRewritten(
                r, "require-concurrent-detach", sql + " CONCURRENTLY", "ACCESS EXCLUSIVE", "SHARE UPDATE EXCLUSIVE");
        // a partitioned parent's own size is nothing whatever its partitions hold: unknown, not 0
        assertThat(r.get("lock").get("rows").isNull())
                .as(r.get("lock").toString())
                .isTrue();
        assertThat(r.get("lock").get("bytes").isNull()).isTrue();
        assertThat(rule(r, "require-concurrent-detach").get("message").asText())
                .contains("inserts into its range fail")
                .contains("no partition of relation found for row");
    }

    @Test
    void detachPartitionInsideATransactionIsBlocked() throws SQLException {
        String parent = partitioned();
        try (Connection g = guarded()) {
            g.setAutoCommit(false);
            String message = assertBlocked(
                    g,
                    "ALTER TABLE " + parent + " DETACH PARTITION " + parent + "_1",
                    "require-concurrent-detach",
                    "DETACH PARTITION " + parent + "_1 CONCURRENTLY");
            assertThat(message).contains("executeInTransaction=false");
            g.rollback();
        }
        assertBlockedRecord(onlyAudit(), "require-concurrent-detach");
        assertThat(isPartitionOf(parent + "_1", parent)).isTrue();
    }

    // ---- enum-value-in-transaction ------------------------------------------------------------------

    /** On 12+ ADD VALUE works inside a transaction block: the rule is for older servers and stays quiet on 15. */
    @Test
    void enumValueInsideATransactionIsAllowedOnPostgres12AndLater() throws SQLException {
        String type = p + "_mood";
        exec(admin, "CREATE TYPE " + type + " AS ENUM ('happy', 'sad')");
        afterwards("DROP TYPE IF EXISTS " + type);
        try (Connection g = guarded()) {
            g.setAutoCommit(false);
            exec(g, "ALTER TYPE " + type + " ADD VALUE 'meh'");
            g.commit();
        }
        assertThat(stringQuery(
                        admin,
                        "SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum" + " WHERE enumtypid = '"
                                + type + "'::regtype"))
                .isEqualTo("happy,sad,meh");
        JsonNode r = onlyAudit();
        assertThat(hasRule(r, "enum-value-in-transaction")).isFalse();
        assertThat(r.get("outcome").asText()).isEqualTo("ok");
    }
}
