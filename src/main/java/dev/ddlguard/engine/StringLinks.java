package dev.ddlguard.engine;

import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.DdlStatement.Flag;
import dev.ddlguard.sql.Verb;
import java.util.List;
import java.util.Set;

/**
 * Statements that may hang an old object on a new one: an old table made OF a new type, to INHERIT from or be
 * ATTACHed to a new table, a column retyped to or defaulted from a new object, a replaced view, a trigger, rule,
 * policy or index using a new function. Every statement of a string (or batch) is judged before any runs, so what
 * the catalog says depends on a name the statement names was said before: outside testers' {@code ALTER TABLE old OF
 * s.t; DROP SCHEMA s CASCADE}, {@code ALTER TABLE n ATTACH PARTITION old …; DROP TABLE n} and {@code CREATE OR REPLACE
 * VIEW old_v AS … n …; DROP TABLE n CASCADE} each dropped an old object with a drop judged as the run's.
 */
final class StringLinks {

    /** What {@link ChangedRelations} answers for the links of a name such a statement named: one old object, unknown. */
    static final List<String> UNKNOWN = List.of("\"an object an earlier statement of the string may have linked\"");

    private static final Set<String> CREATES =
            Set.of("TRIGGER", "RULE", "POLICY", "INDEX", "STATISTICS", "EVENT TRIGGER");

    private static final List<String> ALTER_WORDS = List.of(
            "OF",
            "INHERIT",
            "ATTACH",
            "REFERENCES",
            "SCHEMA",
            "TYPE",
            "DEFAULT",
            "OWNED",
            "ATTRIBUTE",
            "CHECK",
            "USING",
            "EXPRESSION",
            "GENERATED",
            "PARTITION",
            "UNION");

    private StringLinks() {}

    /**
     * The names such a statement may hang an old object on: its words, but its own table, which is what hangs on them
     * (ALTER TABLE old OF t, INHERIT t, … REFERENCES t; a CREATE INDEX | TRIGGER on it), unless it ATTACHes a partition
     * to it: a table created earlier in the string and given a CHECK or a DEFAULT stays the string's.
     */
    static List<String> linkedNames(DdlStatement ddl) {
        List<String> words = StringTables.wordsOf(ddl);
        if (!ddl.has(Flag.OR_REPLACE) && ddl.table() != null && !ddl.text().hasWord("ATTACH")) {
            String own = ddl.table().name().text();
            words.removeIf(word -> word.equalsIgnoreCase(own));
        }
        return words;
    }

    /** Whether the statement may make an object depend on another it names. */
    static boolean mayLink(DdlStatement ddl) {
        if (ddl.verb() == Verb.CREATE) {
            return ddl.has(Flag.OR_REPLACE) || (ddl.objectType() != null && CREATES.contains(ddl.objectType()));
        }
        return ddl.verb() == Verb.ALTER
                && ALTER_WORDS.stream().anyMatch(word -> ddl.text().hasWord(word));
    }
}
