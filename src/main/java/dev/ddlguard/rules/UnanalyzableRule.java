package dev.ddlguard.rules;

import dev.ddlguard.policy.Action;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.Verb;
import java.util.Locale;
import java.util.Set;

/**
 * Fails closed (issue 13): what the guard cannot read, it blocks in enforce mode and says why; a team that reviews
 * such statements by hand sets {@code ddlguard.rule.unanalyzable=warn}. The judge also gives this rule's verdict
 * when judging itself fails ({@code StatementJudge}).
 */
public final class UnanalyzableRule {

    public static final String ID = "unanalyzable";

    /** Objects named by a signature or a number rather than an identifier. */
    private static final Set<String> SIGNATURE_NAMED = Set.of("CAST", "OPERATOR", "LARGE OBJECT");

    private UnanalyzableRule() {}

    public static final Rule RULE = Rule.builder(ID)
            .defaultAction(Action.BLOCK)
            .lock("unknown")
            .reason("the guard cannot tell what this DDL does (dynamic or encoded SQL, a body it cannot see into, "
                    + "text it could not read), so it cannot judge it and blocks it rather than let it run unjudged")
            .safeAlternative("write the change as plain DDL statements the guard can judge, or review it by hand and "
                    + "mark it with an inline ddlguard:allow unanalyzable comment giving the reason "
                    + "(or set ddlguard.rule.unanalyzable=warn to let such statements run with a warning)")
            .matches((s, c) -> s.opaque() != null ? s.opaque() : unreadable(s))
            .build();

    /** A statement whose target the classifier could not read. */
    private static String unreadable(DdlStatement s) {
        boolean needsObject = s.verb() == Verb.ALTER
                || s.verb() == Verb.DROP
                || s.verb() == Verb.TRUNCATE
                || s.verb() == Verb.RENAME
                || (s.verb() == Verb.CREATE && ("TABLE".equals(s.objectType()) || "INDEX".equals(s.objectType())));
        if (s.objectType() == null
                && s.verb() != Verb.GRANT
                && s.verb() != Verb.REVOKE
                && s.verb() != Verb.IMPORT
                && s.verb() != Verb.SECURITY
                && s.verb() != Verb.CLUSTER) {
            return "could not read what " + s.verb() + " acts on";
        }
        // MySQL names users and roles as strings ('bob'@'%'): no table is locked, so an unread name is no reason to
        // block.
        boolean account = "USER".equals(s.objectType()) || "ROLE".equals(s.objectType());
        // Nor are a cast's (text AS mood), an operator's (===(int, int)) or a large object's (an OID) names
        // identifiers: no table is locked.
        // Only DROP (drop-routine, drop-cascade judge it) and a change of owner; SET SCHEMA, RENAME … stay unread.
        boolean signature = s.objectType() != null // Set.of: no null
                && SIGNATURE_NAMED.contains(s.objectType())
                && (s.verb() == Verb.DROP || (s.verb() == Verb.ALTER && StatementWords.has(s, "OWNER", "TO")));
        if (needsObject && !account && !signature && s.names().isEmpty() && s.table() == null) {
            return "could not read the name of the " + s.objectType().toLowerCase(Locale.ROOT) + " it acts on";
        }
        if ("INDEX".equals(s.objectType()) && s.verb() == Verb.CREATE && s.table() == null) {
            return "could not read the table the index is on";
        }
        return null;
    }
}
