package dev.ddlguard.rules;

import dev.ddlguard.policy.Action;
import dev.ddlguard.sql.AlterAction;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.Token;
import dev.ddlguard.sql.TokenCursor;
import dev.ddlguard.sql.TokenKind;
import dev.ddlguard.sql.Verb;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * Sequences and identity columns hand out the keys new rows get. Dropping one loses its position (and breaks
 * every insert that relies on it); moving one back hands out keys that are already taken.
 */
public final class SequenceRules {

    private SequenceRules() {}

    public static final Rule DROP_SEQUENCE = Rule.builder("drop-sequence")
            .defaultAction(Action.BLOCK)
            .aboutDeployedCode()
            .lock("ACCESS EXCLUSIVE on the sequence (PostgreSQL); metadata only")
            .reason("DROP SEQUENCE (MariaDB: also CREATE OR REPLACE SEQUENCE, which drops it first) loses the "
                    + "sequence's position irreversibly: inserts whose keys come from it fail, and a sequence created "
                    + "again starts over, handing out keys that are already taken")
            .safeAlternative("to change a sequence's options, ALTER SEQUENCE it, which keeps its position; to remove "
                    + "it, deploy code that no longer uses it and note its last value (SELECT last_value FROM the "
                    + "sequence), then drop it with an inline ddlguard:allow drop-sequence comment giving the reason")
            .matches((s, c) -> s.verb() == Verb.DROP
                            && "SEQUENCE".equals(s.objectType())
                            && !s.names().isEmpty()
                    ? "drops sequence "
                            + s.names().stream().map(Object::toString).collect(Collectors.joining(", "))
                    : replaced(s, c))
            .build();

    /**
     * MariaDB's CREATE OR REPLACE SEQUENCE drops an existing sequence of that name and creates it again at its START
     * (NEXTVAL went from 1001 to 1 on 10.11); of a name the catalog says is free it only creates.
     */
    private static String replaced(DdlStatement s, RuleContext c) {
        if (!s.is(Verb.CREATE, "SEQUENCE")
                || !s.has(DdlStatement.Flag.OR_REPLACE)
                || s.has(DdlStatement.Flag.TEMPORARY)
                || s.names().isEmpty()
                || s.names().get(0) == null) {
            return null;
        }
        Boolean exists = c.catalog().relationExists(s.names().get(0));
        return Boolean.FALSE.equals(exists)
                ? null
                : "replaces (drops, then creates) sequence " + s.names().get(0)
                        + (exists == null
                                ? " (whether it exists could not be read, so it is taken to)"
                                : ", which exists")
                        + ": its position is lost and it starts over";
    }

    public static final Rule DROP_IDENTITY = Rule.builder("drop-identity")
            .defaultAction(Action.BLOCK)
            .aboutDeployedCode()
            .lock("ACCESS EXCLUSIVE, briefly: blocks reads and writes; metadata only")
            .reason("ALTER COLUMN … DROP IDENTITY drops the column's sequence (so does DROP DEFAULT of a serial "
                    + "column's nextval(…), or SET DEFAULT of a constant in its place; MySQL's and MariaDB's MODIFY or CHANGE restating an AUTO_INCREMENT column "
                    + "without it drop AUTO_INCREMENT): every insert that leaves the key to the database fails from "
                    + "then on, and the sequence's position is lost")
            .safeAlternative("deploy code that supplies the key itself first; to change how keys are generated, "
                    + "ALTER COLUMN … SET GENERATED or SET sequence options instead, which keep the sequence; in a "
                    + "MODIFY or CHANGE of an AUTO_INCREMENT column, restate AUTO_INCREMENT")
            .matches((s, c) -> {
                if (!s.is(Verb.ALTER, "TABLE") || s.table() == null) {
                    return null;
                }
                List<String> columns = new ArrayList<>();
                for (AlterAction a : s.actions()) {
                    List<String> words = words(s, a);
                    if (columnCommand(words).containsAll(List.of("DROP", "IDENTITY"))) {
                        columns.add(String.valueOf(a.column()));
                    }
                }
                return columns.isEmpty()
                        ? ColumnFillRules.keyGeneratorDropped(s, c)
                        : "drops the identity of column " + String.join(", ", columns) + " of " + s.table();
            })
            .build();

    /** A warning: moving a sequence forward after a data load is a deliberate, safe step; backwards is not. */
    public static final Rule RESTART_SEQUENCE = Rule.builder("restart-sequence")
            .defaultAction(Action.WARN)
            .aboutDeployedCode()
            .lock("SHARE ROW EXCLUSIVE on the sequence (ACCESS EXCLUSIVE on an identity column's table), briefly")
            .reason("RESTART sets where the sequence goes on from (its START value when no WITH is given): a value at "
                    + "or below the keys already in the table makes every insert fail with a duplicate key until the "
                    + "sequence passes them; PostgreSQL's ALTER SEQUENCE … SET UNLOGGED does the same at the next "
                    + "crash or failover (an unlogged sequence is reset after an unclean shutdown and not replicated), "
                    + "and so does a key column's SET DEFAULT nextval(…) of another sequence, which goes on from "
                    + "where it stands")
            .safeAlternative("move a sequence only forward, past the highest key in use: SELECT setval('<sequence>', "
                    + "(SELECT max(<key>) FROM <table>)) on PostgreSQL, or RESTART WITH a value checked against "
                    + "max(<key>) in the same migration")
            .matches((s, c) -> {
                if (s.is(Verb.ALTER, "SEQUENCE") && !s.names().isEmpty() && restarts(s)) {
                    return "restarts sequence " + s.names().get(0);
                }
                if (s.is(Verb.ALTER, "SEQUENCE")
                        && !s.names().isEmpty()
                        && s.syntax() == SqlSyntax.POSTGRESQL
                        && StatementWords.has(s, "SET", "UNLOGGED")) {
                    return "makes sequence " + s.names().get(0) + " UNLOGGED: a crash or a failover restarts it";
                }
                String restarted = identityChange(
                        s,
                        (a, command) -> command.contains("RESTART")
                                ? "restarts the identity of column " + a.column() + " of " + s.table()
                                : null);
                return restarted != null ? restarted : ColumnFillRules.keySequenceReplaced(s, c);
            })
            .build();

    /** Keys run out or come round again: the direction, the bounds, the type or CYCLE of a sequence in use. */
    public static final Rule NARROW_SEQUENCE = Rule.builder("narrow-sequence")
            .defaultAction(Action.WARN)
            .aboutDeployedCode()
            .lock("SHARE ROW EXCLUSIVE on the sequence (ACCESS EXCLUSIVE on an identity column's table), briefly")
            .reason("a sequence made to count down (INCREMENT BY a negative step), capped (MAXVALUE), narrowed (AS "
                    + "smallint | integer) or made to CYCLE hands out keys below the ones in use, or none: inserts fail "
                    + "with a duplicate key, or with \"reached maximum value\" once it meets the cap")
            .safeAlternative("check the new bounds against the sequence's last value and the table's max(<key>) "
                    + "first; widen (AS bigint, NO MAXVALUE) rather than narrow; never CYCLE a sequence that hands "
                    + "out keys")
            .matches((s, c) -> {
                if (s.is(Verb.ALTER, "SEQUENCE") && !s.names().isEmpty()) {
                    TokenCursor after = StatementWords.after(s, "SEQUENCE");
                    String how = after == null || after.atEnd()
                            ? null
                            : narrowed(
                                    s,
                                    s.text()
                                            .tokensWithin(
                                                    after.peek().start(),
                                                    s.text().end()));
                    return how == null ? null : "changes sequence " + s.names().get(0) + ": " + how;
                }
                return identityChange(s, (a, command) -> {
                    String how = command.isEmpty() ? null : narrowed(s, s.text().tokensWithin(a.start(), a.end()));
                    return how == null
                            ? null
                            : "changes the identity of column " + a.column() + " of " + s.table() + ": " + how;
                });
            })
            .build();

    /** PostgreSQL: an identity added to a column that holds keys starts at 1 unless told otherwise. */
    public static final Rule ADD_IDENTITY = Rule.builder("add-identity")
            .defaultAction(Action.WARN)
            .aboutDeployedCode()
            .lock("ACCESS EXCLUSIVE on the table, briefly (metadata only)")
            .reason("ALTER COLUMN … ADD GENERATED … AS IDENTITY on a column that already holds keys gives it a new "
                    + "sequence starting at 1 (or START WITH): inserts that take the default fail with a duplicate key "
                    + "until it passes the keys in use; GENERATED ALWAYS (also SET GENERATED ALWAYS) refuses every "
                    + "insert that gives the key itself, as deployed code and imports do")
            .safeAlternative("ADD GENERATED BY DEFAULT AS IDENTITY (START WITH <max(key) + 1>), checked against "
                    + "max(<key>) in the same migration, or SELECT setval(pg_get_serial_sequence('<table>', '<key>'), "
                    + "max(<key>)) right after; switch to ALWAYS only once no code inserts the key itself")
            .matches((s, c) -> {
                if (s.table() != null && c.catalog().createdInThisRun(s.table())) {
                    return null;
                }
                return identityChange(s, (a, command) -> {
                    String how = identityAdded(command);
                    return how == null ? null : how + " column " + a.column() + " of " + s.table();
                });
            })
            .build();

    public static final List<Rule> ALL =
            List.of(DROP_SEQUENCE, DROP_IDENTITY, RESTART_SEQUENCE, NARROW_SEQUENCE, ADD_IDENTITY);

    /**
     * What {@code describe} says of the first ALTER TABLE action it says something of, given the action and its
     * ALTER [COLUMN] c command ({@link #columnCommand}); null when none.
     */
    private static String identityChange(DdlStatement s, BiFunction<AlterAction, List<String>, String> describe) {
        if (!s.is(Verb.ALTER, "TABLE") || s.table() == null) {
            return null;
        }
        for (AlterAction a : s.actions()) {
            String what = describe.apply(a, columnCommand(words(s, a)));
            if (what != null) {
                return what;
            }
        }
        return null;
    }

    /** "adds an identity starting at 1 to", "makes GENERATED ALWAYS", or null for anything else. */
    private static String identityAdded(List<String> command) {
        if (command.size() >= 3
                && command.get(0).equals("SET")
                && command.get(1).equals("GENERATED")
                && command.get(2).equals("ALWAYS")) {
            return "refuses inserts that give the key (SET GENERATED ALWAYS) on";
        }
        if (command.size() < 2
                || !command.get(0).equals("ADD")
                || !command.get(1).equals("GENERATED")) {
            return null;
        }
        boolean always = command.size() > 2 && command.get(2).equals("ALWAYS");
        boolean start = command.contains("START");
        if (!always && start) {
            return null; // BY DEFAULT with a START WITH: the migration chose where it goes on
        }
        return "adds an identity " + (start ? "" : "starting at 1 ") + (always ? "(GENERATED ALWAYS) " : "") + "to";
    }

    /** "it counts down (INCREMENT BY a negative step)", "it stops at 6 (MAXVALUE)", …: how the options narrow it, or null. */
    private static String narrowed(DdlStatement s, List<Token> all) {
        String sql = s.text().source();
        List<Token> tokens = all.stream().filter(t -> !t.isComment()).toList();
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            boolean negated = i > 0 && tokens.get(i - 1).isWord(sql, "NO");
            int n = i + 1 < tokens.size() && "=".equals(tokens.get(i + 1).text(sql)) ? i + 2 : i + 1; // MariaDB: =
            String next = n < tokens.size() ? tokens.get(n).text(sql) : "";
            if (t.isWord(sql, "INCREMENT")) {
                int v = i + 1 < tokens.size() && tokens.get(i + 1).isWord(sql, "BY") ? i + 2 : i + 1;
                if (v < tokens.size() && tokens.get(v).text(sql).startsWith("-")) {
                    return "it counts down (INCREMENT BY a negative step)";
                }
            } else if (t.isWord(sql, "MAXVALUE") && !negated && !next.isEmpty() && !next.equalsIgnoreCase("NO")) {
                return "it stops at " + next + " (MAXVALUE)";
            } else if (t.isWord(sql, "CYCLE") && !negated) {
                return "it wraps around to its start (CYCLE)";
            } else if (t.isWord(sql, "AS") && NARROW_TYPES.contains(next.toLowerCase(Locale.ROOT))) {
                return "it is narrowed to " + next.toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }

    /** Sequence types narrower than bigint. */
    private static final List<String> NARROW_TYPES = List.of("smallint", "int2", "integer", "int", "int4");

    /** {@code ALTER SEQUENCE s … RESTART …}: a RESTART word after the name (comments and strings never match). */
    private static boolean restarts(DdlStatement s) {
        TokenCursor c = StatementWords.after(s, "SEQUENCE");
        if (c == null) {
            return false;
        }
        c.acceptWords("IF", "EXISTS");
        c.acceptName();
        while (!c.atEnd()) {
            if (c.acceptWord("RESTART")) {
                return true;
            }
            c.next();
        }
        return false;
    }

    /** The words and quoted names of an ALTER TABLE action, upper case, comments and strings left out. */
    private static List<String> words(DdlStatement s, AlterAction a) {
        List<String> words = new ArrayList<>();
        for (Token t : s.text().tokensWithin(a.start(), a.end())) {
            // a quoted column name counts as a word, so the words after it are found by position
            if (t.kind() == TokenKind.WORD || t.kind() == TokenKind.QUOTED_IDENTIFIER) {
                words.add(t.text(s.text().source()).toUpperCase(Locale.ROOT));
            }
        }
        return words;
    }

    /** What follows the column of {@code ALTER [COLUMN] c …}; empty for any other action. */
    private static List<String> columnCommand(List<String> words) {
        if (words.isEmpty() || !words.get(0).equals("ALTER")) {
            return List.of();
        }
        int column = words.size() > 1 && words.get(1).equals("COLUMN") ? 2 : 1;
        return column + 1 >= words.size() ? List.of() : words.subList(column + 1, words.size());
    }
}
