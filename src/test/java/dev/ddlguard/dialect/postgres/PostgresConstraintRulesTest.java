package dev.ddlguard.dialect.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The constraint rules on a real PostgreSQL 15, end to end: constraint-missing-not-valid (NOT VALID,
 * then VALIDATE CONSTRAINT: pg_constraint.convalidated ends true), require-unique-index-first (a
 * concurrent unique index, then ADD CONSTRAINT … USING INDEX: conindid points to it) and set-not-null
 * (blocked with the CHECK-based SQL, or run as its four steps when set to rewrite).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PostgresConstraintRulesTest extends PgRulesTestBase {

    private String parent;
    private String child;

    @BeforeEach
    void createTables() throws SQLException {
        parent = table(
                "parent",
                "id bigint PRIMARY KEY, email text, code int NOT NULL",
                "SELECT g, 'p' || g || '@example.com', g FROM generate_series(1, 500) g");
        child = table(
                "child",
                "id bigint NOT NULL, parent_id bigint, amount int, note text",
                "SELECT g, g % 500 + 1, g, CASE WHEN g % 10 = 0 THEN NULL ELSE 'n' END FROM generate_series(1, 2000) g");
    }

    @Test
    void foreignKeyIsAddedNotValidThenValidated() throws SQLException {
        String fk = child + "_to_parent";
        String sql = "ALTER TABLE " + child + " ADD CONSTRAINT " + fk + " FOREIGN KEY (parent_id) REFERENCES " + parent
                + " (id)";
        try (Connection g = guarded()) {
            exec(g, sql);
        }
        assertThat(constraints(child)).containsExactly(fk + ":f:true");
        // It is enforced for new rows.
        assertThatThrownBy(() -> exec(admin, "INSERT INTO " + child + " VALUES (9999, 100000, 1, 'orphan')"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining(fk);
        JsonNode r = onlyAudit();
        String ran = sql + " NOT VALID;\nALTER TABLE " + child + " VALIDATE CONSTRAINT " + fk;
        assertRewritten(r, "constraint-missing-not-valid", ran, "SHARE ROW EXCLUSIVE", "SHARE ROW EXCLUSIVE");
        assertThat(r.get("rewritten_sql").asText()).isEqualTo(ran);
        assertThat(rule(r, "constraint-missing-not-valid").get("safe_sql").asText())
                .contains("ALTER TABLE " + child + " VALIDATE CONSTRAINT " + fk);
        assertLockWithSize(r.get("lock"), "SHARE ROW EXCLUSIVE");
        assertThat(r.get("lock").get("work").asText()).isEqualTo("scan");
        assertThat(r.get("executed_lock").get("work").asText()).isEqualTo("metadata");
        // A foreign key locks the referenced table too.
        assertThat(r.get("lock").get("other_tables")).anySatisfy(o -> {
            assertThat(o.get("table").asText()).isEqualTo(parent);
            assertThat(o.get("mode").asText()).isEqualTo("SHARE ROW EXCLUSIVE");
        });
    }

    @Test
    void unnamedForeignKeyGetsTheNamePostgresWouldGiveIt() throws SQLException {
        String twin = table("twin", "id bigint, parent_id bigint", null);
        exec(admin, "ALTER TABLE " + twin + " ADD FOREIGN KEY (parent_id) REFERENCES " + parent);
        assertThat(constraints(twin)).as("PostgreSQL's own name").containsExactly(twin + "_parent_id_fkey:f:true");
        try (Connection g = guarded()) {
            exec(g, "ALTER TABLE " + child + " ADD FOREIGN KEY (parent_id) REFERENCES " + parent);
        }
        assertThat(constraints(child)).containsExactly(child + "_parent_id_fkey:f:true");
        JsonNode r = onlyAudit();
        assertThat(r.get("executed_sql").asText())
                .isEqualTo("ALTER TABLE " + child + " ADD CONSTRAINT " + child
                        + "_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES " + parent + " NOT VALID;\n"
                        + "ALTER TABLE " + child + " VALIDATE CONSTRAINT " + child + "_parent_id_fkey");
    }

    @Test
    void checkConstraintIsAddedNotValidThenValidated() throws SQLException {
        String check = child + "_amount_positive";
        String sql = "ALTER TABLE " + child + " ADD CONSTRAINT " + check + " CHECK (amount > 0)";
        try (Connection g = guarded()) {
            exec(g, sql);
        }
        assertThat(constraintValidated(child, check)).isTrue();
        assertThatThrownBy(() -> exec(admin, "UPDATE " + child + " SET amount = -1 WHERE id = 1"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining(check);
        JsonNode r = onlyAudit();
        assertRewritten(
                r,
                "constraint-missing-not-valid",
                sql + " NOT VALID;\nALTER TABLE " + child + " VALIDATE CONSTRAINT " + check,
                "ACCESS EXCLUSIVE",
                "ACCESS EXCLUSIVE");
        assertLockWithSize(r.get("lock"), "ACCESS EXCLUSIVE");
        assertThat(r.get("lock").get("blocks"))
                .extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("reads", "writes");
    }

    /** PostgreSQL names an unnamed CHECK after the one column it uses ({@code t_amount_check}), or {@code t_check}. */
    @Test
    void unnamedCheckConstraintsGetTheNamesPostgresWouldGiveThem() throws SQLException {
        String twin = table("twin", "id bigint, parent_id bigint, amount int", null);
        exec(admin, "ALTER TABLE " + twin + " ADD CHECK (amount > 0)");
        exec(admin, "ALTER TABLE " + twin + " ADD CHECK (amount >= id)");
        assertThat(constraints(twin))
                .as("PostgreSQL's own names")
                .containsExactlyInAnyOrder(twin + "_amount_check:c:true", twin + "_check:c:true");
        try (Connection g = guarded()) {
            exec(g, "ALTER TABLE " + child + " ADD CHECK (amount > 0)");
            exec(g, "ALTER TABLE " + child + " ADD CHECK (amount >= id)");
        }
        assertThat(constraints(child))
                .containsExactlyInAnyOrder(child + "_amount_check:c:true", child + "_check:c:true");
        assertThat(log.audit())
                .hasSize(2)
                .allSatisfy(r -> assertThat(r.get("decision").asText()).isEqualTo("rewritten"));
    }

    /** Unquoted names are folded to lower case, as PostgreSQL stores them: no quoted mixed-case name appears. */
    @Test
    void generatedNamesAreFoldedToLowerCaseLikePostgres() throws SQLException {
        try (Connection g = guarded()) {
            exec(
                    g,
                    "ALTER TABLE " + child.toUpperCase() + " ADD FOREIGN KEY (Parent_Id) REFERENCES " + parent
                            + ", ADD CHECK (\"amount\" > 0 AND Amount::numeric < 1e9 AND lower(note) <> 'x'::text IS NOT FALSE)");
        }
        assertThat(constraints(child))
                .containsExactlyInAnyOrder(child + "_parent_id_fkey:f:true", child + "_check:c:true");
        JsonNode r = onlyAudit();
        assertThat(r.get("decision").asText()).isEqualTo("rewritten");
        assertThat(r.get("executed_sql").asText()).doesNotContain("\"" + child.toUpperCase());
    }

    /**
     * Known gap (needs the catalog, which the rules cannot ask for constraint names): PostgreSQL numbers
     * a generated name that is taken ({@code t_amount_check1}); the guard's rewrite reuses the taken
     * name, so a migration that works without the guard fails with "already exists" through it.
     */
    @Test
    void anUnnamedCheckWhoseConventionalNameIsTakenGetsTheNextNumberLikePostgres() throws SQLException {
        try (Connection g = guarded()) {
            exec(g, "ALTER TABLE " + child + " ADD CHECK (amount > 0)");
            exec(g, "ALTER TABLE " + child + " ADD CHECK (amount < 1000000)");
        }
        assertThat(constraints(child))
                .containsExactlyInAnyOrder(child + "_amount_check:c:true", child + "_amount_check1:c:true");
    }

    @Test
    void insideATransactionForeignKeyAndCheckAreBlockedBecauseValidateNeedsItsOwnTransaction() throws SQLException {
        try (Connection g = guarded()) {
            g.setAutoCommit(false);
            exec(g, "INSERT INTO " + child + " VALUES (5000, 1, 1, 'in tx')");
            String message = assertBlocked(
                    g,
                    "ALTER TABLE " + child + " ADD CONSTRAINT " + child + "_fk FOREIGN KEY (parent_id) REFERENCES "
                            + parent + " (id)",
                    "constraint-missing-not-valid",
                    "NOT VALID",
                    "VALIDATE CONSTRAINT " + child + "_fk");
            assertThat(message).contains("must commit separately");
            assertBlockedRecord(onlyAudit(), "constraint-missing-not-valid");
            assertBlocked(
                    g, "ALTER TABLE " + child + " ADD CHECK (amount > 0)", "constraint-missing-not-valid", "NOT VALID");
            assertBlockedRecord(onlyAudit(), "constraint-missing-not-valid");
            // Nothing reached the server: the transaction goes on.
            g.commit();
        }
        assertThat(count(child)).isEqualTo(2001);
        assertThat(constraints(child)).isEmpty();
    }

    @Test
    void uniqueConstraintIsBuiltAsAConcurrentIndexThenAttached() throws SQLException {
        String name = parent + "_email_uq";
        String sql = "ALTER TABLE " + parent + " ADD CONSTRAINT " + name + " UNIQUE (email)";
        try (Connection g = guarded()) {
            exec(g, sql);
            JsonNode r = onlyAudit();
            assertRewritten(
                    r,
                    "require-unique-index-first",
                    "CREATE UNIQUE INDEX CONCURRENTLY " + name + " ON " + parent + " (email);\n" + "ALTER TABLE "
                            + parent + " ADD CONSTRAINT " + name + " UNIQUE USING INDEX " + name,
                    "ACCESS EXCLUSIVE",
                    "SHARE UPDATE EXCLUSIVE");
            assertLockWithSize(r.get("lock"), "ACCESS EXCLUSIVE");
            assertThat(rule(r, "require-unique-index-first").get("safe_sql").asText())
                    .contains("ADD CONSTRAINT " + name + " UNIQUE USING INDEX " + name);
            // Unnamed: PostgreSQL's conventional <table>_<columns>_key.
            exec(g, "ALTER TABLE " + parent + " ADD UNIQUE (code, email)");
            assertThat(onlyAudit().get("outcome").asText()).isEqualTo("ok");
        }
        assertThat(indexValid(name)).isTrue();
        assertThat(constraintUsingIndex(parent, name)).isEqualTo("u:" + name);
        assertThat(constraintUsingIndex(parent, parent + "_code_email_key"))
                .isEqualTo("u:" + parent + "_code_email_key");
    }

    @Test
    void primaryKeyOnNotNullColumnsIsBuiltAsAConcurrentIndexThenAttached() throws SQLException {
        try (Connection g = guarded()) {
            exec(g, "ALTER TABLE " + child + " ADD PRIMARY KEY (id)");
            JsonNode r = onlyAudit();
            assertRewritten(
                    r,
                    "require-unique-index-first",
                    "CREATE UNIQUE INDEX CONCURRENTLY " + child + "_pkey ON " + child + " (id);\n" + "ALTER TABLE "
                            + child + " ADD CONSTRAINT " + child + "_pkey PRIMARY KEY USING INDEX " + child + "_pkey",
                    "ACCESS EXCLUSIVE",
                    "SHARE UPDATE EXCLUSIVE");
        }
        assertThat(indexValid(child + "_pkey")).isTrue();
        assertThat(constraintUsingIndex(child, child + "_pkey")).isEqualTo("p:" + child + "_pkey");
    }

    /** The concurrent build fails on duplicates and leaves an INVALID index: the guard drops it, so a re-run can work. */
    @Test
    void uniqueConstraintOnDuplicateValuesFailsAndLeavesNoInvalidIndex() throws SQLException {
        try (Connection g = guarded()) {
            assertThatThrownBy(() ->
                            exec(g, "ALTER TABLE " + child + " ADD CONSTRAINT " + child + "_uq UNIQUE (parent_id)"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23505"));
        }
        assertThat(relationExists(child + "_uq")).as("INVALID index dropped").isFalse();
        assertThat(constraints(child)).isEmpty();
        JsonNode r = onlyAudit();
        assertThat(r.get("outcome").asText()).isEqualTo("error");
        assertThat(r.get("note").asText()).contains("dropped the INVALID index");
    }

    /**
     * VALIDATE fails on existing orphans after NOT VALID committed. Without the guard the ADD fails as a
     * whole and leaves nothing; through it, the half-added NOT VALID constraint must not stay behind
     * either (a re-run would fail with "already exists"), and the record says what happened.
     */
    @Test
    void aForeignKeyWhoseValidationFailsLeavesNoHalfAddedConstraint() throws SQLException {
        exec(admin, "INSERT INTO " + child + " VALUES (9999, 100000, 1, 'orphan')");
        try (Connection g = guarded()) {
            assertThatThrownBy(() -> exec(
                            g,
                            "ALTER TABLE " + child + " ADD CONSTRAINT " + child + "_fk FOREIGN KEY (parent_id)"
                                    + " REFERENCES " + parent + " (id)"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23503"));
        }
        JsonNode r = onlyAudit();
        assertThat(r.get("outcome").asText()).isEqualTo("error");
        assertThat(constraints(child)).as("no NOT VALID leftover").isEmpty();
    }

    @Test
    void uniqueConstraintInsideATransactionIsBlocked() throws SQLException {
        try (Connection g = guarded()) {
            g.setAutoCommit(false);
            String message = assertBlocked(
                    g,
                    "ALTER TABLE " + parent + " ADD CONSTRAINT " + parent + "_uq UNIQUE (email)",
                    "require-unique-index-first",
                    "CREATE UNIQUE INDEX CONCURRENTLY " + parent + "_uq ON " + parent + " (email)",
                    "ADD CONSTRAINT " + parent + "_uq UNIQUE USING INDEX " + parent + "_uq");
            assertThat(message).contains("executeInTransaction=false");
            g.rollback();
        }
        assertBlockedRecord(onlyAudit(), "require-unique-index-first");
        assertThat(relationExists(parent + "_uq")).isFalse();
    }

    @Test
    void setNotNullIsBlockedWithTheCheckBasedSteps() throws SQLException {
        exec(admin, "UPDATE " + child + " SET note = 'filled' WHERE note IS NULL");
        String c = child + "_note_not_null";
        try (Connection g = guarded()) {
            assertBlocked(
                    g,
                    "ALTER TABLE " + child + " ALTER COLUMN note SET NOT NULL",
                    "set-not-null",
                    "ALTER TABLE " + child + " ADD CONSTRAINT " + c + " CHECK (note IS NOT NULL) NOT VALID",
                    "ALTER TABLE " + child + " VALIDATE CONSTRAINT " + c,
                    "ALTER TABLE " + child + " ALTER COLUMN note SET NOT NULL",
                    "ALTER TABLE " + child + " DROP CONSTRAINT " + c);
        }
        JsonNode r = onlyAudit();
        assertBlockedRecord(r, "set-not-null");
        assertLockWithSize(r.get("lock"), "ACCESS EXCLUSIVE");
        assertThat(notNull(child, "note")).isFalse();
    }

    @Test
    void setNotNullAsRewriteRunsTheFourSteps() throws SQLException {
        exec(admin, "UPDATE " + child + " SET note = 'filled' WHERE note IS NULL");
        try (Connection g = guarded("ddlguard.rule.set-not-null", "rewrite")) {
            exec(g, "ALTER TABLE " + child + " ALTER COLUMN note SET NOT NULL");
        }
        assertThat(notNull(child, "note")).isTrue();
        assertThat(constraints(child)).as("the helper check is gone").isEmpty();
        JsonNode r = onlyAudit();
        String c = child + "_note_not_null";
        assertRewritten(
                r,
                "set-not-null",
                "ALTER TABLE " + child + " ADD CONSTRAINT " + c + " CHECK (note IS NOT NULL) NOT VALID;\n"
                        + "ALTER TABLE " + child + " VALIDATE CONSTRAINT " + c + ";\n"
                        + "ALTER TABLE " + child + " ALTER COLUMN note SET NOT NULL;\n"
                        + "ALTER TABLE " + child + " DROP CONSTRAINT " + c,
                "ACCESS EXCLUSIVE",
                "ACCESS EXCLUSIVE");
        assertThat(r.get("executed_lock").get("work").asText()).isEqualTo("metadata");
    }

    /** pg_attribute.attnotnull */
    private boolean notNull(String table, String column) throws SQLException {
        return "t"
                .equals(stringQuery(
                        admin,
                        "SELECT attnotnull FROM pg_attribute WHERE attrelid = '" + table + "'::regclass AND attname = '"
                                + column + "'"));
    }

    /** "contype:index name" of the constraint: which index backs it (pg_constraint.conindid). */
    private String constraintUsingIndex(String table, String constraint) throws SQLException {
        return stringQuery(
                admin,
                "SELECT contype::text || ':' || conindid::regclass::text FROM pg_constraint WHERE conrelid = '" + table
                        + "'::regclass AND conname = '" + constraint + "'");
    }
}
