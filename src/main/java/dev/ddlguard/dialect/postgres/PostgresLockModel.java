package dev.ddlguard.dialect.postgres;

import static dev.ddlguard.dialect.postgres.PgAlterTableLocks.alterTable;
import static dev.ddlguard.dialect.postgres.PgLockText.containsRun;
import static dev.ddlguard.dialect.postgres.PgLockText.put;
import static dev.ddlguard.dialect.postgres.PgLockText.withOthers;
import static dev.ddlguard.dialect.postgres.PgLockText.words;
import static dev.ddlguard.rules.LockImpact.NOTHING;
import static dev.ddlguard.rules.LockImpact.READS_AND_WRITES;
import static dev.ddlguard.rules.LockImpact.WRITES;

import dev.ddlguard.rules.ExplicitLockRules;
import dev.ddlguard.rules.LockImpact;
import dev.ddlguard.rules.LockImpact.OtherTable;
import dev.ddlguard.rules.LockImpact.Work;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.DdlStatement.Flag;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.Token;
import dev.ddlguard.sql.TokenCursor;
import dev.ddlguard.sql.TokenKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * PostgreSQL's table-level locks per statement, from the manual's "13.3.1 Table-Level Locks" and
 * each command's reference page, and proven row by row against a real server by
 * {@code PostgresLockTableTest}. {@code mode} is the strongest lock on the statement's table;
 * {@code blocks} is what that mode makes plain reads (ACCESS SHARE) and writes (ROW EXCLUSIVE) wait
 * for; {@code otherTables} are further tables the text names (a foreign key's parent, a partition).
 * The strongest lock of a multi-action ALTER TABLE wins; each action's lock is {@link PgAlterTableLocks}'s.
 *
 * <p>Not knowable from the text: the table of {@code DROP INDEX}, {@code REINDEX INDEX} and {@code DROP
 * STATISTICS}, whether {@code ALTER INDEX} names a table, whether {@code IF NOT EXISTS} finds the relation,
 * whether a type change keeps the file ({@link PgCatalogLocks} asks the live catalog); the parent of a foreign
 * key dropped with its table or its constraint (ACCESS EXCLUSIVE: {@link PostgresDialect} adds it from
 * pg_constraint) or validated (ROW SHARE, which blocks neither reads nor writes); the partitions of a
 * partitioned table; a table's default partition; the tables a CASCADE drop takes with it; which columns are
 * indexed (text to varchar rebuilds their indexes); whether a column is already NOT NULL.
 * {@code PostgresLockTableTest} lists the forms where that leaves model and server apart.
 *
 * <p>This is what PostgreSQL 14 to 18 do; {@link PgLockVersions} holds what older servers do instead. Both are
 * traced on real servers of every major version from 11 to 18 (issue 17).
 */
public final class PostgresLockModel {

    static final String ACCESS_EXCLUSIVE = "ACCESS EXCLUSIVE";
    static final String EXCLUSIVE = "EXCLUSIVE";
    static final String SHARE_ROW_EXCLUSIVE = "SHARE ROW EXCLUSIVE";
    static final String SHARE = "SHARE";
    static final String SHARE_UPDATE_EXCLUSIVE = "SHARE UPDATE EXCLUSIVE";

    private PostgresLockModel() {}

    public static LockImpact of(DdlStatement s) {
        LockImpact impact = base(s);
        QualifiedName table = PgLockedRelation.of(s);
        return table != null ? impact.onTable(table.toSql()) : impact;
    }

    /** What concurrent plain reads and writes wait for under a mode held on their table (Table 13.2). */
    static List<String> blockedBy(String mode) {
        if (mode == null) {
            return NOTHING;
        }
        return switch (mode) {
            case ACCESS_EXCLUSIVE -> READS_AND_WRITES;
            case EXCLUSIVE, SHARE_ROW_EXCLUSIVE, SHARE -> WRITES;
            default -> NOTHING;
        };
    }

    static LockImpact lock(String mode, Work work) {
        return LockImpact.of(mode, blockedBy(mode), work);
    }

    /** A relation the statement creates: ACCESS EXCLUSIVE, but no other session sees it before commit. */
    static LockImpact created(Work work) {
        return LockImpact.of(ACCESS_EXCLUSIVE, NOTHING, work);
    }

    private static LockImpact base(DdlStatement s) {
        boolean concurrently = s.has(Flag.CONCURRENTLY);
        String type = s.objectType() == null ? "" : s.objectType();
        return switch (s.verb()) {
            case CREATE ->
                switch (type) {
                    // CREATE INDEX: SHARE blocks writes for the whole build; CONCURRENTLY takes SHARE UPDATE EXCLUSIVE.
                    // ON ONLY a partitioned table: an invalid parent index and no build until partitions are attached.
                    case "INDEX" ->
                        concurrently
                                ? lock(SHARE_UPDATE_EXCLUSIVE, Work.INDEX_BUILD)
                                : lock(SHARE, s.has(Flag.ONLY) ? Work.METADATA : Work.INDEX_BUILD);
                    case "TRIGGER", "CONSTRAINT TRIGGER" -> lock(SHARE_ROW_EXCLUSIVE, Work.METADATA);
                    // CREATE POLICY / CREATE RULE reference pages (and the source): ACCESS EXCLUSIVE on the table.
                    case "POLICY", "RULE" -> lock(ACCESS_EXCLUSIVE, Work.METADATA);
                    // Publications and extended statistics: SHARE UPDATE EXCLUSIVE on each table they name.
                    case "PUBLICATION", "STATISTICS" ->
                        PgLockedRelation.of(s) == null
                                ? LockImpact.of(null, NOTHING, Work.METADATA)
                                : lock(SHARE_UPDATE_EXCLUSIVE, Work.METADATA);
                    case "TABLE" -> createTable(s, withNoData(s));
                    // CREATE OR REPLACE VIEW of an existing view locks that view ACCESS EXCLUSIVE.
                    case "VIEW" ->
                        s.has(Flag.OR_REPLACE) ? lock(ACCESS_EXCLUSIVE, Work.METADATA) : created(Work.METADATA);
                    case "MATERIALIZED VIEW" -> created(withNoData(s) ? Work.METADATA : Work.SCAN);
                    case "SEQUENCE" -> created(Work.METADATA);
                    default -> LockImpact.of(null, NOTHING, s.has(Flag.AS_SELECT) ? Work.SCAN : Work.METADATA);
                };
            case DROP ->
                switch (type) {
                    case "INDEX" ->
                        concurrently
                                ? lock(SHARE_UPDATE_EXCLUSIVE, Work.METADATA)
                                : lock(ACCESS_EXCLUSIVE, Work.METADATA);
                    case "TABLE" -> alsoEach(lock(ACCESS_EXCLUSIVE, Work.METADATA), s, ACCESS_EXCLUSIVE);
                    case "MATERIALIZED VIEW", "VIEW", "TRIGGER", "SEQUENCE", "POLICY", "RULE" ->
                        lock(ACCESS_EXCLUSIVE, Work.METADATA);
                    case "STATISTICS" -> lock(SHARE_UPDATE_EXCLUSIVE, Work.METADATA);
                    default -> LockImpact.of(null, NOTHING, Work.METADATA);
                };
            case TRUNCATE -> alsoEach(lock(ACCESS_EXCLUSIVE, Work.METADATA), s, ACCESS_EXCLUSIVE);
            case ALTER ->
                switch (type) {
                    case "TABLE" -> alterTable(s);
                    case "INDEX", "MATERIALIZED VIEW" -> alterRelation(s);
                    // AlterSequence: SHARE ROW EXCLUSIVE (nextval waits, reads go on); RENAME, OWNER, SET SCHEMA take
                    // ACCESS EXCLUSIVE.
                    case "SEQUENCE" ->
                        hasRun(s, "RENAME") || hasRun(s, "SET", "SCHEMA") || hasRun(s, "OWNER")
                                ? lock(ACCESS_EXCLUSIVE, Work.METADATA)
                                : lock(SHARE_ROW_EXCLUSIVE, Work.METADATA);
                    case "VIEW", "TRIGGER", "POLICY", "RULE", "FOREIGN TABLE" -> lock(ACCESS_EXCLUSIVE, Work.METADATA);
                    case "PUBLICATION" ->
                        PgLockedRelation.of(s) == null
                                ? LockImpact.of(null, NOTHING, Work.METADATA)
                                : lock(SHARE_UPDATE_EXCLUSIVE, Work.METADATA);
                    // Other objects (types, domains, functions, schemas, statistics, …) take object locks, never a
                    // table's: reads and writes go on.
                    default -> LockImpact.of(null, NOTHING, Work.METADATA);
                };
            case RENAME -> lock(ACCESS_EXCLUSIVE, Work.METADATA);
            // COMMENT ON a relation or its column: SHARE UPDATE EXCLUSIVE on it; on any other object, no relation lock.
            case COMMENT ->
                PgLockedRelation.of(s) == null
                        ? LockImpact.of(null, NOTHING, Work.METADATA)
                        : lock(SHARE_UPDATE_EXCLUSIVE, Work.METADATA);
            case REINDEX -> reindex(s, concurrently);
            case CLUSTER, VACUUM, OPTIMIZE -> lock(ACCESS_EXCLUSIVE, Work.REWRITE);
            // REFRESH … CONCURRENTLY runs the query and merges the difference into the existing file (a scan of
            // both); without it the view is filled into a new file; WITH NO DATA only empties it.
            case REFRESH ->
                concurrently
                        ? lock(EXCLUSIVE, Work.SCAN)
                        : lock(ACCESS_EXCLUSIVE, hasRun(s, "WITH", "NO", "DATA") ? Work.METADATA : Work.REWRITE);
            // SET GLOBAL, INSTALL PLUGIN, SHUTDOWN, CALL sys.…: MySQL's, read only in its syntax; no table lock
            case GRANT, REVOKE, SECURITY, SET, INSTALL, UNINSTALL, SHUTDOWN, RESET, PURGE, CHANGE, STOP, CALL ->
                LockImpact.of(null, NOTHING, Work.METADATA);
            // ALTER … OWNER TO of each object the role owns: ACCESS EXCLUSIVE on each of its tables, one after another
            case REASSIGN -> lock(ACCESS_EXCLUSIVE, Work.METADATA);
            case LOCK, FLUSH -> explicitLock(s);
            // MySQL's REPAIR TABLE waits for an exclusive metadata lock on each table (measured on MariaDB 10.11, even
            // on InnoDB, which then only notes that it cannot repair); MariaDB's BACKUP locks no table of its own
            case REPAIR -> alsoEach(lock(ACCESS_EXCLUSIVE, Work.METADATA), s, ACCESS_EXCLUSIVE);
            case BACKUP -> LockImpact.of(null, NOTHING, Work.METADATA);
            case DO, EXECUTE, PREPARE, COPY, IMPORT, RUNSCRIPT, BINLOG -> LockImpact.of(null, NOTHING, null);
            // MariaDB's DELETE HISTORY (through GenericLockModel): row locks on the history rows only, as a DELETE
            case DELETE -> LockImpact.of(null, NOTHING, Work.SCAN);
        };
    }

    /**
     * LOCK TABLE: the mode it names (ACCESS EXCLUSIVE when it names none), held to the end of the transaction.
     * MySQL (read through {@link dev.ddlguard.dialect.GenericLockModel}): LOCK TABLES … WRITE keeps others from
     * reading and writing, … READ and FLUSH TABLES … WITH READ LOCK or FOR EXPORT from writing.
     */
    private static LockImpact explicitLock(DdlStatement s) {
        if (!"TABLE".equals(s.objectType()) || !ExplicitLockRules.locks(s)) {
            return LockImpact.of(null, NOTHING, Work.METADATA);
        }
        String mode = s.syntax() != SqlSyntax.MYSQL
                ? ExplicitLockRules.postgresMode(s)
                : ExplicitLockRules.blocksReads(s) ? ACCESS_EXCLUSIVE : SHARE;
        return alsoEach(lock(mode, Work.METADATA), s, mode);
    }

    /**
     * REINDEX reference page: SHARE on the table, ACCESS EXCLUSIVE on each index rebuilt. Every query
     * planned on the table opens all its indexes, so reads wait too, not only those using the index.
     */
    private static LockImpact reindex(DdlStatement s, boolean concurrently) {
        if (concurrently) {
            LockImpact impact = lock(SHARE_UPDATE_EXCLUSIVE, Work.INDEX_BUILD);
            return isIndex(s)
                    ? impact.alsoLocking(new OtherTable(s.names().get(0).toSql(), SHARE_UPDATE_EXCLUSIVE))
                    : impact;
        }
        LockImpact impact = LockImpact.of(SHARE, READS_AND_WRITES, Work.INDEX_BUILD);
        return isIndex(s) ? impact.alsoLocking(new OtherTable(s.names().get(0).toSql(), ACCESS_EXCLUSIVE)) : impact;
    }

    private static boolean isIndex(DdlStatement s) {
        return "INDEX".equals(s.objectType())
                && !s.names().isEmpty()
                && s.names().get(0) != null;
    }

    /**
     * CREATE TABLE reference page: the new table is invisible until commit; a REFERENCES parent is
     * locked SHARE ROW EXCLUSIVE, a PARTITION OF parent ACCESS EXCLUSIVE, an INHERITS parent SHARE UPDATE EXCLUSIVE.
     */
    private static LockImpact createTable(DdlStatement s, boolean withNoData) {
        LockImpact impact = created(s.has(Flag.AS_SELECT) && !withNoData ? Work.SCAN : Work.METADATA);
        Map<String, String> others = new LinkedHashMap<>();
        TokenCursor c = new TokenCursor(s.text());
        while (!c.atEnd()) {
            if (c.acceptWord("REFERENCES")) {
                put(others, c.acceptName(), SHARE_ROW_EXCLUSIVE);
            } else if (c.acceptWords("PARTITION", "OF")) {
                put(others, c.acceptName(), ACCESS_EXCLUSIVE);
            } else if (c.acceptWord("INHERITS") && c.acceptKind(TokenKind.LEFT_PAREN)) {
                do {
                    put(others, c.acceptName(), SHARE_UPDATE_EXCLUSIVE);
                } while (c.acceptKind(TokenKind.COMMA));
            } else {
                c.next();
            }
        }
        return withOthers(impact, others, s.table());
    }

    /** DROP TABLE a, b and TRUNCATE a, b lock every table named. */
    private static LockImpact alsoEach(LockImpact impact, DdlStatement s, String mode) {
        List<OtherTable> others = new ArrayList<>(s.names().size());
        for (int i = 1; i < s.names().size(); i++) {
            others.add(new OtherTable(s.names().get(i).toSql(), mode));
        }
        return impact.alsoLocking(others); // at once: one copy per name made a 10,000-name DROP quadratic
    }

    /**
     * ALTER INDEX and ALTER MATERIALIZED VIEW lock the relation itself. ALTER INDEX reference page: RENAME,
     * SET/RESET (storage parameters) and ALTER COLUMN … SET STATISTICS take SHARE UPDATE EXCLUSIVE; SET
     * TABLESPACE copies the index's file under ACCESS EXCLUSIVE, which stops every query planned on its table.
     */
    private static LockImpact alterRelation(DdlStatement s) {
        boolean index = "INDEX".equals(s.objectType());
        if (hasRun(s, "SET", "TABLESPACE")) {
            return lock(ACCESS_EXCLUSIVE, Work.REWRITE);
        }
        if ((index && (hasRun(s, "RENAME", "TO") || hasRun(s, "SET", "STATISTICS")))
                || hasRun(s, "SET", "(")
                || hasRun(s, "RESET", "(")) {
            return lock(SHARE_UPDATE_EXCLUSIVE, Work.METADATA);
        }
        return lock(ACCESS_EXCLUSIVE, Work.METADATA);
    }

    /** The mode's strength (its place in Table 13.2, weakest first); -1 for none. */
    static int strength(String mode) {
        return PgLockModes.index(mode);
    }

    /** CREATE TABLE … AS / CREATE MATERIALIZED VIEW … WITH NO DATA: the query is planned, never run. */
    private static boolean withNoData(DdlStatement s) {
        // The last code tokens only, read from the end: every CREATE TABLE asks this, and the whole statement's words
        // (as words(s, 0, -1) gives them) were a list of every token upper-cased.
        String[] last = {"DATA", "NO", "WITH"};
        String sql = s.text().source();
        List<Token> tokens = s.text().tokensWithin(0, -1);
        int seen = 0;
        for (int i = tokens.size() - 1; i >= 0; i--) {
            Token t = tokens.get(i);
            if (t.isComment()) {
                continue;
            }
            if (seen == last.length) {
                return true; // a fourth code token before WITH NO DATA
            }
            String word = t.kind() == TokenKind.WORD ? t.text(sql).toUpperCase(Locale.ROOT) : t.text(sql);
            if (!word.equals(last[seen])) {
                return false;
            }
            seen++;
        }
        return false;
    }

    /** Whether the statement's code tokens (words upper-cased, punctuation as written) contain the run. */
    private static boolean hasRun(DdlStatement s, String... run) {
        return containsRun(words(s, 0, -1), List.of(run));
    }
}
