package dev.ddlguard.dialect.mysql;

import dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Flavour;
import dev.ddlguard.policy.Action;
import dev.ddlguard.rules.Rule;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.Verb;
import java.util.List;

/**
 * A column's collation changed (MODIFY | CHANGE … COLLATE, CONVERT TO CHARACTER SET … COLLATE): the online-DDL rules
 * judge its lock (often INPLACE, even INSTANT), but not what it does to the data's meaning. Every comparison, sort and
 * unique key of the column follows the new collation from the commit on: MariaDB 10.11, measured (an outside
 * tester's find): after utf8mb4_general_ci → utf8mb4_bin, a unique email index took 'E1' beside 'e1', and {@code WHERE
 * name = 'N1'} found no row 'n1' any more. The reading of the ALTER is the online-DDL rules' own (the catalog tells the
 * column's current collation; without it, a COLLATE written is taken for a change).
 */
final class CollationRules {

    private CollationRules() {}

    static Rule changeCollation(Flavour flavour, int defaultVersion) {
        return Rule.builder("change-collation")
                .defaultAction(Action.WARN)
                .aboutDeployedCode()
                .on(Verb.ALTER)
                .lock("as the online-DDL rules judge the ALTER; the harm is what the column's values compare equal to")
                .reason("a new collation changes every comparison, sort and unique key of the column at once: a "
                        + "case- or accent-insensitive one made sensitive lets a unique key take 'E1' beside 'e1' and "
                        + "makes WHERE name = 'N1' miss 'n1'; the other way round, existing rows may now collide")
                .safeAlternative("check the column's values and the queries that compare or sort it under the new "
                        + "collation first (SELECT … GROUP BY col COLLATE new HAVING COUNT(*) > 1 for a unique key), "
                        + "then run it with an inline ddlguard:allow change-collation comment")
                .matches((s, c) -> {
                    if (s.syntax() != SqlSyntax.MYSQL || !s.is(Verb.ALTER, "TABLE")) {
                        return null;
                    }
                    List<OnlineDdlOperation> ops =
                            MySqlRules.read(s, c, flavour, defaultVersion).operations();
                    if (ops.contains(OnlineDdlOperation.CHANGE_INDEXED_COLUMN_COLLATION)
                            || ops.contains(OnlineDdlOperation.CHANGE_COLUMN_COLLATION)) {
                        return "changes the collation of a column of " + s.table()
                                + (ops.contains(OnlineDdlOperation.CHANGE_INDEXED_COLUMN_COLLATION)
                                        ? " that an index covers"
                                        : "");
                    }
                    return ops.contains(OnlineDdlOperation.CONVERT_CHARACTER_SET)
                                    && s.text().hasWord("COLLATE")
                            ? "converts " + s.table() + " to another collation (CONVERT TO CHARACTER SET … COLLATE)"
                            : null;
                })
                .build();
    }
}
