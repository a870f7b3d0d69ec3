package dev.ddlguard.dialect.postgres;

import dev.ddlguard.sql.AlterAction;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.Token;
import dev.ddlguard.sql.Verb;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** The ALTER TABLE actions the classifier leaves as OTHER, found by their leading words (DISABLE TRIGGER, NO INHERIT). */
final class PgTableActions {

    private PgTableActions() {}

    /** The found descriptions joined, in order; null when none is. */
    static String joined(String... found) {
        List<String> each = new ArrayList<>(found.length);
        for (String f : found) {
            if (f != null) {
                each.add(f);
            }
        }
        return each.isEmpty() ? null : String.join("; ", each);
    }

    /**
     * What each action that starts with {@code words} does ("disables trigger ALL on orders"); null when none does.
     * Read by tokens: a comment between the words does not hide the action.
     */
    static String actions(DdlStatement s, String words, UnaryOperator<String> describe) {
        if (!s.is(Verb.ALTER, "TABLE") || s.table() == null) {
            return null;
        }
        String source = s.text().source();
        String[] wanted = words.split(" ");
        List<String> found = new ArrayList<>();
        for (AlterAction a : s.actions()) {
            List<Token> code = code(s, a);
            if (a.kind() == AlterAction.Kind.OTHER && startsWith(code, wanted, source)) {
                // the rest as written: a quoted trigger name keeps its case
                String rest = code.size() > wanted.length
                        ? source.substring(code.get(wanted.length).start(), a.end())
                                .strip()
                                .replaceAll("\\s+", " ")
                        : "";
                found.add(describe.apply(rest) + " on " + s.table());
            }
        }
        return found.isEmpty() ? null : String.join("; ", found);
    }

    private static boolean startsWith(List<Token> code, String[] words, String source) {
        if (code.size() < words.length) {
            return false;
        }
        for (int i = 0; i < words.length; i++) {
            if (!code.get(i).isWord(source, words[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * The columns whose ALTER COLUMN action holds the words in a run ({@code ALTER COLUMN total DROP EXPRESSION}), as
     * written; empty when none does.
     */
    static List<String> columnsWith(DdlStatement s, String... words) {
        List<String> columns = new ArrayList<>(1);
        if (!s.is(Verb.ALTER, "TABLE")) {
            return columns;
        }
        String source = s.text().source();
        for (AlterAction a : s.actions()) {
            if (a.kind() != AlterAction.Kind.OTHER || a.column() == null) {
                continue;
            }
            List<Token> code = code(s, a);
            for (int i = 0; i + words.length <= code.size(); i++) {
                if (startsWith(code.subList(i, code.size()), words, source)) {
                    columns.add(a.column().toString());
                    break;
                }
            }
        }
        return columns;
    }

    private static List<Token> code(DdlStatement s, AlterAction a) {
        return s.text().codeWithin(a.start(), a.end());
    }
}
