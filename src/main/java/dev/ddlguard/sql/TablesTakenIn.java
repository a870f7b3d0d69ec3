package dev.ddlguard.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * MySQL/MariaDB statements after which a table holds, or reaches, the rows of other tables: a MERGE table over old
 * MyISAM tables ({@code UNION=(…)}), a table of another server's ({@code CONNECTION=}, FEDERATED, CONNECT, SPIDER), a
 * partitioned table that took an old table in ({@code CONVERT TABLE x TO PARTITION}, MariaDB 10.7+) or swapped one in
 * ({@code EXCHANGE PARTITION … WITH TABLE x}). Such a table is not new, whoever created it: outside testers' TRUNCATE of
 * a MERGE table the run created emptied the old table under it, and a DROP of the run's partitioned table took the
 * old table it had converted in, both exempt.
 */
public final class TablesTakenIn {

    /** Engines whose rows are another table's or another server's. */
    private static final Set<String> ENGINES = Set.of("MERGE", "MRG_MYISAM", "FEDERATED", "CONNECT", "SPIDER");

    private TablesTakenIn() {}

    /** Whether a CREATE or ALTER TABLE makes its table hold or reach other tables' rows (see above). */
    public static boolean reachesOtherRows(DdlStatement s) {
        if (s.syntax() != SqlSyntax.MYSQL || !"TABLE".equals(s.objectType())) {
            return false;
        }
        if (s.text().hasWord("UNION")
                || s.text().hasWord("CONNECTION")
                || !takenIn(s).isEmpty()) {
            return true;
        }
        String sql = s.text().source();
        List<Token> code = s.text().code();
        for (int i = 0; i + 1 < code.size(); i++) {
            if (code.get(i).isWord(sql, "ENGINE")) {
                int value = code.get(i + 1).text(sql).equals("=") && i + 2 < code.size() ? i + 2 : i + 1;
                Token engine = code.get(value);
                String name = engine.kind() == TokenKind.WORD
                        ? engine.text(sql)
                        : engine.kind() == TokenKind.QUOTED_IDENTIFIER || engine.kind() == TokenKind.STRING
                                ? Identifier.ofQuoted(engine.text(sql)).text()
                                : "";
                if (ENGINES.contains(name.toUpperCase(Locale.ROOT))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The tables an ALTER TABLE takes in: x of CONVERT TABLE x TO PARTITION and of EXCHANGE PARTITION … WITH TABLE x. */
    public static List<QualifiedName> takenIn(DdlStatement s) {
        List<QualifiedName> tables = new ArrayList<>();
        if (s.syntax() != SqlSyntax.MYSQL || !s.is(Verb.ALTER, "TABLE")) {
            return tables;
        }
        for (AlterAction a : s.actions()) {
            TokenCursor c = at(s, a);
            if (c.acceptWords("CONVERT", "TABLE")
                    || (c.acceptWords("EXCHANGE", "PARTITION")
                            && c.skipPastTopLevelWord("WITH")
                            && c.acceptWord("TABLE"))) {
                QualifiedName table = c.atEnd() ? null : c.acceptName();
                if (table != null) {
                    tables.add(table);
                }
            }
        }
        return tables;
    }

    /** "takes table x into t as a partition": CONVERT TABLE x TO PARTITION, after which the name x is gone; or null. */
    public static String convertedIn(DdlStatement s) {
        for (AlterAction a : s.actions()) {
            TokenCursor c = at(s, a);
            if (s.syntax() == SqlSyntax.MYSQL && c.acceptWords("CONVERT", "TABLE")) {
                QualifiedName table = c.atEnd() ? null : c.acceptName();
                return "takes table " + (table == null ? "?" : table) + " into " + s.table()
                        + " as a partition: the table's name is gone";
            }
        }
        return null;
    }

    private static TokenCursor at(DdlStatement s, AlterAction a) {
        return TokenCursor.at(s.text(), a.start());
    }
}
