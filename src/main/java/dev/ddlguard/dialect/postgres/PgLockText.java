package dev.ddlguard.dialect.postgres;

import static dev.ddlguard.dialect.postgres.PostgresLockModel.strength;

import dev.ddlguard.rules.LockImpact;
import dev.ddlguard.rules.LockImpact.OtherTable;
import dev.ddlguard.sql.AlterAction;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.Token;
import dev.ddlguard.sql.TokenCursor;
import dev.ddlguard.sql.TokenKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reading a statement's text for the PostgreSQL lock model: its code words (upper-cased), whether a run of
 * them occurs, the name after a key word inside an ALTER TABLE action, and the further tables a statement
 * locks (the strongest mode per table, without the statement's own table).
 */
final class PgLockText {

    private PgLockText() {}

    /** The action's code tokens, words upper-cased, punctuation as written. */
    static List<String> words(DdlStatement s, AlterAction a) {
        return words(s, a.start(), a.end());
    }

    static List<String> words(DdlStatement s, int start, int end) {
        List<String> words = new ArrayList<>();
        String sql = s.text().source();
        for (Token t : s.text().tokensWithin(start, end)) {
            if (!t.isComment()) {
                words.add(t.kind() == TokenKind.WORD ? t.text(sql).toUpperCase(Locale.ROOT) : t.text(sql));
            }
        }
        return words;
    }

    /** The name after the first {@code keyword} inside the action. */
    static QualifiedName nameAfter(DdlStatement s, AlterAction a, String keyword) {
        TokenCursor c = TokenCursor.at(s.text(), a.start());
        while (!c.atEnd() && (a.end() < 0 || c.peek().end() <= a.end())) {
            if (c.acceptWord(keyword)) {
                return c.acceptName();
            }
            c.next();
        }
        return null;
    }

    static boolean containsRun(List<String> words, List<String> run) {
        for (int i = 0; i + run.size() <= words.size(); i++) {
            if (words.subList(i, i + run.size()).equals(run)) {
                return true;
            }
        }
        return false;
    }

    static Map<String, String> single(QualifiedName name, String mode) {
        Map<String, String> map = new LinkedHashMap<>();
        put(map, name, mode);
        return map;
    }

    static void put(Map<String, String> others, QualifiedName name, String mode) {
        if (name != null) {
            others.merge(name.toSql(), mode, (p, q) -> strength(q) > strength(p) ? q : p);
        }
    }

    /** Adds the other tables, leaving out the statement's own table (a self-referencing foreign key). */
    static LockImpact withOthers(LockImpact impact, Map<String, String> others, QualifiedName table) {
        List<OtherTable> more = new ArrayList<>(others.size());
        for (Map.Entry<String, String> o : others.entrySet()) {
            if (table == null || !o.getKey().equalsIgnoreCase(table.toSql())) {
                more.add(new OtherTable(o.getKey(), o.getValue()));
            }
        }
        return impact.alsoLocking(more);
    }

    static boolean same(QualifiedName a, QualifiedName b) {
        return a != null && b != null && a.toSql().equalsIgnoreCase(b.toSql());
    }
}
