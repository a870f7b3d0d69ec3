package dev.ddlguard.dialect.mysql;

import dev.ddlguard.policy.Action;
import dev.ddlguard.rules.Rule;
import dev.ddlguard.sql.AlterAction;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.Token;
import dev.ddlguard.sql.TokenKind;
import dev.ddlguard.sql.Verb;
import java.util.ArrayList;
import java.util.List;

/**
 * The storage engine of a MySQL/MariaDB table: moving it off InnoDB changes what the server keeps of its rows and
 * guarantees about them, whatever the table's size, so no small-table setting softens it (the lock rules judge
 * the copy it also takes).
 */
final class EngineRules {

    private EngineRules() {}

    static final Rule CHANGE_ENGINE = Rule.builder("change-engine")
            .defaultAction(Action.BLOCK)
            .aboutDeployedCode()
            .on(Verb.ALTER)
            .lock("an exclusive metadata lock while the table is copied to the new engine (ALGORITHM=COPY): "
                    + "writes wait for the whole copy")
            .reason("moving a table off InnoDB loses what InnoDB keeps and guarantees, for every row: BLACKHOLE "
                    + "stores nothing (every row is gone at once and every later write vanishes), MEMORY loses every "
                    + "row at the next restart, MyISAM, Aria, CSV and ARCHIVE have no transactions (a rolled-back "
                    + "write stays) and enforce no foreign keys, ARCHIVE refuses UPDATE and DELETE")
            .safeAlternative("keep the table on InnoDB (ENGINE=InnoDB only rebuilds it); to change engines on "
                    + "purpose, create a new table with that engine, copy the rows and switch the application to it, "
                    + "with an inline ddlguard:allow change-engine comment giving the reason")
            .matches((s, c) -> {
                List<String> engines = engines(s);
                return engines.isEmpty()
                        ? null
                        : "moves table " + s.table() + " to the " + String.join(", ", engines) + " engine";
            })
            .build();

    /**
     * The engines other than InnoDB an ALTER TABLE names in its table options ({@code ENGINE=MEMORY}, {@code ENGINE
     * MyISAM}, {@code ROW_FORMAT=FIXED ENGINE=Aria}), as written; the options of a partition, inside parentheses, are
     * not the table's.
     */
    private static List<String> engines(DdlStatement s) {
        List<String> found = new ArrayList<>(1);
        if (!s.is(Verb.ALTER, "TABLE") || s.syntax() != SqlSyntax.MYSQL || s.table() == null) {
            return found;
        }
        String sql = s.text().source();
        for (AlterAction a : s.actions()) {
            if (a.kind() != AlterAction.Kind.OPTION && a.kind() != AlterAction.Kind.OTHER) {
                continue; // ADD COLUMN engine …: a column named engine
            }
            List<Token> code = s.text().codeWithin(a.start(), a.end());
            List<Integer> options = MySqlTableOptions.partStarts(s, a);
            int depth = 0;
            for (int i = 0; i < code.size(); i++) {
                Token t = code.get(i);
                depth += t.kind() == TokenKind.LEFT_PAREN ? 1 : t.kind() == TokenKind.RIGHT_PAREN ? -1 : 0;
                // an action that starts with ENGINE, or ENGINE in a run of options (ROW_FORMAT=FIXED ENGINE Aria)
                if (depth == 0
                        && t.isWord(sql, "ENGINE")
                        && (i == 0 || followedByEquals(code, i, sql) || options.contains(t.start()))) {
                    String engine = engineAfter(code, i, sql);
                    // INNOBASE is the server's alias of InnoDB (SHOW CREATE TABLE says ENGINE=InnoDB afterwards)
                    if (engine != null && !engine.equalsIgnoreCase("InnoDB") && !engine.equalsIgnoreCase("INNOBASE")) {
                        found.add(engine);
                    }
                }
            }
        }
        return found;
    }

    /** The engine's name after ENGINE [=], unquoted; null when the statement is cut short there. */
    private static String engineAfter(List<Token> code, int at, String sql) {
        int i = at + 1;
        if (i < code.size() && isEquals(code.get(i), sql)) {
            i++;
        }
        if (i >= code.size() || !isValue(code.get(i))) {
            return null;
        }
        String name = code.get(i).text(sql);
        return code.get(i).kind() == TokenKind.WORD || name.length() < 2 ? name : name.substring(1, name.length() - 1);
    }

    private static boolean followedByEquals(List<Token> code, int at, String sql) {
        return at + 1 < code.size() && isEquals(code.get(at + 1), sql);
    }

    private static boolean isEquals(Token t, String sql) {
        return t.kind() == TokenKind.OPERATOR && "=".equals(t.text(sql));
    }

    private static boolean isValue(Token t) {
        return t.kind() == TokenKind.WORD
                || t.kind() == TokenKind.STRING
                || t.kind() == TokenKind.QUOTED_IDENTIFIER
                || t.kind() == TokenKind.NUMBER;
    }
}
