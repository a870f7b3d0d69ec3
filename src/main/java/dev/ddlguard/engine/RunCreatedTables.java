package dev.ddlguard.engine;

import dev.ddlguard.rules.TableNames;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.SqlSyntax;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The tables this process created through the guard, per database: a fresh install's init script
 * creates a table and adds its foreign keys and indexes seconds later, when no deployed code knows
 * the table and no other session has reason to wait on it. Filled after a CREATE TABLE succeeded,
 * cleared by a DROP TABLE, moved by a rename; forgotten after {@link #WINDOW_NANOS}, so an application
 * that migrates at start-up and then runs for days does not carry the exemption into later changes.
 *
 * <p>Keys are the database's identity (its URL without parameters: host, port, database) and the
 * schema-qualified name, each part as the server compares it ({@link TableNames}: PostgreSQL folds unquoted
 * names; MySQL/MariaDB compare exactly unless lower_case_table_names is 1 or 2). A CREATE that a rolled-back transaction took back leaves
 * an entry for a table that does not exist: after a rollback (or a DROP) a guard saw, PostgreSQL asks whether it is
 * there ({@link #mayBeGone}); a table of that name created later in that schema, outside the guard, within the window,
 * passes for the run's.
 */
final class RunCreatedTables {

    /** One hour: longer than any migration run we saw, shorter than an application's life. */
    static final long WINDOW_NANOS = 3_600_000_000_000L;

    private static final Map<String, Long> CREATED_AT = new ConcurrentHashMap<>();
    /**
     * How often the guards of this process saw something that may take a recorded table away unseen ({@link
     * #mayHaveGone}); the count each record was made at.
     */
    private static final AtomicLong LOSSES = new AtomicLong();

    private static final Map<String, Long> LOSSES_AT = new ConcurrentHashMap<>();
    /**
     * Records made inside a transaction still open, to the connection whose it is: no other session sees the table
     * before the commit (an outside tester's second connection dropped the old table of that name as the run's, and
     * did again after the first connection was terminated, its transaction never committed).
     */
    private static final Map<String, Object> UNCOMMITTED = new ConcurrentHashMap<>();
    /**
     * How many entries of {@link #CREATED_AT} have each database-and-name (any schema): {@link #mayContain} is asked
     * for most DDL statements, and a test suite that migrates many fresh schemas in one JVM records thousands of
     * tables within the window, which a scan of every key would pay for on each statement.
     */
    private static final Map<String, Integer> NAMES = new ConcurrentHashMap<>();
    /**
     * Tables of {@link #CREATED_AT} that may have a FULLTEXT index: the guard saw one named in a statement on them
     * (or a CREATE TABLE … LIKE, which copies the source's indexes). For the others, MySQL's lock model need not
     * ask the server (a slow information_schema query) whether a FULLTEXT index rules out an online change.
     */
    private static final Map<String, Boolean> FULLTEXT_POSSIBLE = new ConcurrentHashMap<>();

    private RunCreatedTables() {}

    static void created(String database, SqlSyntax syntax, String schema, QualifiedName table) {
        created(database, syntax, schema, table, null);
    }

    /**
     * PostgreSQL types and domains the run created, kept with its tables: their names are no relation's, so a table
     * statement's name that finds this record is asked of the server ({@link #isType}).
     */
    private static final Set<String> TYPES = ConcurrentHashMap.newKeySet();

    /** A type or domain: {@link #created}, marked as one. */
    static void createdType(String database, SqlSyntax syntax, String schema, QualifiedName type, Object openOn) {
        created(database, syntax, schema, type, openOn);
        TYPES.add(key(database, syntax, schema, type));
    }

    static boolean isType(String database, SqlSyntax syntax, String schema, QualifiedName name) {
        return !TYPES.isEmpty() && TYPES.contains(key(database, syntax, schema, name));
    }

    /** @param openOn the connection whose open transaction created it, or null: committed */
    static void created(String database, SqlSyntax syntax, String schema, QualifiedName table, Object openOn) {
        String key = key(database, syntax, schema, table);
        TYPES.remove(key);
        if (openOn != null) {
            UNCOMMITTED.put(key, openOn);
        } else {
            UNCOMMITTED.remove(key);
        }
        LOSSES_AT.put(key, LOSSES.get());
        if (CREATED_AT.put(key, System.nanoTime()) == null) {
            NAMES.merge(name(database, table), 1, Integer::sum);
        }
    }

    static void dropped(String database, SqlSyntax syntax, String schema, QualifiedName table) {
        FULLTEXT_POSSIBLE.remove(fulltextKey(database, syntax, schema, table));
        String key = key(database, syntax, schema, table);
        LOSSES_AT.remove(key);
        UNCOMMITTED.remove(key);
        TYPES.remove(key);
        if (CREATED_AT.remove(key) != null) {
            NAMES.computeIfPresent(name(database, table), (k, n) -> n == 1 ? null : n - 1);
        }
        forgetOtherSpellings(database, syntax, schema, table);
    }

    /**
     * MySQL/MariaDB: the entries of another spelling of the name (Orders for orders) go too. They are the same table
     * where lower_case_table_names folds names, which is not asked here: forgetting a table of the run is the safe
     * side (it is judged as old).
     */
    private static void forgetOtherSpellings(String database, SqlSyntax syntax, String schema, QualifiedName table) {
        if (syntax != SqlSyntax.MYSQL || !mayContain(database, table)) {
            return;
        }
        String folded = key(database, syntax, schema, table).toLowerCase(Locale.ROOT);
        for (String k : CREATED_AT.keySet()) {
            if (k.toLowerCase(Locale.ROOT).equals(folded) && CREATED_AT.remove(k) != null) {
                NAMES.computeIfPresent(name(database, table), (x, n) -> n == 1 ? null : n - 1);
            }
        }
    }

    /** Where schemas (MySQL/MariaDB: databases) the run created are kept: a schema part no name can have. */
    private static final String SCHEMAS = "\u0000schemas";

    /** A CREATE SCHEMA (MySQL: DATABASE) without IF NOT EXISTS or OR REPLACE succeeded: the schema is the run's. */
    static void createdSchema(String database, SqlSyntax syntax, Identifier schema) {
        created(database, syntax, SCHEMAS, new QualifiedName(List.of(schema)));
    }

    /** The schema's record goes, and so do the records of the tables in it (they went with it). */
    static void droppedSchema(String database, SqlSyntax syntax, Identifier schema) {
        dropped(database, syntax, SCHEMAS, new QualifiedName(List.of(schema)));
        // NAMES keeps counting them: a superset for the cheap look-up, which only costs a question
        String prefix = database + "|" + new TableNames(syntax, false).part(schema) + ".";
        CREATED_AT.keySet().removeIf(k -> k.startsWith(prefix));
    }

    /** Whether this process created the schema (MySQL/MariaDB: database) through the guard within the window. */
    static boolean containsSchema(String database, SqlSyntax syntax, Identifier schema, BooleanSupplier folds) {
        QualifiedName name = new QualifiedName(List.of(schema));
        return mayContain(database, name) && contains(database, syntax, SCHEMAS, name, folds);
    }

    /** A renamed table keeps its age; it moves to the schema-qualified new name. */
    static void renamed(String database, SqlSyntax syntax, String schema, QualifiedName from, Identifier to) {
        Long at = CREATED_AT.remove(key(database, syntax, schema, from));
        forgetOtherSpellings(database, syntax, schema, from);
        if (at != null) {
            NAMES.computeIfPresent(name(database, from), (k, n) -> n == 1 ? null : n - 1);
            QualifiedName target = from.schema() == null
                    ? new QualifiedName(List.of(to))
                    : new QualifiedName(List.of(from.schema(), to));
            if (FULLTEXT_POSSIBLE.remove(fulltextKey(database, syntax, schema, from)) != null) {
                FULLTEXT_POSSIBLE.put(fulltextKey(database, syntax, schema, target), Boolean.TRUE);
            }
            Object openOn = UNCOMMITTED.remove(key(database, syntax, schema, from));
            if (openOn != null) {
                UNCOMMITTED.put(key(database, syntax, schema, target), openOn);
            }
            Long rollbacks = LOSSES_AT.remove(key(database, syntax, schema, from));
            LOSSES_AT.put(key(database, syntax, schema, target), rollbacks != null ? rollbacks : -1L);
            if (CREATED_AT.put(key(database, syntax, schema, target), at) == null) {
                NAMES.merge(name(database, target), 1, Integer::sum);
            }
        }
    }

    /**
     * Whether this process created the table within the window (a cheap look-up: no database question). On
     * MySQL/MariaDB another spelling of the name is the same table only where the server folds names: {@code folds}
     * is asked then, and only then (lower_case_table_names, a question to the server).
     */
    static boolean contains(
            String database, SqlSyntax syntax, String schema, QualifiedName table, BooleanSupplier folds) {
        String key = key(database, syntax, schema, table);
        Long at = CREATED_AT.get(key);
        if (at == null && syntax == SqlSyntax.MYSQL && mayContain(database, table)) {
            String folded = key.toLowerCase(Locale.ROOT);
            for (Map.Entry<String, Long> e : CREATED_AT.entrySet()) {
                if (e.getKey().toLowerCase(Locale.ROOT).equals(folded) && folds.getAsBoolean()) {
                    at = e.getValue();
                    break;
                }
            }
        }
        return at != null && System.nanoTime() - at < WINDOW_NANOS;
    }

    /**
     * Something may have taken a recorded table away while its record stays: a rollback (to a savepoint, a close, a
     * failed commit, a procedure or DO block of the string that may roll back), or a DROP, which takes a partitioned
     * table's partitions and a parent's children with it. PostgreSQL's records made before are asked of the server
     * again ({@link #mayBeGone}).
     */
    static void mayHaveGone() {
        LOSSES.incrementAndGet();
    }

    /** The connection's transaction committed: what it created is there for every session. */
    static void committed(Object connection) {
        UNCOMMITTED.values().removeIf(c -> c == connection);
    }

    /** Whether another connection created the table in a transaction not known to be committed. */
    static boolean uncommittedElsewhere(
            String database, SqlSyntax syntax, String schema, QualifiedName table, Object connection) {
        Object openOn = UNCOMMITTED.get(key(database, syntax, schema, table));
        return openOn != null && openOn != connection;
    }

    /** Whether something that may take tables away was seen since the table was recorded (or it has no count). */
    static boolean mayBeGone(String database, SqlSyntax syntax, String schema, QualifiedName table) {
        Long at = LOSSES_AT.get(key(database, syntax, schema, table));
        return at == null || LOSSES.get() > at;
    }

    /** The guard saw a statement on the table that names a FULLTEXT index or copies indexes (LIKE). */
    static void mayHaveFulltext(String database, SqlSyntax syntax, String schema, QualifiedName table) {
        if (mayContain(database, table)) { // only this run's tables are ever asked: no entry for any other
            FULLTEXT_POSSIBLE.put(fulltextKey(database, syntax, schema, table), Boolean.TRUE);
        }
    }

    /** MySQL/MariaDB: without case, so that a mark under one spelling counts for every other (the safe side). */
    private static String fulltextKey(String database, SqlSyntax syntax, String schema, QualifiedName table) {
        String key = key(database, syntax, schema, table);
        return syntax == SqlSyntax.MYSQL ? key.toLowerCase(Locale.ROOT) : key;
    }

    /**
     * Whether a table this run created may have a FULLTEXT index. Only what ran through a guard of this process
     * is known: an index another process added within the window is not seen (it would make the record's lock of
     * a later change on this new table too mild; no verdict depends on it, since such a table is exempt from the
     * size-bound rules).
     */
    static boolean fulltextPossible(String database, SqlSyntax syntax, String schema, QualifiedName table) {
        return FULLTEXT_POSSIBLE.containsKey(fulltextKey(database, syntax, schema, table));
    }

    /** Whether any schema of the database holds a table of that name: decides if the current schema is worth asking. */
    static boolean mayContain(String database, QualifiedName table) {
        return NAMES.containsKey(name(database, table));
    }

    /** The name without schema and case: a superset of the keys, for the cheap look-up only. */
    private static String name(String database, QualifiedName table) {
        return database + "|" + table.name().text().toLowerCase(Locale.ROOT);
    }

    /** The schema-qualified name as the server compares names ({@link TableNames}); unqualified: in {@code schema}. */
    private static String key(String database, SqlSyntax syntax, String schema, QualifiedName table) {
        TableNames names = new TableNames(syntax, false); // MySQL/MariaDB: as spelled (see contains)
        Identifier s = table.schema();
        String schemaPart = s != null ? names.part(s) : schema == null ? "" : names.schema(schema);
        return database + "|" + schemaPart + "." + names.part(table.name());
    }
}
