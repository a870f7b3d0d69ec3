package dev.ddlguard.dialect.postgres;

import dev.ddlguard.dialect.LockImpact;

import static dev.ddlguard.dialect.LockImpact.NOTHING;
import static dev.ddlguard.dialect.LockImpact.READS_AND_WRITES;
import static dev.ddlguard.dialect.LockImpact.WRITES;

import dev.ddlguard.dialect.LockImpact.Work;
import dev.ddlguard.sql.AlterAction;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.DdlStatement.Flag;
import dev.ddlguard.sql.Verb;

/**
 * PostgreSQL's table-level locks per statement, from the manual's "13.3.1 Table-Level Locks" and
 * each command's reference page. The strongest lock of a multi-action ALTER TABLE wins.
 */
public final class PostgresLockModel {

    static final String ACCESS_EXCLUSIVE = "ACCESS EXCLUSIVE";
    static final String EXCLUSIVE = "EXCLUSIVE";
    static final String SHARE_ROW_EXCLUSIVE = "SHARE ROW EXCLUSIVE";
    static final String SHARE = "SHARE";
    static final String SHARE_UPDATE_EXCLUSIVE = "SHARE UPDATE EXCLUSIVE";

    private PostgresLockModel() {
    }

    public static LockImpact of(DdlStatement s) {
        LockImpact impact = base(s);
        return s.table() != null ? impact.onTable(s.table().toSql()) : impact;
    }

    private static LockImpact base(DdlStatement s) {
        boolean concurrently = s.has(Flag.CONCURRENTLY);
        String type = s.objectType() == null ? "" : s.objectType();
        return switch (s.verb()) {
            case CREATE -> switch (type) {
                // CREATE INDEX: SHARE blocks writes for the whole build; CONCURRENTLY takes SHARE UPDATE EXCLUSIVE.
                case "INDEX" -> concurrently
                        ? LockImpact.of(SHARE_UPDATE_EXCLUSIVE, NOTHING, Work.INDEX_BUILD)
                        : LockImpact.of(SHARE, WRITES, Work.INDEX_BUILD);
                case "TRIGGER" -> LockImpact.of(SHARE_ROW_EXCLUSIVE, WRITES, Work.METADATA);
                default -> LockImpact.of(null, NOTHING, s.has(Flag.AS_SELECT) ? Work.SCAN : Work.METADATA);
            };
            case DROP -> switch (type) {
                case "INDEX" -> concurrently
                        ? LockImpact.of(SHARE_UPDATE_EXCLUSIVE, NOTHING, Work.METADATA)
                        : LockImpact.of(ACCESS_EXCLUSIVE, READS_AND_WRITES, Work.METADATA);
                case "TABLE", "MATERIALIZED VIEW", "VIEW", "TRIGGER", "SEQUENCE" ->
                        LockImpact.of(ACCESS_EXCLUSIVE, READS_AND_WRITES, Work.METADATA);
                default -> LockImpact.of(null, NOTHING, Work.METADATA);
            };
            case TRUNCATE -> LockImpact.of(ACCESS_EXCLUSIVE, READS_AND_WRITES, Work.METADATA);
            case ALTER -> "TABLE".equals(type) ? alterTable(s) : LockImpact.of(ACCESS_EXCLUSIVE, READS_AND_WRITES, Work.METADATA);
            case RENAME -> LockImpact.of(ACCESS_EXCLUSIVE, READS_AND_WRITES, Work.METADATA);
            case COMMENT -> LockImpact.of(SHARE_UPDATE_EXCLUSIVE, NOTHING, Work.METADATA);
            case REINDEX -> concurrently
                    ? LockImpact.of(SHARE_UPDATE_EXCLUSIVE, NOTHING, Work.INDEX_BUILD)
                    // REINDEX takes SHARE on the table and ACCESS EXCLUSIVE on the index: queries using it wait too.
                    : LockImpact.of(SHARE, READS_AND_WRITES, Work.INDEX_BUILD);
            case CLUSTER, VACUUM, OPTIMIZE -> LockImpact.of(ACCESS_EXCLUSIVE, READS_AND_WRITES, Work.REWRITE);
            case REFRESH -> concurrently
                    ? LockImpact.of(EXCLUSIVE, WRITES, Work.REWRITE)
                    : LockImpact.of(ACCESS_EXCLUSIVE, READS_AND_WRITES, Work.REWRITE);
            case DO, EXECUTE, PREPARE, IMPORT, GRANT, REVOKE, SECURITY -> LockImpact.of(null, NOTHING, null);
        };
    }

    private static LockImpact alterTable(DdlStatement s) {
        LockImpact strongest = null;
        for (AlterAction action : s.actions()) {
            LockImpact impact = action(action);
            if (strongest == null || rank(impact) > rank(strongest)) {
                strongest = impact;
            }
        }
        return strongest != null ? strongest : LockImpact.of(ACCESS_EXCLUSIVE, READS_AND_WRITES, Work.METADATA);
    }

    private static LockImpact action(AlterAction a) {
        return switch (a.kind()) {
            case ADD_COLUMN -> a.definition() != null && a.definition().notNull() && !a.definition().hasDefault()
                    ? LockImpact.of(ACCESS_EXCLUSIVE, READS_AND_WRITES, Work.SCAN)
                    : LockImpact.of(ACCESS_EXCLUSIVE, READS_AND_WRITES, Work.METADATA);
            case ALTER_COLUMN_TYPE -> LockImpact.of(ACCESS_EXCLUSIVE, READS_AND_WRITES, Work.REWRITE);
            case SET_NOT_NULL -> LockImpact.of(ACCESS_EXCLUSIVE, READS_AND_WRITES, Work.SCAN);
            case ADD_CONSTRAINT -> switch (a.constraint()) {
                case "FOREIGN KEY" -> LockImpact.of(SHARE_ROW_EXCLUSIVE, WRITES, Work.SCAN);
                case "UNIQUE", "PRIMARY KEY", "EXCLUDE" -> LockImpact.of(ACCESS_EXCLUSIVE, READS_AND_WRITES, Work.INDEX_BUILD);
                default -> LockImpact.of(ACCESS_EXCLUSIVE, READS_AND_WRITES, Work.SCAN);
            };
            case VALIDATE_CONSTRAINT -> LockImpact.of(SHARE_UPDATE_EXCLUSIVE, NOTHING, Work.SCAN);
            default -> LockImpact.of(ACCESS_EXCLUSIVE, READS_AND_WRITES, Work.METADATA);
        };
    }

    /** Orders impacts by what they block, then by how long they hold it. */
    static int rank(LockImpact impact) {
        int blocks = impact.blocks().size() * 10;
        int work = impact.work() == null ? 0 : impact.work().ordinal();
        return blocks + work;
    }
}
