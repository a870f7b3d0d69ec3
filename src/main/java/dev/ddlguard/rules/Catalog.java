package dev.ddlguard.rules;

import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.QualifiedName;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What the live database can tell a rule: table sizes, a column's current type, session settings,
 * and the sessions a statement would wait for. Every answer may be "unknown" (null or empty): when
 * judging without a database, or on a database the target's queries do not fit.
 */
public interface Catalog {

    /** A catalog that knows nothing: lint, or a target other than the connected database. */
    Catalog OFFLINE = new Catalog() {};

    /**
     * The object type {@link #exists} answers for a domain with a CHECK or NOT NULL (or over another domain), named
     * as a column definition writes its type: such a column is checked against every row, and an insert may fail it.
     */
    String CONSTRAINED_DOMAIN = "DOMAIN WITH CONSTRAINTS";

    /**
     * The object type {@link #exists} answers for a domain whose DEFAULT calls a volatile function ({@code random()},
     * {@code clock_timestamp()}, {@code nextval(…)}), named as a column definition writes its type: a column of it added
     * without a DEFAULT of its own is filled by evaluating that default for every row, in a rewrite.
     */
    String VOLATILE_DEFAULT_DOMAIN = "DOMAIN WITH A VOLATILE DEFAULT";

    default TableSize tableSize(QualifiedName table) {
        return TableSize.UNKNOWN;
    }

    /** The column's type as the database formats it ({@code character varying(20)}), or null. */
    default String columnType(QualifiedName table, Identifier column) {
        return null;
    }

    /**
     * Whether the table has the column, as the server resolves the table's name now; null when unknown. A column that
     * IF NOT EXISTS finds, or that IF EXISTS does not, makes its ADD or DROP a no-op.
     */
    default Boolean columnExists(QualifiedName table, Identifier column) {
        return null;
    }

    /**
     * A value derived from the statement being judged and this catalog's answers, computed once per judgement
     * (MySQL's reading of an ALTER is asked by the lock model and four rules); by default computed each time.
     * Keys must be unique to the statement object being judged.
     */
    default <T> T oncePerJudgement(Object key, Supplier<T> compute) {
        return compute.get();
    }

    /**
     * What fills the column when an insert leaves it out: {@code generated} (an identity, MySQL's AUTO_INCREMENT, a
     * {@code nextval(…)} default: it hands out keys; PostgreSQL adds {@code  by <sequence>}, as the server names it),
     * {@code required} (NOT NULL, nothing generates it) or {@code nullable}, followed by {@code  defaulted} when it
     * has a plain DEFAULT; null when unknown.
     */
    default String columnFill(QualifiedName table, Identifier column) {
        return null;
    }

    /**
     * What {@link #setting} answers for a setting a SET earlier in the same string or batch gave a value the guard does
     * not evaluate (an expression, RESET, set_config with a computed value): the rules take it at its worst.
     */
    String SET_TO_UNKNOWN = "(set to a value the guard does not evaluate)";

    /** A session setting such as {@code TimeZone}, or null ({@link #SET_TO_UNKNOWN} after a SET it could not read). */
    default String setting(String name) {
        return null;
    }

    /**
     * The value an earlier statement of the same string or batch gave a session setting ({@link #SET_TO_UNKNOWN} when
     * the guard did not read it, or a RESET), or null when none did: the session's own value is the guard's to set
     * around a DDL statement, a value set inside the string is not.
     */
    default String settingGivenEarlier(String name) {
        return null;
    }

    /**
     * A table's or view's column names in order, as the server spells them: empty when there is no such relation,
     * null when unknown (offline, a question that failed). Asked of MySQL and MariaDB, whose CREATE OR REPLACE VIEW
     * may drop or rename any column.
     */
    default List<String> columnNames(QualifiedName relation) {
        return null;
    }

    /**
     * What {@link #columnNames} answers of a relation an earlier statement of the same string changed, or whose name
     * may resolve elsewhere after a schema move: unknown although the database is live (unlike null: offline).
     */
    List<String> COLUMNS_WITHHELD = List.of("\u0000withheld");

    /** Whether a function is volatile ('v' in pg_proc), or null when unknown. */
    default Boolean isVolatile(String function) {
        return null;
    }

    /** The tables a table's foreign keys reference (only the named constraint's, when one is given). */
    default List<QualifiedName> foreignKeyParents(QualifiedName table, Identifier constraint) {
        return List.of();
    }

    /** The names of the table's constraints, to pick a free one as the database would. */
    default Set<String> constraintNames(QualifiedName table) {
        return Set.of();
    }

    /** The character sets of the table's string columns (lower case), empty when unknown or none. */
    default Set<String> columnCharsets(QualifiedName table) {
        return Set.of();
    }

    /** What the relation is, in the database's own code (PostgreSQL relkind: r table, p partitioned table, …), or null. */
    default String relationKind(QualifiedName table) {
        return null;
    }

    /**
     * Whether the partitioned table has a DEFAULT partition (PostgreSQL refuses DETACH … CONCURRENTLY then):
     * null when unknown or not partitioned.
     */
    default Boolean hasDefaultPartition(QualifiedName table) {
        return null;
    }

    /** The definitions of the table's validated CHECK constraints, as the database prints them ({@code CHECK ((a IS NOT NULL))}). */
    default List<String> validatedChecks(QualifiedName table) {
        return List.of();
    }

    /** Whether the table was created by the current, still open transaction: no other session can see it yet. */
    default boolean createdInThisTransaction(QualifiedName table) {
        return false;
    }

    /**
     * Whether the name resolves to a temporary table (PostgreSQL: of this session, in pg_temp, which an unqualified
     * name finds before a permanent table of the same name): no other session can see it, lock it or use it.
     */
    default boolean isTemporary(QualifiedName table) {
        return false;
    }

    /**
     * The schema an unqualified name resolves in (PostgreSQL's current_schema, MySQL's and MariaDB's database), as
     * the server spells it; null when unknown. Asked only to match a qualified name with an unqualified one.
     */
    default String currentSchema() {
        return null;
    }

    /**
     * MySQL/MariaDB: whether table and database names compare without case ({@code lower_case_table_names} 1 or 2);
     * false when they compare exactly (0, the Linux default), when unknown, and on PostgreSQL and H2 (see
     * {@link TableNames}).
     */
    default boolean foldsTableNameCase() {
        return false;
    }

    /**
     * Whether this process created the table through the guard shortly before (an earlier statement of
     * the same migration run): no deployed code knows it yet, and nobody else has reason to wait on it.
     */
    default boolean createdInThisRun(QualifiedName table) {
        return false;
    }

    /**
     * Whether this process created the schema (MySQL/MariaDB: the database) through the guard shortly before, with a
     * plain CREATE (no IF NOT EXISTS, no OR REPLACE): no deployed code knows it yet.
     */
    default boolean schemaCreatedInThisRun(QualifiedName schema) {
        return false;
    }

    /**
     * Whether an object of that kind (TABLE, INDEX, VIEW, MATERIALIZED VIEW, SEQUENCE; SCHEMA, DATABASE) and name
     * exists: null when unknown.
     */
    default Boolean exists(String objectType, QualifiedName relation) {
        return null;
    }

    /**
     * The highest version Flyway recorded as applied in its history table, "" when the table holds
     * none yet, null when unknown (no such table, or the question failed).
     */
    default String latestMigrationVersion() {
        return null;
    }

    /** MySQL/MariaDB: the table's storage engine as the server names it (InnoDB, MyISAM, Aria); null when unknown. */
    default String tableEngine(QualifiedName table) {
        return null;
    }

    /** The kinds of index the table has (BTREE, FULLTEXT, SPATIAL, HASH …), upper case. */
    default Set<String> indexTypes(QualifiedName table) {
        return Set.of();
    }

    /** The table an index belongs to, or null. */
    default QualifiedName tableOfIndex(QualifiedName index) {
        return null;
    }

    /**
     * The object type {@link #dependents} answers, for a table, with the relations that hang on it and are not new in
     * the open transaction, each as {@code schema.name}: PostgreSQL's inheritance children and partitions at any depth,
     * and the sequences it owns (TRUNCATE and ALTER recurse to children, DROP takes partitions and owned sequences);
     * and, as {@code references schema.name}, the tables whose foreign keys reference it (TRUNCATE … CASCADE empties
     * them, DROP … CASCADE drops their keys, a key column's new type rebuilds theirs).
     */
    String LINKED_TABLES = "TABLES LINKED TO";

    /**
     * What dropping the object takes with it (CASCADE, DROP DATABASE, DROP OWNED BY), one line per object as the
     * database describes it ({@code view app.v}, {@code constraint f_fk on table app.child}); null when unknown.
     *
     * @param objectType the statement's object type (SCHEMA, DATABASE, TABLE, TYPE, OWNED …)
     */
    default List<String> dependents(String objectType, QualifiedName name) {
        return null;
    }

    /** The table's constraint's kind (FOREIGN KEY, PRIMARY KEY, UNIQUE, CHECK, EXCLUDE), or null when unknown or absent. */
    default String constraintKind(QualifiedName table, Identifier constraint) {
        return null;
    }

    /** Whether the relation exists; null when unknown. */
    default Boolean relationExists(QualifiedName name) {
        return null;
    }

    /** Whether the table's index of that name is a UNIQUE or PRIMARY key; null when unknown. */
    default Boolean isUniqueIndex(QualifiedName table, Identifier index) {
        return null;
    }

    /** The columns of the table's index that may hold NULL (a PRIMARY KEY USING INDEX sets them NOT NULL); null when unknown. */
    default List<String> nullableIndexColumns(QualifiedName table, Identifier index) {
        return null;
    }

    /** Whether the table's constraint was created by the current, still open transaction. */
    default boolean constraintCreatedInThisTransaction(QualifiedName table, Identifier constraint) {
        return false;
    }

    /** Whether REFRESH MATERIALIZED VIEW CONCURRENTLY can run on the view (populated, with a plain unique index); null when unknown. */
    default Boolean refreshableConcurrently(QualifiedName view) {
        return null;
    }

    /** The free disk space the server reports for its data directory, or why it reports none. */
    default FreeSpace freeSpace() {
        return FreeSpace.UNKNOWN;
    }

    /** Other sessions holding granted locks on the table, with their modes. */
    default List<Session> lockHolders(QualifiedName table) {
        return List.of();
    }

    /** Other sessions with an open transaction: a CONCURRENTLY build waits for every one of them. */
    default List<Session> openTransactions() {
        return List.of();
    }

    /**
     * The open transactions a concurrent build would wait for, when all of them are under the current user, idle in
     * transaction or running one of its statements (a deadlock with the caller's own process, most likely, once they
     * are idle: {@link Session#state()} tells); else empty.
     */
    default List<Session> idleOwnTransactions() {
        return List.of();
    }

    /**
     * The questions that could not be answered since the last call, and why ("size of orders: canceling
     * statement due to lock timeout"), or null when every one was; the judge puts them in the audit note.
     */
    default String takeFailures() {
        return null;
    }

    /**
     * Rows and bytes of a table as the catalog estimates them; null where unknown.
     *
     * @param empty whether the table certainly holds no rows (PostgreSQL: its main fork has no page at all);
     *              null when the catalog cannot say for sure (MySQL/MariaDB row counts are estimates)
     */
    record TableSize(Long rows, Long bytes, Boolean empty) {
        public static final TableSize UNKNOWN = new TableSize(null, null, null);

        public TableSize(Long rows, Long bytes) {
            this(rows, bytes, null);
        }
    }

    /**
     * Another database session, as a message shows it.
     *
     * @param mode the lock it holds on the table in question, or null
     */
    record Session(int pid, String state, Long ageSeconds, String application, String query, String mode) {

        public String describe() {
            StringBuilder s = new StringBuilder("pid ").append(pid);
            if (application != null && !application.isBlank()) {
                s.append(" (").append(application).append(')');
            }
            s.append(", ").append(state);
            if (ageSeconds != null) {
                s.append(" for ").append(ageSeconds).append(" s");
            }
            if (mode != null) {
                s.append(", holding ").append(mode);
            }
            if (query != null && !query.isBlank()) {
                String q = query.replaceAll("\\s+", " ").strip();
                s.append(": ").append(q.length() > 120 ? q.substring(0, 117) + "..." : q);
            }
            return s.toString();
        }
    }
}
