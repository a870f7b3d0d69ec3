package dev.ddlguard.dialect.postgres;

import dev.ddlguard.policy.Action;
import dev.ddlguard.rules.Rule;
import dev.ddlguard.rules.RuleContext;
import dev.ddlguard.rules.StatementWords;
import dev.ddlguard.sql.AlterAction;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.TokenCursor;
import dev.ddlguard.sql.Verb;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

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
            .lock("SHARE ROW EXCLUSIVE, briefly: blocks writes while it waits; metadata only")
            .reason("a disabled trigger stops firing for every session, not only the migration's: rows written "
                    + "meanwhile skip what it does (an audit row, a sync to a new column), and DISABLE TRIGGER ALL also "
                    + "turns off the foreign-key checks, so orphan rows can be written")
            .safeAlternative("for a bulk load, SET session_replication_role = replica in the loading session only, "
                    + "or disable the one trigger by name and enable it again in the same transaction")
            .matches((s, c) -> actions(s, "DISABLE TRIGGER", rest -> "disables trigger " + rest))
            .build();

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
                String enabled = actions(s, "ENABLE ROW LEVEL SECURITY", rest -> "enables row level security");
                return enabled != null
                        ? enabled
                        : actions(s, "FORCE ROW LEVEL SECURITY", rest -> "forces row level security");
            })
            .build();

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

    static final List<Rule> ALL = List.of(DISABLE_TRIGGER, ENABLE_ROW_SECURITY, CHANGE_ROW_POLICY);

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

    /** What each action that starts with {@code words} does ("disables trigger ALL on orders"); null when none does. */
    private static String actions(DdlStatement s, String words, UnaryOperator<String> describe) {
        if (!s.is(Verb.ALTER, "TABLE") || s.table() == null) {
            return null;
        }
        List<String> found = new ArrayList<>();
        for (AlterAction a : s.actions()) {
            String text = a.text(s.text().source()).strip().replaceAll("\\s+", " ");
            if (a.kind() == AlterAction.Kind.OTHER
                    && text.toUpperCase(Locale.ROOT).startsWith(words)) {
                // the rest as written: a quoted trigger name keeps its case
                found.add(describe.apply(text.substring(words.length()).strip()) + " on " + s.table());
            }
        }
        return found.isEmpty() ? null : String.join("; ", found);
    }
}
