package dev.ddlguard.dialect.mysql;

import dev.ddlguard.policy.Action;
import dev.ddlguard.rules.Rule;
import dev.ddlguard.sql.AlterAction;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.Token;
import dev.ddlguard.sql.TokenKind;
import dev.ddlguard.sql.Verb;
import java.util.ArrayList;
import java.util.List;

/**
 * An index hidden from the optimizer: MySQL 8's {@code ALTER INDEX i INVISIBLE} and MariaDB 10.6's {@code ALTER INDEX
 * i IGNORED} keep the index (and its upkeep) but every query plans without it from the commit on, as if it were
 * dropped. Metadata only, no lock to speak of (the online-DDL rules let it through): the harm is the plans. MariaDB
 * 10.11, measured: {@code SELECT … WHERE a = 5} on a 600,000-row table went from a ref lookup of one row on index a
 * to a full scan once a was IGNORED (ALGORITHM=INSTANT, LOCK=NONE, at once), and back with NOT IGNORED.
 */
final class IndexVisibilityRules {

    private IndexVisibilityRules() {}

    static final Rule HIDE_INDEX = Rule.builder("hide-index")
            .defaultAction(Action.WARN)
            .aboutDeployedCode()
            .on(Verb.ALTER)
            .lock("none to speak of (metadata only); the plans of every query on the table change at once")
            .reason("an index made INVISIBLE (MySQL) or IGNORED (MariaDB) is left out of every query plan from the "
                    + "moment the statement commits, as if it were dropped: a query that used it may turn into a full "
                    + "scan of the table, and the load that follows is seen only in production")
            .safeAlternative("first check that no query uses the index (MySQL: sys.schema_unused_indexes or "
                    + "performance_schema.table_io_waits_summary_by_index_usage; MariaDB: INDEX_STATISTICS with "
                    + "userstat = 1) and try the change on a replica; keep the undo ready (ALTER INDEX i VISIBLE | NOT "
                    + "IGNORED, instant), then run it with an inline ddlguard:allow hide-index comment")
            .matches((s, c) -> {
                List<String> hidden = hidden(s);
                return hidden.isEmpty()
                        ? null
                        : "hides index " + String.join(", ", hidden) + " of " + s.table() + " from the optimizer";
            })
            .build();

    /** The indexes an ALTER TABLE makes INVISIBLE or IGNORED, as written (unquoted). */
    private static List<String> hidden(DdlStatement s) {
        List<String> names = new ArrayList<>(1);
        if (!s.is(Verb.ALTER, "TABLE") || s.syntax() != SqlSyntax.MYSQL) {
            return names;
        }
        String sql = s.text().source();
        for (AlterAction a : s.actions()) {
            if (a.kind() != AlterAction.Kind.OTHER) {
                continue;
            }
            // ALTER {INDEX | KEY} name {INVISIBLE | IGNORED}, comments anywhere; not NOT IGNORED, not VISIBLE
            List<Token> code = new ArrayList<>(s.text().codeWithin(a.start(), a.end()));
            if (code.size() >= 4 && code.get(2).isWord(sql, "IF") && code.get(3).isWord(sql, "EXISTS")) {
                code.subList(2, 4).clear(); // MariaDB: ALTER INDEX IF EXISTS i IGNORED
            }
            if (code.size() >= 4
                    && code.get(0).isWord(sql, "ALTER")
                    && (code.get(1).isWord(sql, "INDEX") || code.get(1).isWord(sql, "KEY"))
                    && (code.get(3).isWord(sql, "INVISIBLE") || code.get(3).isWord(sql, "IGNORED"))) {
                Token name = code.get(2);
                names.add(
                        name.kind() == TokenKind.QUOTED_IDENTIFIER
                                ? Identifier.ofQuoted(name.text(sql)).text()
                                : name.text(sql));
            }
        }
        return names;
    }
}
