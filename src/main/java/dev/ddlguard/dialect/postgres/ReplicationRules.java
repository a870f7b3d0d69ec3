package dev.ddlguard.dialect.postgres;

import dev.ddlguard.policy.Action;
import dev.ddlguard.rules.Rule;
import dev.ddlguard.rules.RuleContext;
import dev.ddlguard.rules.StatementWords;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.StringLiterals;
import dev.ddlguard.sql.Token;
import dev.ddlguard.sql.TokenCursor;
import dev.ddlguard.sql.TokenKind;
import dev.ddlguard.sql.Verb;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Logical replication (manual, chapter "Logical Replication"): what a publication sends and a subscription
 * receives. No lock that stops the application, but consumers outside the database (subscribers, change-data-capture tools) stop
 * receiving changes the moment it commits, and nothing in the migration's own session notices.
 */
final class ReplicationRules {

    private ReplicationRules() {}

    static final Rule DROP_REPLICATION = Rule.builder("drop-replication")
            .defaultAction(Action.WARN)
            .lock("metadata only; ALTER PUBLICATION … DROP | SET TABLE takes SHARE UPDATE EXCLUSIVE on those tables "
                    + "(reads and writes go on); DROP SUBSCRIPTION also drops its slot on the publisher")
            .reason("logical replication stops for what the statement removes: subscribers and change-data-capture "
                    + "consumers (Debezium, …) silently stop receiving those changes; DROP SUBSCRIPTION also drops "
                    + "the replication slot on the publisher, and a disabled subscription's slot keeps holding WAL "
                    + "on the publisher until its disk fills")
            .safeAlternative("find who consumes it first (pg_stat_replication, pg_replication_slots, "
                    + "pg_publication_tables) and move them; to pause a subscription, watch its slot's retained WAL "
                    + "and enable it again before the publisher's disk fills")
            .on(Verb.DROP, Verb.ALTER)
            .matches((s, c) -> stopped(s))
            .build();

    /**
     * CheckCmdReplicaIdentity: an UPDATE or DELETE of a table a publication publishes them of fails without a replica
     * identity. The guard reads no publication offline, so this warns; USING INDEX (the server checks the index) and
     * FULL keep one.
     */
    static final Rule REPLICA_IDENTITY = Rule.builder("replica-identity")
            .defaultAction(Action.WARN)
            .aboutDeployedCode()
            .on(Verb.ALTER, Verb.CREATE)
            .lock("ACCESS EXCLUSIVE, briefly: blocks reads and writes while it waits; metadata only")
            .reason("on a table a publication publishes updates or deletes of (FOR ALL TABLES included), REPLICA "
                    + "IDENTITY NOTHING, or DEFAULT on a table without a primary key, leaves it no replica identity: "
                    + "every UPDATE and DELETE of it by every session fails from the commit on (\"cannot update "
                    + "table … because it does not have a replica identity and publishes updates\"); so does "
                    + "publishing the updates or deletes of a table that has none (CREATE | ALTER PUBLICATION)")
            .safeAlternative("check pg_publication_tables (and publications FOR ALL TABLES) for the table first; "
                    + "keep an identity: a primary key, REPLICA IDENTITY USING INDEX a unique index on NOT NULL "
                    + "columns, or FULL; give every table a publication is to publish one before it does "
                    + "(or publish = 'insert' only)")
            .matches(
                    (s, c) -> s.verb() == Verb.CREATE || s.is(Verb.ALTER, "PUBLICATION")
                            ? published(s, c)
                            : PgTableActions.joined(
                                    PgTableActions.actions(
                                            s, "REPLICA IDENTITY NOTHING", rest -> "sets no replica identity"),
                                    PgTableActions.actions(
                                            s,
                                            "REPLICA IDENTITY DEFAULT",
                                            rest ->
                                                    "sets the primary key as replica identity (none if it has no primary key)")))
            .build();

    /**
     * "publishes the updates and deletes of every table (publication p)": from then on, a table among them without a
     * replica identity refuses every UPDATE and DELETE (an outside tester's find: unjudged). Offline the guard cannot
     * tell which tables have one, so this warns; publish = 'insert' (or 'insert, truncate') publishes neither.
     */
    private static String published(DdlStatement s, RuleContext c) {
        boolean create = s.is(Verb.CREATE, "PUBLICATION");
        boolean adds = s.is(Verb.ALTER, "PUBLICATION")
                && (StatementWords.has(s, "ADD")
                        || StatementWords.has(s, "SET", "TABLE")
                        || StatementWords.has(s, "SET", "TABLES"));
        if (!create && !adds || s.names().isEmpty() || create && !StatementWords.has(s, "FOR")) {
            return null; // a publication of no table yet publishes nothing
        }
        String publish = publishOption(s);
        if (publish != null && !publish.contains("update") && !publish.contains("delete")) {
            return null;
        }
        String what = StatementWords.has(s, "ALL", "TABLES")
                ? "every table of the database"
                : StatementWords.has(s, "TABLES", "IN", "SCHEMA") ? "every table of the schemas named" : null;
        if (what == null) {
            List<QualifiedName> tables = publishedTables(s);
            List<QualifiedName> unkeyed =
                    tables.stream().filter(t -> !hasPrimaryKey(t, c)).toList();
            if (!tables.isEmpty() && unkeyed.isEmpty()) {
                return null; // every one has a primary key, its default replica identity
            }
            what = tables.isEmpty()
                    ? "the tables named"
                    : unkeyed.stream().map(QualifiedName::toString).collect(Collectors.joining(", "))
                            + " (no primary key known)";
        }
        return "publishes the updates and deletes of " + what + " (publication "
                + s.names().get(0)
                + "): one without a replica identity (no primary key) refuses them from the commit on";
    }

    /**
     * The tables of FOR | ADD | SET TABLE a, ONLY b (cols) WHERE (…), TABLE c; empty when one cannot be read or a
     * TABLES IN SCHEMA follows (then every table is in doubt).
     */
    private static List<QualifiedName> publishedTables(DdlStatement s) {
        TokenCursor cur = StatementWords.after(s, "TABLE");
        List<QualifiedName> tables = new ArrayList<>();
        while (cur != null && !cur.atEnd()) {
            cur.acceptWord("ONLY");
            QualifiedName table = cur.acceptName();
            if (table == null) {
                return List.of();
            }
            tables.add(table);
            if (cur.peekKind(TokenKind.OPERATOR)) {
                cur.next(); // t * (its descendants, as without ONLY)
            }
            if (cur.peekKind(TokenKind.LEFT_PAREN)) {
                cur.skipParenthesised(); // a column list (15+)
            }
            if (cur.acceptWord("WHERE") && cur.peekKind(TokenKind.LEFT_PAREN)) {
                cur.skipParenthesised();
            }
            if (!cur.acceptKind(TokenKind.COMMA)) {
                break;
            }
            if (cur.peekWord("TABLES")) {
                return List.of();
            }
            cur.acceptWord("TABLE");
        }
        return tables;
    }

    /** Whether the live catalog knows a PRIMARY KEY of the table (offline, or unknown: no). */
    private static boolean hasPrimaryKey(QualifiedName table, RuleContext c) {
        for (String name : c.catalog().constraintNames(table)) {
            if ("PRIMARY KEY".equals(c.catalog().constraintKind(table, new Identifier(name, true)))) {
                return true;
            }
        }
        return false;
    }

    /** The value of WITH (publish = '…'), lower case, or null when the statement does not set it. */
    private static String publishOption(DdlStatement s) {
        TokenCursor c = new TokenCursor(s.text()); // inside WITH ( … ), where StatementWords does not look
        while (!c.atEnd() && !c.acceptWord("PUBLISH")) {
            c.next();
        }
        if (c.atEnd()) {
            return null;
        }
        if (c.peek() != null && c.peek().kind() != TokenKind.STRING) {
            c.next(); // the =
        }
        Token value = c.peek();
        return value == null || value.kind() != TokenKind.STRING
                ? null
                : StringLiterals.decode(value.text(c.sql()), SqlSyntax.POSTGRESQL, '\\')
                        .toLowerCase(Locale.ROOT);
    }

    static final List<Rule> ALL = List.of(DROP_REPLICATION, REPLICA_IDENTITY);

    private static String kind(DdlStatement s) {
        return s.objectType().toLowerCase(Locale.ROOT);
    }

    /** What the statement stops replicating ("drops publication orders_pub"), or null. */
    private static String stopped(DdlStatement s) {
        if (s.names().isEmpty()) {
            return null; // no name: unanalyzable says so
        }
        String names = s.names().stream().map(QualifiedName::toString).collect(Collectors.joining(", "));
        if (s.is(Verb.DROP, "PUBLICATION") || s.is(Verb.DROP, "SUBSCRIPTION")) {
            return "drops " + kind(s) + " " + names;
        }
        if (s.is(Verb.ALTER, "PUBLICATION")) {
            // ADD only adds; DROP removes tables or schemas, SET replaces the list or what is published, and
            // subscribers name the publication
            if (StatementWords.has(s, "DROP")) {
                return "removes tables from publication " + names;
            }
            if (StatementWords.has(s, "RENAME")) {
                return "renames publication " + names + ", which its subscribers name";
            }
            return StatementWords.has(s, "SET") ? "replaces what publication " + names + " publishes" : null;
        }
        if (s.is(Verb.ALTER, "SUBSCRIPTION")) {
            if (StatementWords.has(s, "DISABLE")) {
                return "disables subscription " + names;
            }
            if (StatementWords.has(s, "CONNECTION")) {
                return "points subscription " + names + " at another publisher connection";
            }
            if (StatementWords.has(s, "SKIP")) {
                return "skips a transaction of subscription " + names + " (its changes never arrive)";
            }
            return StatementWords.has(s, "SET", "PUBLICATION") || StatementWords.has(s, "DROP", "PUBLICATION")
                    ? "changes the publications subscription " + names + " receives"
                    : null;
        }
        return null;
    }
}
