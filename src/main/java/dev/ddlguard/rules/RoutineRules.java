package dev.ddlguard.rules;

import dev.ddlguard.policy.Action;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.DdlStatement.Flag;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.TokenCursor;
import dev.ddlguard.sql.Verb;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Code the database keeps: functions and procedures that deployed code calls (dropping one makes every caller fail
 * until it is created again, renaming one breaks every caller for good) and triggers that act on its writes. None
 * holds a long table lock; the danger is to the code and what it maintains.
 */
public final class RoutineRules {

    private RoutineRules() {}

    /** PostgreSQL's routines, MySQL's stored programs, H2's Java-bound functions (ALIAS). */
    private static final Set<String> ROUTINES = Set.of("FUNCTION", "PROCEDURE", "ROUTINE", "AGGREGATE", "ALIAS");

    /**
     * A warning, not a block: {@code DROP FUNCTION IF EXISTS f; CREATE FUNCTION f …} is how a MySQL script (which
     * has no CREATE OR REPLACE for stored programs) and many repeatable migrations replace a routine.
     */
    public static final Rule DROP_ROUTINE = Rule.builder("drop-routine")
            .defaultAction(Action.WARN)
            .aboutDeployedCode()
            .lock("none on tables (a lock on the routine itself); metadata only")
            .reason("deployed code that calls the function or procedure (or relies on the cast or operator) fails "
                    + "from the moment it is dropped until it is created again; dropped for good, the code it held is "
                    + "gone")
            .safeAlternative("to change a routine, CREATE OR REPLACE it (PostgreSQL, MariaDB), which keeps it callable "
                    + "throughout; on MySQL drop and create it in the same script; to retire it, deploy code that no "
                    + "longer calls it first")
            .matches((s, c) -> {
                String dropped = s.verb() != Verb.DROP
                        ? null
                        : isRoutine(s) && !s.names().isEmpty() ? names(s) : castOrOperator(s);
                return dropped == null
                        ? null
                        : "drops " + kind(s) + " " + dropped + (s.has(Flag.CASCADE) ? " with CASCADE" : "")
                                + (s.has(Flag.IF_EXISTS) ? " (IF EXISTS: a no-op only where it does not exist)" : "");
            })
            .build();

    /**
     * A block, unlike drop-routine: nothing replaces an extension by dropping and creating it (ALTER EXTENSION …
     * UPDATE upgrades it in place), and the drop takes every member with it, the extension's own tables and their rows
     * among them. Without CASCADE the server refuses only when a column, default, index or view depends on a member;
     * calls from queries and from PL/pgSQL bodies record no dependency.
     */
    public static final Rule DROP_EXTENSION = Rule.builder("drop-extension")
            .defaultAction(Action.BLOCK)
            .lock("ACCESS EXCLUSIVE on each member it drops (the extension's own tables among them), briefly")
            .reason("DROP EXTENSION drops every function, type, operator and table the extension installed: deployed "
                    + "code and PL/pgSQL bodies that call them (gen_random_bytes, crypt, uuid_generate_v4, ST_Distance) "
                    + "fail from that moment, as the server refuses only when a column, default, index or view depends "
                    + "on a member; the rows of the extension's own tables (PostGIS spatial_ref_sys, pg_cron's jobs, "
                    + "pg_partman's configuration) are gone for good")
            .safeAlternative("to upgrade it, ALTER EXTENSION … UPDATE; to retire it, deploy code that no longer calls "
                    + "it and back up its tables, then drop it with an inline ddlguard:allow drop-extension comment "
                    + "giving the reason")
            .on(Verb.DROP)
            .matches((s, c) -> s.is(Verb.DROP, "EXTENSION") && !s.names().isEmpty()
                    ? "drops extension " + names(s)
                            + (s.has(Flag.IF_EXISTS) ? " (IF EXISTS: a no-op only where it is not installed)" : "")
                    : null)
            .build();

    /**
     * ALTER EXTENSION … ADD: pg_dump leaves an extension's members out (it dumps CREATE EXTENSION instead), and DROP
     * EXTENSION without CASCADE drops them (an outside tester's: a 50,000-row table left every dump, then vanished with
     * the extension). An extension's own script adds its members; it is not sent through the driver.
     */
    public static final Rule ADD_TO_EXTENSION = Rule.builder("add-to-extension")
            .defaultAction(Action.BLOCK)
            .lock("none on tables; metadata only")
            .reason("ALTER EXTENSION … ADD makes the object a member of the extension: pg_dump no longer dumps its "
                    + "definition or its rows (a restore from that backup lacks them), and DROP EXTENSION, even "
                    + "without CASCADE, drops it with the extension")
            .safeAlternative("keep the application's objects out of extensions; a configuration table an extension "
                    + "needs is added by the extension's own script, marked with pg_extension_config_dump so that "
                    + "pg_dump keeps its rows")
            .on(Verb.ALTER)
            .matches((s, c) -> {
                if (!s.is(Verb.ALTER, "EXTENSION") || s.names().isEmpty()) {
                    return null;
                }
                TokenCursor added = StatementWords.after(s, "ADD");
                if (added == null || added.atEnd()) {
                    return null;
                }
                String member = s.text()
                        .source()
                        .substring(added.peek().start(), s.text().source().length());
                return "adds " + member.strip().replaceAll("\\s+", " ").replaceAll(";$", "") + " to extension "
                        + s.names().get(0) + ": pg_dump leaves it out, DROP EXTENSION drops it";
            })
            .build();

    /**
     * A warning: without CASCADE the server refuses while a column, a routine's signature or another type uses the
     * type, so what breaks is code that names it without a recorded dependency (a cast in a query, a PL/pgSQL
     * variable); replacing an enum (create the new one, move the columns, drop the old) drops one on purpose.
     */
    public static final Rule DROP_TYPE = Rule.builder("drop-type")
            .defaultAction(Action.WARN)
            .lock("none on tables (a lock on the type itself); metadata only")
            .reason("deployed code that names the type or domain without the server knowing (a cast such as "
                    + "'open'::order_status in a query, a PL/pgSQL variable or cast) fails from the moment it is "
                    + "dropped; the server itself refuses only while a column, a routine's signature or another "
                    + "type uses it")
            .safeAlternative("deploy code that no longer names it first (search the application and "
                    + "pg_proc.prosrc for it), then drop it")
            .on(Verb.DROP)
            .matches((s, c) -> (s.is(Verb.DROP, "TYPE") || s.is(Verb.DROP, "DOMAIN"))
                            && s.syntax() == SqlSyntax.POSTGRESQL
                            // drop-cascade blocks it, naming the columns it drops; unless nothing depends on it
                            && (!s.has(Flag.CASCADE) || Dependents.noneOf(s, c))
                            && !s.names().isEmpty()
                            && !s.names().stream().allMatch(c.catalog()::createdInThisRun)
                    ? "drops " + kind(s) + " " + names(s)
                    : null)
            .build();

    /**
     * A warning: a trigger is often dropped to be created again (PostgreSQL before 14 and MySQL have no CREATE OR
     * REPLACE TRIGGER), and expand-contract drops its sync trigger on purpose once the copying is done.
     */
    public static final Rule DROP_TRIGGER = Rule.builder("drop-trigger")
            .defaultAction(Action.WARN)
            .aboutDeployedCode()
            .lock("PostgreSQL: ACCESS EXCLUSIVE on the table, briefly; MySQL: an exclusive metadata lock, briefly; "
                    + "metadata only")
            .reason("a dropped trigger stops doing its work on every write of every session: an expand-contract sync "
                    + "trigger stops copying (the new column falls behind the old), an audit trigger stops "
                    + "recording; a dropped PostgreSQL rule stops rewriting the writes it redirected; an event trigger "
                    + "dropped or disabled stops auditing or guarding DDL; a MySQL event dropped or disabled stops "
                    + "its scheduled work (a purge, a rollup) without an error anywhere")
            .safeAlternative("drop it once its work is done (the contract phase, when code writes both columns), with "
                    + "an inline ddlguard:allow drop-trigger comment saying so; to change it, CREATE OR REPLACE "
                    + "TRIGGER (PostgreSQL 14+, MariaDB) keeps it firing throughout")
            .on(Verb.DROP, Verb.ALTER)
            .matches((s, c) -> {
                if ("EVENT TRIGGER".equals(s.objectType()) && !s.names().isEmpty()) {
                    // PostgreSQL's DDL triggers: a DDL audit or guard stops (DROP, or ALTER … DISABLE)
                    if (s.verb() == Verb.DROP) {
                        return "drops event trigger " + names(s);
                    }
                    return s.verb() == Verb.ALTER && StatementWords.has(s, "DISABLE")
                            ? "disables event trigger " + names(s)
                            : null;
                }
                if ("EVENT".equals(s.objectType()) && !s.names().isEmpty()) {
                    // MySQL's scheduled events: a scheduled purge or rollup stops (DROP, or ALTER … DISABLE)
                    return scheduledEventStopped(s);
                }
                if (s.verb() != Verb.DROP
                        || !("TRIGGER".equals(s.objectType()) || "RULE".equals(s.objectType()))
                        || s.names().isEmpty()) {
                    return null;
                }
                TokenCursor on = StatementWords.after(s, "ON"); // PostgreSQL names the table
                return "drops " + kind(s) + " " + names(s) + (on == null ? "" : " on " + on.acceptName());
            })
            .build();

    public static final Rule RENAME_ROUTINE = Rule.builder("rename-routine")
            .defaultAction(Action.BLOCK)
            .aboutDeployedCode()
            .lock("none on tables (a lock on the routine itself); metadata only")
            .reason("renaming a function or procedure breaks every deployed caller that uses the old name, the moment "
                    + "it commits")
            .safeAlternative("create the routine under the new name (a copy, or a wrapper calling the old one), deploy "
                    + "code that calls the new name, then drop the old one")
            .matches((s, c) -> s.verb() == Verb.ALTER
                            && isRoutine(s)
                            && !s.names().isEmpty()
                            && StatementWords.has(s, "RENAME", "TO")
                    ? "renames " + kind(s) + " " + names(s)
                    : null)
            .build();

    /**
     * A block: PostgreSQL lets an IMMUTABLE function an index uses be replaced and rebuilds nothing (CREATE INDEX
     * manual: the function "must be marked IMMUTABLE"; the index trusts that its results never change). Asked of the
     * live catalog only: offline nobody knows which indexes use the function.
     */
    public static final Rule REPLACE_INDEXED_FUNCTION = Rule.builder("replace-indexed-function")
            .defaultAction(Action.BLOCK)
            .lock("none on tables: the index is left as it is, which is the harm")
            .reason("CREATE OR REPLACE FUNCTION of a function an index expression or a partial index's predicate uses "
                    + "changes what the function computes, but the index keeps what the old one computed: queries "
                    + "through the index return rows the function no longer matches and miss rows it now does, "
                    + "silently, until the index is rebuilt (a unique index may hold duplicates by the new function); "
                    + "so do a stored generated column (stale values), a partition key (pruning misses the rows "
                    + "the old function placed) and a CHECK constraint (rows that now violate it, and a dump that no "
                    + "longer restores)")
            .safeAlternative("create the new function under a new name, build an index with it (CREATE INDEX "
                    + "CONCURRENTLY), move the queries to it, then drop the old index and function; where a short "
                    + "window of wrong answers is acceptable, REINDEX INDEX CONCURRENTLY each index right after the "
                    + "replace, with an inline ddlguard:allow replace-indexed-function comment")
            .on(Verb.CREATE)
            .matches((s, c) -> {
                List<String> kept = replacedFunctionsDependents(s, c, RoutineRules::keepsComputedValues);
                return kept.isEmpty()
                        ? null
                        : "replaces function " + s.names().get(0) + ", which " + String.join(", ", kept)
                                + " computed with the old definition";
            })
            .build();

    /**
     * PostgreSQL's CREATE OR REPLACE FUNCTION: the objects that depend on a function of that name (every overload), as
     * the live catalog describes them, those {@code which} keeps; empty for any other statement, and offline.
     */
    public static List<String> replacedFunctionsDependents(DdlStatement s, RuleContext c, Predicate<String> which) {
        if (s.syntax() != SqlSyntax.POSTGRESQL
                || !s.is(Verb.CREATE, "FUNCTION")
                || !s.has(Flag.OR_REPLACE)
                || s.names().isEmpty()) {
            return List.of();
        }
        List<String> dependents =
                c.catalog().dependents("FUNCTIONS NAMED", s.names().get(0));
        return dependents == null
                ? List.of()
                : dependents.stream().filter(which).toList();
    }

    /**
     * What holds values the function computed when they were written, as the catalog describes it: an index, a CHECK
     * constraint (rows it let in may now violate it, and a restore of a dump then fails), a stored generated column,
     * a partition key (rows stay in the partition the old function chose: pruning misses them).
     */
    private static boolean keepsComputedValues(String dependent) {
        return dependent.startsWith("index ")
                || dependent.startsWith("constraint ")
                || dependent.endsWith(" (stored generated)")
                || dependent.endsWith(" (partition key)");
    }

    public static final List<Rule> ALL = List.of(
            DROP_ROUTINE,
            RENAME_ROUTINE,
            DROP_EXTENSION,
            ADD_TO_EXTENSION,
            DROP_TYPE,
            DROP_TRIGGER,
            REPLACE_INDEXED_FUNCTION);

    /** "drops event purge_old" / "disables event purge_old"; null for what leaves it running (RENAME, a new schedule). */
    private static String scheduledEventStopped(DdlStatement s) {
        if (s.verb() == Verb.DROP) {
            return "drops event " + names(s);
        }
        // ALTER EVENT e DISABLE [ON SLAVE | ON REPLICA]: the server that runs it stops running the event too
        return s.verb() == Verb.ALTER && StatementWords.has(s, "DISABLE") ? "disables event " + names(s) : null;
    }

    /**
     * PostgreSQL's DROP CAST (source AS target) / DROP OPERATOR ===(left, right): their signatures as written (a
     * cast or an operator is named by it), or null for any other statement.
     */
    static String castOrOperator(DdlStatement s) {
        if (s.syntax() != SqlSyntax.POSTGRESQL
                || !("CAST".equals(s.objectType()) || "OPERATOR".equals(s.objectType()))) {
            return null;
        }
        TokenCursor c = StatementWords.after(s, "DROP", s.objectType());
        if (c == null) {
            return null;
        }
        c.acceptWords("IF", "EXISTS");
        if (c.atEnd()) {
            return null;
        }
        String rest = s.text()
                .source()
                .substring(c.peek().start(), s.text().codeEnd())
                .strip();
        return rest.replaceAll("(?is)\\s+(CASCADE|RESTRICT)\\s*;?$", "").replaceAll("\\s+", " ");
    }

    private static boolean isRoutine(DdlStatement s) {
        return s.objectType() != null
                && ROUTINES.contains(s.objectType())
                && (!"ALIAS".equals(s.objectType()) || s.syntax() == SqlSyntax.ANSI);
    }

    private static String kind(DdlStatement s) {
        return "ALIAS".equals(s.objectType())
                ? "function alias"
                : s.objectType().toLowerCase(Locale.ROOT);
    }

    private static String names(DdlStatement s) {
        return s.names().stream().map(Object::toString).collect(Collectors.joining(", "));
    }
}
