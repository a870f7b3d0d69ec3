package dev.ddlguard.rules;

import dev.ddlguard.policy.Action;
import dev.ddlguard.sql.AlterAction;
import dev.ddlguard.sql.AlterAction.Kind;
import dev.ddlguard.sql.ColumnDefinition;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.Token;
import dev.ddlguard.sql.TokenKind;
import dev.ddlguard.sql.Verb;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an insert that leaves a column out gets, and what {@code SELECT *} and an INSERT without a column list see:
 * deployed code relies on both. A key generator dropped is {@link SequenceRules#DROP_IDENTITY}'s (through
 * {@link #keyGeneratorDropped}); a NOT NULL column's default dropped is drop-default; a column made INVISIBLE is
 * hide-column. What the column is now comes from the live catalog ({@link Catalog#columnFill}): offline they stay
 * silent.
 */
public final class ColumnFillRules {

    private ColumnFillRules() {}

    public static final Rule DROP_DEFAULT = Rule.builder("drop-default")
            .defaultAction(Action.WARN)
            .aboutDeployedCode()
            .lock("ACCESS EXCLUSIVE, briefly (PostgreSQL); MySQL: INSTANT; metadata only")
            .reason("a NOT NULL column whose DEFAULT is dropped (ALTER COLUMN … DROP DEFAULT or SET DEFAULT NULL; "
                    + "PostgreSQL's ALTER DOMAIN … DROP DEFAULT of a NOT NULL domain, for every column of it; MySQL's "
                    + "and MariaDB's MODIFY or CHANGE restating it without its DEFAULT) refuses every insert that "
                    + "leaves it out: "
                    + "deployed code that relies on the default fails (a null value, or \"doesn't have a default "
                    + "value\")")
            .safeAlternative("deploy code that always gives the column a value first; to change the default, SET "
                    + "DEFAULT the new value instead; in a MODIFY, restate the DEFAULT")
            .on(Verb.ALTER)
            .matches((s, c) -> s.is(Verb.ALTER, "DOMAIN")
                    ? domainDefaultDropped(s, c)
                    : each(s, c, (a, fill) -> defaultDropped(s, a, fill)))
            .build();

    public static final Rule HIDE_COLUMN = Rule.builder("hide-column")
            .defaultAction(Action.WARN)
            .aboutDeployedCode()
            .lock("metadata only (MariaDB: INSTANT)")
            .reason("a column made INVISIBLE (MariaDB's MODIFY or CHANGE … INVISIBLE, MySQL's ALTER COLUMN … SET "
                    + "INVISIBLE) leaves SELECT * at once, and an INSERT without a column list now gives one value too "
                    + "many and fails: deployed code that reads or writes it that way breaks, as if it were dropped")
            .safeAlternative("deploy code that names its columns (no SELECT *, INSERT with a column list) first, "
                    + "then hide it; to retire the column, go the drop-column way (expand-contract)")
            .on(Verb.ALTER)
            .matches((s, c) -> hidden(s))
            .build();

    public static final List<Rule> ALL = List.of(DROP_DEFAULT, HIDE_COLUMN);

    /**
     * drop-identity's other spellings: a {@code nextval(…)} default dropped (PostgreSQL: DROP DEFAULT of a serial
     * column, an identity refuses it), and MySQL's and MariaDB's MODIFY or CHANGE restating an AUTO_INCREMENT column
     * without AUTO_INCREMENT (the server drops it silently: inserts then fail "Field 'id' doesn't have a default
     * value"). Null when the statement does neither.
     */
    static String keyGeneratorDropped(DdlStatement s, RuleContext c) {
        return each(s, c, (a, fill) -> {
            if (!fill.startsWith("generated")) {
                return null;
            }
            if (a.kind() == Kind.DROP_DEFAULT && s.syntax() != SqlSyntax.MYSQL) {
                return "drops the default of column " + a.column() + " of " + s.table()
                        + ", the nextval(…) that hands out its keys";
            }
            if (a.kind() == Kind.SET_DEFAULT
                    && s.syntax() != SqlSyntax.MYSQL
                    && !a.text(s.text().source()).toLowerCase(Locale.ROOT).contains("nextval")) {
                return "replaces the nextval(…) default of column " + a.column() + " of " + s.table()
                        + ", which hands out its keys, with a value every insert repeats";
            }
            return restates(s, a) && !a.definition().identity()
                    ? "restates column " + a.column() + " of " + s.table()
                            + " without AUTO_INCREMENT, which MODIFY and CHANGE then drop"
                    : null;
        });
    }

    /**
     * PostgreSQL's SET DEFAULT nextval('other_seq') on a column whose keys another sequence hands out: the new
     * sequence starts where it stands, usually below the keys in use (an outside tester's: the next INSERT into a
     * table of 200,000 rows failed with 23505). For restart-sequence, a warning: moving to a sequence set past
     * max(key) first is deliberate.
     */
    static String keySequenceReplaced(DdlStatement s, RuleContext c) {
        if (s.syntax() != SqlSyntax.POSTGRESQL) {
            return null;
        }
        return each(s, c, (a, fill) -> {
            Matcher written = NEXTVAL.matcher(a.text(s.text().source()));
            if (a.kind() != Kind.SET_DEFAULT || !fill.startsWith("generated by ") || !written.find()) {
                return null;
            }
            String now = fill.substring("generated by ".length());
            return lastPart(now).equals(lastPart(written.group(1)))
                    ? null
                    : "makes sequence " + written.group(1) + " hand out the keys of column " + a.column() + " of "
                            + s.table() + " in place of " + now + ": unless it stands past max(" + a.column()
                            + "), inserts fail with a duplicate key";
        });
    }

    private static final Pattern NEXTVAL = Pattern.compile("(?i)nextval\\s*\\(\\s*'([^']+)'");

    /** A sequence's name without its schema and quotes, lower case: orders_id_seq. */
    private static String lastPart(String name) {
        String n = name.replace("\"", "");
        return n.substring(n.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    }

    /** A finding of one action from the column's fill, asked only of the actions that could matter. */
    private interface PerAction {
        String check(AlterAction a, String fill);
    }

    private static String each(DdlStatement s, RuleContext c, PerAction check) {
        if (!s.is(Verb.ALTER, "TABLE") || s.table() == null) {
            return null;
        }
        List<String> found = new ArrayList<>(1);
        for (AlterAction a : s.actions()) {
            if (a.column() == null
                    || !(a.kind() == Kind.DROP_DEFAULT || a.kind() == Kind.SET_DEFAULT || restates(s, a))) {
                continue;
            }
            String fill = c.catalog().columnFill(s.table(), a.column());
            String what = fill == null ? null : check.check(a, fill);
            if (what != null) {
                found.add(what);
            }
        }
        return found.isEmpty() ? null : String.join("; ", found);
    }

    private static String defaultDropped(DdlStatement s, AlterAction a, String fill) {
        if (!fill.equals("required defaulted")
                || a.kind() == Kind.SET_DEFAULT && !setsNull(a.text(s.text().source()))) {
            return null; // nullable: the insert gets NULL; generated: drop-identity's; no default: nothing to drop
        }
        return a.kind() == Kind.DROP_DEFAULT || a.kind() == Kind.SET_DEFAULT
                ? "drops the default of NOT NULL column " + a.column()
                        + (a.kind() == Kind.SET_DEFAULT ? " (SET DEFAULT NULL)" : "")
                : a.definition().notNull()
                                && !a.definition().hasDefault()
                                && !a.definition().identity()
                        ? "restates NOT NULL column " + a.column() + " without its DEFAULT, which MODIFY and CHANGE "
                                + "then drop"
                        : null;
    }

    /** What follows SET DEFAULT in an action or a statement (group 1). */
    private static final Pattern SET_DEFAULT = Pattern.compile("(?is).*?\\bSET\\s+DEFAULT\\s+(.*)");

    /** {@code SET DEFAULT NULL}, in any case, cast or parentheses: the same as DROP DEFAULT for an insert. */
    private static boolean setsNull(String text) {
        Matcher m = SET_DEFAULT.matcher(text);
        return m.matches() && ColumnDefinition.isNull(m.group(1));
    }

    /**
     * PostgreSQL's ALTER DOMAIN d DROP DEFAULT | SET DEFAULT NULL: every column of the domain without a default of
     * its own loses it; with a NOT NULL domain each insert that leaves such a column out fails ("domain d does not
     * allow null values"). Silent when the live catalog says the domain has no NOT NULL or CHECK.
     */
    private static String domainDefaultDropped(DdlStatement s, RuleContext c) {
        if (s.syntax() != SqlSyntax.POSTGRESQL || s.names().isEmpty()) {
            return null;
        }
        String text = s.text().text();
        boolean dropped = StatementWords.has(s, "DROP", "DEFAULT") || setsNull(text);
        // asked as a column definition writes the type (qualified or not): to_regtype resolves it as the server will
        QualifiedName asWritten =
                new QualifiedName(List.of(new Identifier(s.names().get(0).toSql(), false)));
        if (!dropped || Boolean.FALSE.equals(c.catalog().exists(Catalog.CONSTRAINED_DOMAIN, asWritten))) {
            return null;
        }
        return "drops the default of domain " + s.names().get(0)
                + ": inserts that leave a column of it out get NULL, which a NOT NULL domain refuses";
    }

    /** Asks no catalog: a column restated INVISIBLE that already was is a no-op the warning costs little. */
    private static String hidden(DdlStatement s) {
        if (!s.is(Verb.ALTER, "TABLE") || s.table() == null) {
            return null;
        }
        List<String> columns = new ArrayList<>(1);
        for (AlterAction a : s.actions()) {
            if (a.column() != null && setsInvisible(s, a)) {
                columns.add(a.column().toString());
            }
        }
        return columns.isEmpty()
                ? null
                : "makes column " + String.join(", ", columns) + " of " + s.table() + " INVISIBLE";
    }

    /** MySQL's MODIFY | CHANGE: the whole column restated, what it leaves out is gone. */
    private static boolean restates(DdlStatement s, AlterAction a) {
        return s.syntax() == SqlSyntax.MYSQL
                && a.definition() != null
                && (a.kind() == Kind.ALTER_COLUMN_TYPE || a.kind() == Kind.RENAME_COLUMN)
                && !words(s, a).get(0).equals("ALTER"); // PostgreSQL-style ALTER … TYPE is not MySQL's
    }

    /** INVISIBLE among the action's words (MODIFY, CHANGE, ALTER COLUMN … SET INVISIBLE), not ADD COLUMN's. */
    private static boolean setsInvisible(DdlStatement s, AlterAction a) {
        if (s.syntax() != SqlSyntax.MYSQL || a.kind() == Kind.ADD_COLUMN) {
            return false;
        }
        List<String> words = words(s, a);
        return words.contains("INVISIBLE") && (restates(s, a) || words.get(0).equals("ALTER"));
    }

    /** The action's words, upper case; comments and strings left out. */
    private static List<String> words(DdlStatement s, AlterAction a) {
        List<String> words = new ArrayList<>();
        for (Token t : s.text().tokensWithin(a.start(), a.end())) {
            if (t.kind() == TokenKind.WORD) {
                words.add(t.text(s.text().source()).toUpperCase(Locale.ROOT));
            }
        }
        return words.isEmpty() ? List.of("") : words;
    }
}
