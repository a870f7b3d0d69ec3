package dev.ddlguard.rules;

import dev.ddlguard.policy.Action;
import dev.ddlguard.rules.Rule.Advice;
import dev.ddlguard.sql.AlterAction;
import dev.ddlguard.sql.AlterAction.Kind;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.DdlStatement.Flag;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.TokenCursor;
import dev.ddlguard.sql.Verb;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Drops that take more than a table, or take it in a form that does not say DROP TABLE: schemas,
 * databases, a role's objects, CASCADE, views, MariaDB's CREATE OR REPLACE TABLE and DISCARD
 * TABLESPACE, H2's DROP ALL OBJECTS, and dropped constraints. Irreversible or application-breaking,
 * so no table size softens them. A CASCADE drop lists, from the live catalog, what it takes with it.
 */
public final class DestructiveRules {

    /** How many dependents a message names; the rest are counted. */
    private DestructiveRules() {}

    /** What drop-view speaks for: relations deployed code queries like tables, with no rows of their own to lose. */
    private static final Set<String> QUERIED_LIKE_TABLES = Set.of("VIEW", "MATERIALIZED VIEW", "FOREIGN TABLE");

    private static final String IRREVERSIBLE = "back up what it holds, deploy code that no longer uses it, then run it "
            + "with an inline ddlguard:allow comment giving the reason";

    public static final Rule DROP_SCHEMA = Rule.builder("drop-schema")
            .defaultAction(Action.BLOCK)
            .lock("ACCESS EXCLUSIVE on every object it drops: blocks reads and writes of each")
            .reason("DROP SCHEMA deletes the schema and, with CASCADE, every table, view, function and type in it and "
                    + "every object elsewhere that depends on them, irreversibly")
            .safeAlternative(IRREVERSIBLE + "; drop the objects one by one so each drop is judged and reviewed")
            .on(Verb.DROP)
            .matches((s, c) -> s.verb() == Verb.DROP
                            && "SCHEMA".equals(s.objectType())
                            && s.syntax() != SqlSyntax.MYSQL
                            && !s.names().isEmpty()
                            && !emptyOfThisRun(s, c, "SCHEMA", !s.has(Flag.CASCADE))
                    ? "drops schema " + names(s) + Dependents.cascade(s, c)
                    : null)
            .build();

    public static final Rule DROP_DATABASE = Rule.builder("drop-database")
            .defaultAction(Action.BLOCK)
            .lock("exclusive on the whole database: every session of it must be gone")
            .reason(
                    "DROP DATABASE (MySQL: also DROP SCHEMA; MariaDB: CREATE OR REPLACE DATABASE, which drops it first) "
                            + "deletes the database with every object and row in it, irreversibly")
            .safeAlternative(
                    "take a backup (pg_dump, mysqldump), make sure no application connects to it, and drop it by "
                            + "hand outside the migrations, or with an inline ddlguard:allow drop-database comment giving the reason")
            .on(Verb.DROP, Verb.CREATE) // MariaDB's CREATE OR REPLACE DATABASE drops it too
            .matches((s, c) -> (s.verb() == Verb.DROP || s.verb() == Verb.CREATE && s.has(Flag.OR_REPLACE))
                            && !s.names().isEmpty()
                            && ("DATABASE".equals(s.objectType())
                                    || "SCHEMA".equals(s.objectType()) && s.syntax() == SqlSyntax.MYSQL)
                            && !(s.verb() == Verb.DROP
                                    && s.syntax() == SqlSyntax.MYSQL
                                    && emptyOfThisRun(s, c, "DATABASE", false))
                    ? (s.verb() == Verb.CREATE ? "replaces (drops, then creates) database " : "drops database ")
                            + names(s)
                            + (s.syntax() == SqlSyntax.MYSQL ? Dependents.listing(s, c, "DATABASE") : "")
                    : null)
            .build();

    public static final Rule DROP_OWNED = Rule.builder("drop-owned")
            .defaultAction(Action.BLOCK)
            .lock("ACCESS EXCLUSIVE on every object it drops")
            .reason(
                    "DROP OWNED BY drops every object the role owns in the database (tables and their data included) and "
                            + "revokes its privileges, irreversibly")
            .safeAlternative(
                    "REASSIGN OWNED BY the role TO another role first, then DROP OWNED BY only revokes privileges; "
                            + "or run it with an inline ddlguard:allow drop-owned comment giving the reason")
            .on(Verb.DROP)
            .matches((s, c) -> {
                QualifiedName role = ownedBy(s);
                return role == null
                        ? null
                        : "drops every object owned by " + role + Dependents.listing(role, c, "OWNED");
            })
            .advice((s, c) -> {
                QualifiedName role = ownedBy(s);
                String who = role == null ? "<role>" : role.toSql();
                // once nothing is owned, DROP OWNED only revokes privileges: the allow comment says so
                return new Advice(
                        "REASSIGN OWNED BY " + who + " TO <new owner>;\n/* ddlguard:allow drop-owned " + who
                                + " owns nothing after REASSIGN OWNED, so this only revokes its privileges */ "
                                + s.code() + ";",
                        null);
            })
            .build();

    public static final Rule DROP_CASCADE = Rule.builder("drop-cascade")
            .defaultAction(Action.BLOCK)
            .lock("ACCESS EXCLUSIVE on the object and on every dependent it drops")
            .reason("CASCADE also drops every object that depends on this one (views, columns of a type or domain, "
                    + "foreign keys, functions), which the statement does not name")
            .safeAlternative("drop without CASCADE: the database then names each dependent and refuses; drop or change "
                    + "those first, each judged on its own")
            .on(Verb.DROP, Verb.ALTER)
            .matches((s, c) -> s.verb() == Verb.ALTER
                    ? attributeDropped(s)
                    : s.verb() == Verb.DROP
                                    && s.has(Flag.CASCADE)
                                    && s.syntax() != SqlSyntax.MYSQL
                                    && !"SCHEMA".equals(s.objectType())
                                    && !"OWNED".equals(s.objectType())
                                    // nothing can depend on these: PostgreSQL documents CASCADE as having no effect
                                    && !"PUBLICATION".equals(s.objectType())
                                    && !"SUBSCRIPTION".equals(s.objectType())
                                    && s.objectType() != null
                                    && (!s.names().isEmpty() || RoutineRules.castOrOperator(s) != null)
                                    && !createdHere(s, c)
                                    && !Dependents.noneOf(s, c)
                                    && !Dependents.onlyKeysOfTheRunsTables(s, c)
                            ? "drops " + s.objectType().toLowerCase(Locale.ROOT) + " "
                                    + (s.names().isEmpty() ? RoutineRules.castOrOperator(s) : names(s))
                                    + " with CASCADE"
                                    + Dependents.cascade(s, c)
                            : null)
            .build();

    public static final Rule DROP_VIEW = Rule.builder("drop-view")
            .defaultAction(Action.BLOCK)
            .aboutDeployedCode()
            .lock("ACCESS EXCLUSIVE on the view (or foreign table): blocks reads of it")
            .reason("deployed code that still reads the view (or foreign table) fails the moment it is gone; a "
                    + "materialized view's contents are lost")
            .safeAlternative(
                    "deploy code that no longer reads it, then drop it with an inline ddlguard:allow drop-view "
                            + "comment; to change a view's definition, CREATE OR REPLACE VIEW it instead")
            .on(Verb.DROP)
            .matches((s, c) -> s.verb() == Verb.DROP
                            && s.objectType() != null // Set.of(…).contains(null) throws
                            && QUERIED_LIKE_TABLES.contains(s.objectType())
                            && !s.names().isEmpty()
                            && !createdHere(s, c)
                    ? "drops " + s.objectType().toLowerCase(Locale.ROOT) + " " + names(s)
                    : null)
            .build();

    public static final Rule DROP_ALL_OBJECTS = Rule.builder("drop-all-objects")
            .defaultAction(Action.BLOCK)
            .lock("exclusive on the whole database")
            .reason(
                    "H2's DROP ALL OBJECTS deletes every table, view, sequence and schema of the database, irreversibly")
            .safeAlternative(
                    "drop the objects one by one, or recreate the database; in tests, a fresh in-memory database")
            .on(Verb.DROP)
            .matches((s, c) -> s.verb() == Verb.DROP
                            && "ALL".equals(s.objectType())
                            && StatementWords.has(s, "DROP", "ALL", "OBJECTS")
                    ? "drops every object of the database"
                    : null)
            .build();

    public static final Rule CREATE_OR_REPLACE_TABLE = Rule.builder("create-or-replace-table")
            .defaultAction(Action.BLOCK)
            .lock("the strongest table lock on the replaced table: blocks reads and writes")
            .reason("MariaDB's CREATE OR REPLACE TABLE drops an existing table of that name with all its rows before "
                    + "creating the new one")
            .safeAlternative(
                    "CREATE TABLE IF NOT EXISTS, or create the new table under another name, copy what is needed, "
                            + "and drop the old one with an inline ddlguard:allow drop-table comment")
            .on(Verb.CREATE)
            .matches((s, c) -> {
                if (!s.is(Verb.CREATE, "TABLE")
                        || !s.has(Flag.OR_REPLACE)
                        || s.has(Flag.TEMPORARY)
                        || s.table() == null) {
                    return null;
                }
                Boolean exists = c.catalog().relationExists(s.table());
                return Boolean.FALSE.equals(exists)
                        ? null
                        : "replaces table " + s.table()
                                + (exists == null
                                        ? " (whether it exists could not be read, so it is taken to)"
                                        : ", which exists")
                                + ": its rows are dropped";
            })
            .build();

    public static final Rule DISCARD_TABLESPACE = Rule.builder("discard-tablespace")
            .defaultAction(Action.BLOCK)
            .lock("exclusive metadata lock: blocks reads and writes")
            .reason(
                    "ALTER TABLE … DISCARD TABLESPACE deletes the table's data file: every row is gone and the table is "
                            + "unusable until a tablespace is imported")
            .safeAlternative(
                    "only as part of a transportable-tablespace restore, by hand, with an inline ddlguard:allow "
                            + "discard-tablespace comment giving the reason")
            .on(Verb.ALTER)
            .matches((s, c) -> s.is(Verb.ALTER, "TABLE")
                            && s.table() != null
                            && s.actions().stream()
                                    .anyMatch(a -> a.kind() == Kind.OTHER && startsWithWord(s, a, "DISCARD"))
                    ? "discards the data file of " + s.table()
                    : null)
            .build();

    /**
     * MariaDB's {@code ALTER IGNORE TABLE … ADD UNIQUE}: measured on 10.11, the rows that duplicate an earlier
     * one on the new key are deleted ("Creating unique indexes with IGNORE requires COPY algorithm to remove
     * duplicate rows"). MySQL 5.7 removed IGNORE from ALTER TABLE.
     */
    public static final Rule ALTER_IGNORE_DELETES_DUPLICATES = Rule.builder("alter-ignore-deletes-duplicates")
            .defaultAction(Action.BLOCK)
            .lock("shared metadata lock for a table copy (ALGORITHM=COPY only): blocks writes")
            .reason(
                    "ALTER IGNORE TABLE … ADD UNIQUE or PRIMARY KEY deletes every row that duplicates an earlier one on "
                            + "the new key, silently and irreversibly, and can only do it by copying the table")
            .safeAlternative(
                    "find the duplicates (SELECT key, COUNT(*) … GROUP BY key HAVING COUNT(*) > 1), resolve them "
                            + "deliberately, then add the key without IGNORE (online)")
            .on(Verb.ALTER)
            .matches((s, c) -> s.syntax() == SqlSyntax.MYSQL
                            && s.is(Verb.ALTER, "TABLE")
                            && s.table() != null
                            && StatementWords.has(s, "IGNORE", "TABLE")
                            && s.actions().stream().anyMatch(a -> addsUniqueKey(s, a))
                    ? "adds a unique key to " + s.table() + " with IGNORE, deleting the rows that duplicate it"
                    : null)
            .build();

    /**
     * MariaDB's system-versioned tables keep every old version of a row: DELETE HISTORY [BEFORE SYSTEM_TIME …] deletes
     * them, and ALTER TABLE … DROP SYSTEM VERSIONING deletes all of them with the versioning (measured on 10.11).
     */
    public static final Rule DELETE_HISTORY = Rule.builder("delete-history")
            .defaultAction(Action.BLOCK)
            .aboutDeployedCode()
            .lock("row locks on the history rows it deletes; DROP SYSTEM VERSIONING: a table copy")
            .reason("MariaDB's DELETE HISTORY, and ALTER TABLE … DROP SYSTEM VERSIONING (which deletes every history "
                    + "row), remove a system-versioned table's history irreversibly: queries FOR SYSTEM_TIME of a past "
                    + "moment, audits and restores that read it find nothing")
            .safeAlternative("back up the history first (the rows of FOR SYSTEM_TIME ALL that are no longer current), "
                    + "then run it with an inline ddlguard:allow delete-history comment giving the reason; to bound "
                    + "the history's growth, partition the table BY SYSTEM_TIME")
            .on(Verb.DELETE, Verb.ALTER)
            .matches((s, c) -> s.table() == null
                    ? null
                    : s.is(Verb.DELETE, "HISTORY")
                            ? "deletes history rows of " + s.table()
                                    + (StatementWords.has(s, "BEFORE", "SYSTEM_TIME") ? " (those before a time)" : "")
                            : s.is(Verb.ALTER, "TABLE")
                                            && s.actions().stream()
                                                    .anyMatch(a -> a.kind() == Kind.OTHER
                                                            && startsWithWord(s, a, "DROP")
                                                            && a.text(s.text().source())
                                                                    .toUpperCase(Locale.ROOT)
                                                                    .replaceAll("\\s+", " ")
                                                                    .contains("DROP SYSTEM VERSIONING"))
                                    ? "drops the system versioning of " + s.table() + ", and every history row with it"
                                    : null)
            .advice((s, c) -> s.table() == null
                    ? Advice.NONE
                    : new Advice(
                            CoreRules.readCommitted("CREATE TABLE " + historyCopy(s.table()) + " AS SELECT * FROM "
                                            + s.table().toSql() + " FOR SYSTEM_TIME ALL")
                                    + (s.verb() == Verb.DELETE
                                            ? "\n/* ddlguard:allow delete-history <why this is safe> */ " + s.code()
                                                    + ";"
                                            : "\n-- then the ALTER, a table copy under a lock blocking-lock judges"),
                            null))
            .build();

    /** {@code shop.hist} → {@code shop.hist_history}, where the copy of every version of its rows goes. */
    private static String historyCopy(QualifiedName table) {
        String copy = table.name().withSuffix("_history").toSql();
        return table.schema() == null ? copy : table.schema().toSql() + "." + copy;
    }

    /**
     * Whether every schema (MySQL: database) the DROP names was created by this run with a plain CREATE and either the
     * server refuses the drop when it is not empty (PostgreSQL's DROP SCHEMA without CASCADE) or the catalog lists
     * nothing in it: then no deployed code uses it and nothing of anyone else's goes with it.
     */
    private static boolean emptyOfThisRun(DdlStatement s, RuleContext c, String type, boolean serverRefusesNonEmpty) {
        for (QualifiedName name : s.names()) {
            if (name == null || !c.catalog().schemaCreatedInThisRun(name)) {
                return false;
            }
            if (!serverRefusesNonEmpty) {
                List<String> inside = c.catalog().dependents(type, name);
                if (inside == null || !inside.isEmpty()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The role of DROP OWNED BY role, or null. */
    private static QualifiedName ownedBy(DdlStatement s) {
        TokenCursor by = s.verb() == Verb.DROP ? StatementWords.after(s, "DROP", "OWNED", "BY") : null;
        return by == null ? null : by.acceptName();
    }

    private static boolean addsUniqueKey(DdlStatement s, AlterAction a) {
        return a.kind() == Kind.ADD_CONSTRAINT
                        && ("UNIQUE".equals(a.constraint()) || "PRIMARY KEY".equals(a.constraint()))
                || a.kind() == Kind.ADD_INDEX && s.text().hasWord("UNIQUE", a.start(), a.end())
                // ADD COLUMN, and MODIFY / CHANGE that make a column UNIQUE or the PRIMARY KEY: a new key all the same
                || a.definition() != null
                        && (a.definition().unique() || a.definition().primaryKey())
                // MariaDB's ADD [COLUMN] (c INT, PRIMARY KEY (c)): a key inside the list is no column's (an outside
                // tester's deleted 990 of 1,000 rows); any key word there counts, the safe side
                || a.kind() == Kind.ADD_COLUMN
                        && (s.text().hasWord("UNIQUE", a.start(), a.end())
                                || s.text().hasWord("PRIMARY", a.start(), a.end()));
    }

    /**
     * PostgreSQL: ALTER TYPE t DROP ATTRIBUTE a … CASCADE drops the column from every typed table (CREATE TABLE … OF t),
     * with its data; without CASCADE the server refuses while a typed table uses the type.
     */
    private static String attributeDropped(DdlStatement s) {
        if (!s.is(Verb.ALTER, "TYPE") || s.names().isEmpty() || !StatementWords.has(s, "CASCADE")) {
            return null;
        }
        List<String> attributes = StatementWords.identifiersAfterEach(s, "DROP", "ATTRIBUTE");
        return attributes.isEmpty()
                ? null
                : "drops attribute " + String.join(", ", attributes) + " of type "
                        + s.names().get(0) + " with CASCADE: the column and its data go from every table of that type";
    }

    /** In the order they are reported. */
    public static final List<Rule> ALL = List.of(
            DROP_SCHEMA,
            DROP_DATABASE,
            DROP_OWNED,
            DROP_CASCADE,
            DROP_VIEW,
            DROP_ALL_OBJECTS,
            CREATE_OR_REPLACE_TABLE,
            DISCARD_TABLESPACE,
            ALTER_IGNORE_DELETES_DUPLICATES,
            DELETE_HISTORY,
            ConstraintDropRule.RULE);

    /** Objects this open transaction created are invisible to every other session: dropping them breaks nobody. */
    static boolean createdHere(DdlStatement s, RuleContext c) {
        // DROP VIEW a, b: every name, not the first only (one old view among new ones is dropped all the same)
        List<QualifiedName> objects = s.table() != null && s.names().size() < 2 ? List.of(s.table()) : s.names();
        return !c.autocommit()
                && !objects.isEmpty()
                && objects.stream().allMatch(o -> o != null && c.catalog().createdInThisTransaction(o));
    }

    private static boolean startsWithWord(DdlStatement s, AlterAction a, String word) {
        String text = a.text(s.text().source()).stripLeading();
        return text.regionMatches(true, 0, word, 0, word.length())
                && (text.length() == word.length() || !Character.isLetterOrDigit(text.charAt(word.length())));
    }

    private static String names(DdlStatement s) {
        return s.names().stream().map(Object::toString).collect(Collectors.joining(", "));
    }
}
