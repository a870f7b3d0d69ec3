package dev.ddlguard.rules;

import dev.ddlguard.cli.lint.ServerVersion;
import dev.ddlguard.dialect.Dialect;
import dev.ddlguard.dialect.Dialects;
import dev.ddlguard.policy.Action;
import dev.ddlguard.policy.Target;
import java.util.List;
import java.util.Locale;

/**
 * One row of a rule's case table (a {@code .cases} file beside the rule, see {@link RuleCases}): a statement,
 * the database and version it is judged for, what the catalog knows, and what the rule must do with it.
 *
 * @param file     the case table, for messages ({@code IndexRules.cases:12})
 * @param target   postgresql, mysql, mariadb or h2
 * @param version  the server version as written ({@code 11}, {@code 10.11}), or null for the one lint assumes
 * @param given    what the catalog knows and the session state ({@link CaseCatalog}), possibly empty
 * @param sql      the statement as the application sends it
 * @param rule     the rule id the row is about
 * @param action   the rule's action on the statement, or null when the rule must not fire (a near miss)
 * @param rewrite  the SQL the guard sends instead (whitespace-insensitive), for a rewrite; else null
 */
public record RuleCase(
        String file,
        String target,
        String version,
        String given,
        String sql,
        String rule,
        Action action,
        String rewrite) {

    /** Whether the row says the rule fires (rather than proving a harmless statement is left alone). */
    public boolean triggers() {
        return action != null;
    }

    /** The dialect the row is judged as, at its version. */
    public Dialect dialect() {
        try {
            return Dialects.named(target, versionNumber());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": unknown target " + target, e);
        }
    }

    /** The version the judge is told, encoded as the rules compare it; lint's assumption when the row gives none. */
    public int versionNumber() {
        Target t = switch (target) {
            case "mysql" -> Target.MYSQL;
            case "mariadb" -> Target.MARIADB;
            case "h2" -> null;
            default -> Target.POSTGRESQL;
        };
        if (t == null) {
            return 0;
        }
        return version == null
                ? ServerVersion.assumedFor(t).number()
                : ServerVersion.parse(t, version).number();
    }

    /**
     * Reads one line: {@code target [version] | given | SQL | rule-id action | rewrite}, the last column
     * optional. The action is allow, warn, rewrite, block, or none for a near miss. A cell cannot hold a lone
     * {@code |} (SQL's {@code ||} is fine); {@code \n} in the SQL is a line break (for {@code --} and {@code #} comments).
     */
    static RuleCase parse(String file, String line) {
        String[] cells = line.split("(?<!\\|)\\|(?!\\|)", -1); // a lone |: SQL's || stays whole
        if (cells.length < 4 || cells.length > 5) {
            throw new IllegalArgumentException(
                    file + ": expected 'target [version] | given | SQL | rule action [| rewrite]': " + line);
        }
        String[] target = cells[0].strip().split("\\s+");
        String[] expected = cells[3].strip().split("\\s+");
        if (expected.length != 2) {
            throw new IllegalArgumentException(file + ": expected 'rule-id action' in: " + line);
        }
        String action = expected[1].toLowerCase(Locale.ROOT);
        String rewrite = cells.length == 5 && !cells[4].isBlank() ? cells[4].strip() : null;
        RuleCase c = new RuleCase(
                file,
                target[0].toLowerCase(Locale.ROOT),
                target.length > 1 ? target[1] : null,
                cells[1].strip(),
                cells[2].strip().replace("\\n", "\n"),
                expected[0],
                action.equals("none") ? null : Action.valueOf(action.toUpperCase(Locale.ROOT)),
                rewrite);
        if ((c.action() == Action.REWRITE) != (rewrite != null)) {
            throw new IllegalArgumentException(
                    file + ": a rewrite row gives the rewritten SQL, and only a rewrite row: " + line);
        }
        c.dialect(); // an unknown target fails here, at load time
        return c;
    }

    /** The given facts, one per comma-separated item. */
    List<String> facts() {
        return given.isEmpty() ? List.of() : List.of(given.split("\\s*,\\s*"));
    }

    @Override
    public String toString() {
        return file + ": " + target + (version == null ? "" : " " + version)
                + (given.isEmpty() ? "" : " [" + given + "]") + " " + sql + " -> " + rule + " "
                + (action == null ? "none" : action.value());
    }
}
