package dev.ddlguard.dialect.postgres;

import dev.ddlguard.policy.Action;
import dev.ddlguard.rules.Rule;
import dev.ddlguard.rules.RuleContext;
import dev.ddlguard.rules.StatementWords;
import dev.ddlguard.sql.AlterAction;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.Token;
import dev.ddlguard.sql.TokenCursor;
import dev.ddlguard.sql.Verb;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the database enforces on a table's rows, switched for every session at once (ALTER TABLE actions, row
 * security policies): no long lock, but deployed code sees the table behave differently the moment they commit.
 * Warnings: each has deliberate uses (a bulk load, a security rollout), and the record should show them.
 */
final class EnforcementRules {

    private EnforcementRules() {}

    static final Rule DISABLE_TRIGGER = Rule.builder("disable-trigger")
            .defaultAction(Action.WARN)
            .aboutDeployedCode()
            .on(Verb.ALTER)
            .lock("SHARE ROW EXCLUSIVE (a rule: ACCESS EXCLUSIVE), briefly: blocks writes while it waits; metadata "
                    + "only")
            .reason("a disabled trigger stops firing for every session, not only the migration's: rows written "
                    + "meanwhile skip what it does (an audit row, a sync to a new column), and DISABLE TRIGGER ALL also "
                    + "turns off the foreign-key checks, so orphan rows can be written; ENABLE REPLICA TRIGGER has the "
                    + "same effect on every ordinary session (it then fires only under session_replication_role = "
                    + "replica), and a disabled or replica-only rule stops rewriting the writes it redirected; ALTER "
                    + "DATABASE | ROLE … SET session_replication_role = replica turns every trigger and foreign-key "
                    + "check off in every new session of the database or role")
            .safeAlternative(
                    "for a bulk load, SET session_replication_role = replica in the loading session only (never "
                            + "as a database's or role's default), "
                            + "or disable the one trigger by name and enable it again in the same transaction")
            .matches((s, c) -> PgTableActions.joined(
                    PgTableActions.actions(s, "DISABLE TRIGGER", rest -> "disables trigger " + rest),
                    PgTableActions.actions(s, "DISABLE RULE", rest -> "disables rule " + rest),
                    PgTableActions.actions(
                            s, "ENABLE REPLICA TRIGGER", rest -> "fires trigger " + rest + " only on replicas"),
                    PgTableActions.actions(
                            s, "ENABLE REPLICA RULE", rest -> "applies rule " + rest + " only on replicas"),
                    replicaRole(s, c)))
            .build();

    /**
     * ALTER DATABASE | ROLE | USER … SET session_replication_role = replica: every new session of the database or role
     * runs as a replica's, so no ordinary trigger fires and no foreign key is checked (PostgreSQL 15, measured: a
     * role's new session inserted a row whose parent does not exist). Null for anything else.
     */
    private static String replicaRole(DdlStatement s, RuleContext c) {
        boolean database = s.is(Verb.ALTER, "DATABASE");
        if (!database && !s.is(Verb.ALTER, "ROLE") && !s.is(Verb.ALTER, "USER")) {
            return null;
        }
        String v = StatementWords.settingValue(s, "session_replication_role", c.catalog());
        boolean unknown = StatementWords.UNKNOWN_CURRENT.equals(v);
        return "replica".equals(v) || unknown
                ? "makes every new session of " + (database ? "database " : "role ")
                        + s.names().get(0)
                        + " a replica's (session_replication_role = "
                        + (unknown ? "FROM CURRENT: " + v : "replica")
                        + "): no trigger fires and no foreign key is checked in them"
                : null;
    }

    static final Rule ENABLE_ROW_SECURITY = Rule.builder("enable-row-security")
            .defaultAction(Action.WARN)
            .aboutDeployedCode()
            .on(Verb.ALTER)
            .lock("ACCESS EXCLUSIVE, briefly: blocks reads and writes while it waits; metadata only")
            .reason("with row level security on, a role that is not the table's owner (FORCE: the owner too) sees and "
                    + "writes only the rows a policy allows: with no policy for the application's role, its queries "
                    + "return nothing and its writes fail, the moment it commits")
            .safeAlternative("create the policies for every role that uses the table first (CREATE POLICY … USING …), "
                    + "check them with SET ROLE in a transaction, then enable row level security")
            .matches((s, c) -> {
                String enabled =
                        PgTableActions.actions(s, "ENABLE ROW LEVEL SECURITY", rest -> "enables row level security");
                return enabled != null
                        ? enabled
                        : PgTableActions.actions(s, "FORCE ROW LEVEL SECURITY", rest -> "forces row level security");
            })
            .build();

    /**
     * The opposite of enable-row-security, and a harm of another kind: nothing fails, every tenant sees every row. A
     * warning: a table that should not have had row security (or a maintenance window) turns it off on purpose.
     */
    static final Rule DISABLE_ROW_SECURITY = Rule.builder("disable-row-security")
            .defaultAction(Action.WARN)
            .aboutDeployedCode()
            .on(Verb.ALTER)
            .lock("ACCESS EXCLUSIVE, briefly: blocks reads and writes while it waits; metadata only")
            .reason("with row level security off (NO FORCE: for the table's owner; ALTER ROLE … BYPASSRLS: for that "
                    + "role, on every table), the policies no longer apply: every role that may read or write "
                    + "the table sees and changes every row of it, another tenant's included, the moment it "
                    + "commits, and nothing fails to say so")
            .safeAlternative("to change what a role sees, change its policies (CREATE POLICY before DROP POLICY); to "
                    + "let one role see everything, a policy USING (true) for that role on the tables it needs; if "
                    + "the table should not have row security, say so with an inline ddlguard:allow "
                    + "disable-row-security comment")
            .matches((s, c) -> PgTableActions.joined(
                    bypassingRole(s),
                    PgTableActions.actions(
                            s,
                            "DISABLE ROW LEVEL SECURITY",
                            rest -> "turns off row level security (every role sees every row)"),
                    PgTableActions.actions(
                            s,
                            "NO FORCE ROW LEVEL SECURITY",
                            rest -> "stops forcing row level security (the owner sees every row)")))
            .build();

    /** ALTER ROLE | USER … BYPASSRLS: the role skips every policy of every table ("lets role app bypass …"), or null. */
    private static String bypassingRole(DdlStatement s) {
        boolean role = s.is(Verb.ALTER, "ROLE") || s.is(Verb.ALTER, "USER");
        return role && !s.names().isEmpty() && StatementWords.afterOption(s, "BYPASSRLS") != null
                ? "lets role " + s.names().get(0) + " bypass row level security (it sees every row of every table)"
                : null;
    }

    /** DROP / CREATE / ALTER POLICY take ACCESS EXCLUSIVE on the table (RemovePolicyById, CreatePolicy, AlterPolicy). */
    static final Rule CHANGE_ROW_POLICY = Rule.builder("change-row-policy")
            .defaultAction(Action.WARN)
            .aboutDeployedCode()
            .on(Verb.DROP, Verb.ALTER, Verb.CREATE)
            .lock("ACCESS EXCLUSIVE, briefly: blocks reads and writes while it waits; metadata only")
            .reason("on a table with row level security, its policies decide which rows each role sees and may write: "
                    + "dropping a policy, changing its USING, WITH CHECK or roles, or adding a RESTRICTIVE one narrows "
                    + "that for every session of those roles at commit: the application's queries return fewer rows "
                    + "(or none) and its writes fail")
            .safeAlternative("create the new policy before dropping the old one (permissive policies add up), check "
                    + "what each role sees with SET ROLE in a transaction, then drop the old one")
            .matches(EnforcementRules::policyChange)
            .build();

    /** CREATE RULE takes ACCESS EXCLUSIVE on the table (DefineQueryRewrite). ALSO rules only add, as a trigger does. */
    static final Rule INSTEAD_RULE = Rule.builder("instead-rule")
            .defaultAction(Action.WARN)
            .aboutDeployedCode()
            .on(Verb.CREATE)
            .lock("ACCESS EXCLUSIVE, briefly: blocks reads and writes while it waits; metadata only")
            .reason("a DO INSTEAD rule replaces every INSERT, UPDATE or DELETE of the table by every session with its "
                    + "own command; DO INSTEAD NOTHING discards them: the application's writes report success (0 "
                    + "rows) and its data silently never arrives; a DO ALSO rule (the default) whose command updates or "
                    + "deletes runs it with each of them, unseen by the writer (a DELETE there empties another table)")
            .safeAlternative("to redirect writes, use a trigger that raises an error where a write must not happen, "
                    + "or partitioning; to make a table read-only, REVOKE INSERT, UPDATE, DELETE from the application's "
                    + "role, which fails loudly; if the rule is meant, say so with an inline ddlguard:allow "
                    + "instead-rule comment")
            .matches(EnforcementRules::insteadRule)
            .build();

    /** ALTER TABLE … [NO] INHERIT takes ACCESS EXCLUSIVE on the child (AlterTableGetLockLevel). */
    static final Rule CHANGE_INHERITANCE = Rule.builder("change-inheritance")
            .defaultAction(Action.WARN)
            .aboutDeployedCode()
            .on(Verb.ALTER)
            .lock("ACCESS EXCLUSIVE on the child, SHARE UPDATE EXCLUSIVE on the parent (INHERIT), briefly; metadata "
                    + "only")
            .reason("queries of an inheritance parent read its children too: NO INHERIT makes every row of the child "
                    + "vanish from queries of the parent (and from its totals), INHERIT adds all of the child's rows "
                    + "to them (duplicates the parent's unique keys do not see), for every session at commit; "
                    + "DETACH PARTITION does the same to a partition's rows, and writes of its range then fail")
            .safeAlternative("check which queries read the parent without ONLY and that the application expects the "
                    + "change (retiring an old inheritance partition); archive the child's rows first if they are "
                    + "still read through the parent")
            .matches((s, c) -> PgTableActions.joined(
                    PgTableActions.actions(
                            s,
                            "NO INHERIT",
                            rest -> "NO INHERIT " + rest + " (its rows vanish from queries of " + rest + ")"),
                    PgTableActions.actions(
                            s, "INHERIT", rest -> "INHERIT " + rest + " (its rows join queries of " + rest + ")"),
                    detached(s)))
            .build();

    /** DETACH PARTITION (also CONCURRENTLY, which require-concurrent-detach asks for): not FINALIZE, which ends one. */
    private static String detached(DdlStatement s) {
        List<String> found = new ArrayList<>(1);
        for (AlterAction a : s.actions()) {
            if (a.kind() == AlterAction.Kind.DETACH_PARTITION
                    && !s.text().hasWord("FINALIZE", a.start(), a.end())
                    && s.table() != null) {
                String partition = a.column() != null ? a.column().toString() : "a partition";
                found.add("DETACH PARTITION " + partition + " (its rows vanish from queries of " + s.table()
                        + ", and writes of its range fail until another partition takes it)");
            }
        }
        return found.isEmpty() ? null : String.join("; ", found);
    }

    /** ALTER COLUMN … DROP EXPRESSION (13+): the stored values stay, the generation expression goes. */
    static final Rule DROP_EXPRESSION = Rule.builder("drop-expression")
            .defaultAction(Action.WARN)
            .aboutDeployedCode()
            .on(Verb.ALTER)
            .lock("ACCESS EXCLUSIVE, briefly: blocks reads and writes while it waits; metadata only")
            .reason("DROP EXPRESSION turns a generated column into a plain one for every session at commit: it keeps "
                    + "the values it has, but no write computes it any more, so rows inserted afterwards get NULL (or "
                    + "its default) and updates of the columns it was computed from leave it stale, silently")
            .safeAlternative("to change the expression, SET EXPRESSION (PostgreSQL 17+, rewrites the table) or add a "
                    + "new generated column; if the application writes the column itself from now on, deploy that "
                    + "first and say so with an inline ddlguard:allow drop-expression comment")
            .matches((s, c) -> {
                List<String> columns = PgTableActions.columnsWith(s, "DROP", "EXPRESSION");
                return columns.isEmpty()
                        ? null
                        : "stops computing generated column " + String.join(", ", columns) + " of " + s.table();
            })
            .build();

    static final List<Rule> ALL = List.of(
            DISABLE_TRIGGER,
            ENABLE_ROW_SECURITY,
            DISABLE_ROW_SECURITY,
            CHANGE_ROW_POLICY,
            INSTEAD_RULE,
            CHANGE_INHERITANCE,
            DROP_EXPRESSION);

    /** "discards every insert into orders (DO INSTEAD NOTHING)"; null for ALSO rules and _RETURN (create-return-rule). */
    private static String insteadRule(DdlStatement s, RuleContext c) {
        if (!s.is(Verb.CREATE, "RULE")
                || s.names().isEmpty()
                || s.names().get(0).name().text().equalsIgnoreCase("_RETURN")
                || !StatementWords.has(s, "DO")
                || StatementWords.has(s, "DO", "ALSO", "NOTHING")
                || (StatementWords.has(s, "DO", "NOTHING"))) { // DO [ALSO] NOTHING adds nothing
            return null;
        }
        TokenCursor event = StatementWords.after(s, "AS", "ON");
        Token what = event == null ? null : event.next();
        TokenCursor to = event == null ? null : StatementWords.after(s, "TO");
        QualifiedName table = to == null ? null : to.acceptName();
        if (what == null || table == null) {
            return null; // cut short: unanalyzable speaks for it
        }
        if (c.catalog().createdInThisRun(table) || c.catalog().createdInThisTransaction(table)) {
            return null; // a table of this run: no deployed code writes it yet
        }
        String writes = what.text(s.text().source()).toLowerCase(Locale.ROOT);
        if (!StatementWords.has(s, "DO", "INSTEAD")) {
            // DO ALSO, the default: the command runs with each write; one that changes rows (not an INSERT into a log
            // table, a NOTIFY) changes them unseen by the writer
            TokenCursor command = StatementWords.after(s, "DO");
            boolean changesRows = command != null
                    && (command.remainingContainsWord("DELETE") || command.remainingContainsWord("UPDATE"));
            return changesRows
                    ? "runs the command of rule " + s.names().get(0) + " with every " + writes + " on " + table
                            + " (DO ALSO), in the writer's transaction"
                    : null;
        }
        return StatementWords.has(s, "DO", "INSTEAD", "NOTHING")
                ? "discards every " + writes + " on " + table + " (DO INSTEAD NOTHING)"
                : "replaces every " + writes + " on " + table + " with the command of rule "
                        + s.names().get(0);
    }

    /** "drops policy tenant_rows on orders"; null for what widens or only renames (a permissive CREATE, RENAME). */
    private static String policyChange(DdlStatement s, RuleContext c) {
        if (!"POLICY".equals(s.objectType()) || s.names().isEmpty()) {
            return null;
        }
        TokenCursor on = StatementWords.after(s, "ON");
        QualifiedName table = on == null ? null : on.acceptName();
        if (table != null && (c.catalog().createdInThisRun(table) || c.catalog().createdInThisTransaction(table))) {
            return null; // a table of this run: no deployed code reads it yet
        }
        String where = " " + s.names().get(0) + (table == null ? "" : " on " + table);
        return switch (s.verb()) {
            case DROP -> "drops policy" + where;
            case ALTER -> StatementWords.has(s, "RENAME") ? null : "changes policy" + where;
            case CREATE -> StatementWords.has(s, "AS", "RESTRICTIVE") ? "adds restrictive policy" + where : null;
            default -> null;
        };
    }
}
