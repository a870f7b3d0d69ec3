package dev.ddlguard.dialect.mysql;

import dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Flavour;
import dev.ddlguard.policy.Action;
import dev.ddlguard.rules.ActedOn;
import dev.ddlguard.rules.Catalog;
import dev.ddlguard.rules.Rewrite;
import dev.ddlguard.rules.Rewrite.TextEdit;
import dev.ddlguard.rules.Rule;
import dev.ddlguard.rules.Rule.Advice;
import dev.ddlguard.rules.RuleContext;
import dev.ddlguard.rules.StatementWords;
import dev.ddlguard.sql.AlterAction;
import dev.ddlguard.sql.Constraint;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.TokenCursor;
import dev.ddlguard.sql.Verb;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * MySQL's and MariaDB's rule pack. InnoDB decides per operation whether it can change a table
 * instantly, in place while DML continues, or only by copying it under a lock; a statement without
 * ALGORITHM/LOCK silently takes the blocking path when it must. The guard makes the guarantee
 * explicit, so the server does it online or refuses (manual: MySQL "Online DDL Operations";
 * MariaDB "InnoDB Online DDL Overview").
 */
public final class MySqlRules {

    static final String ALTERNATIVES = "expand-contract (a new column or table filled in batches), or an online "
            + "schema-change tool (gh-ost, pt-online-schema-change)";

    private MySqlRules() {}

    /** The rules for one flavour: the clause differs, the ids do not. */
    public static List<Rule> forFlavour(Flavour flavour, int defaultVersion) {
        return List.of(
                requireOnlineDdl(flavour, defaultVersion),
                noOnlinePath(flavour, defaultVersion),
                explicitBlockingAlgorithm(),
                PartitionRules.partitioningChange(flavour, defaultVersion),
                PartitionRules.exchangeScan(flavour, defaultVersion),
                CopyRules.copyLocksSource(flavour),
                EngineRules.CHANGE_ENGINE,
                TableCacheRules.flushTables(flavour),
                TableCacheRules.REPAIR_TABLE,
                TableCacheRules.LOCKED_MAINTENANCE,
                IndexVisibilityRules.HIDE_INDEX,
                ViewRules.REPLACE_VIEW_COLUMNS,
                TriggerRules.CREATE_TRIGGER,
                CollationRules.changeCollation(flavour, defaultVersion),
                ConversionRules.silentConversion(flavour, defaultVersion),
                ConversionRules.uncheckedForeignKey(flavour, defaultVersion),
                lockQueue());
    }

    static MySqlStatement read(DdlStatement s, RuleContext c, Flavour flavour, int defaultVersion) {
        return MySqlStatement.of(s, flavour, version(c, defaultVersion), c.catalog());
    }

    static int version(RuleContext c, int defaultVersion) {
        return c.serverVersion() != 0 ? c.serverVersion() : defaultVersion;
    }

    static Rule requireOnlineDdl(Flavour flavour, int defaultVersion) {
        return Rule.builder("require-online-ddl")
                .defaultAction(Action.REWRITE)
                .lockBound()
                .lock("what the server picks: INSTANT or in place when it can, a locked table copy when it must")
                .reason("without ALGORITHM and LOCK the server silently copies the table under a lock when it cannot "
                        + "do the change online")
                .safeAlternative("name the strongest guarantee the operation has (MariaDB: ALGORITHM=INSTANT or NOCOPY "
                        + "with LOCK=NONE; MySQL: ALGORITHM=INSTANT alone, or INPLACE with LOCK=NONE), so the server "
                        + "does it online or refuses")
                .matches((s, c) -> {
                    MySqlStatement m = read(s, c, flavour, defaultVersion);
                    String clause = m.support() == null ? null : OnlineDdlMatrix.clause(flavour, m.support());
                    // MariaDB's DROP INDEX … ON takes no clause, but its ALTER TABLE … DROP INDEX form does.
                    boolean placeable = MySqlClauses.acceptsClause(m.kind(), flavour)
                            || m.kind() == MySqlClauses.StatementKind.DROP_INDEX;
                    return m.hasClause() || clause == null || m.repartitions() || !placeable
                            ? null
                            : ops(m) + ", written without ALGORITHM/LOCK; " + server(c, flavour, defaultVersion)
                                    + " does it with " + clause + splitHint(m, version(c, defaultVersion));
                })
                .advice((s, c) -> {
                    MySqlStatement m = read(s, c, flavour, defaultVersion);
                    String clause = OnlineDdlMatrix.clause(flavour, m.support());
                    Rewrite rewrite = withClause(m, clause);
                    return rewrite == null ? Advice.NONE : new Advice(rewrite.apply(s.text()) + ";", rewrite);
                })
                .build();
    }

    static Rule noOnlinePath(Flavour flavour, int defaultVersion) {
        return Rule.builder("no-online-ddl-path")
                .defaultAction(Action.BLOCK)
                .lockBound()
                .lock(
                        "LOCK=SHARED or EXCLUSIVE for a table copy: blocks writes (or reads and writes) for the whole copy")
                .reason("this change has no online path on this server: it copies the table while blocking writes")
                .safeAlternative(ALTERNATIVES)
                .matches((s, c) -> {
                    MySqlStatement m = read(s, c, flavour, defaultVersion);
                    if (m.support() == null || m.hasClause() || m.repartitions()) {
                        return null;
                    }
                    return OnlineDdlMatrix.clause(flavour, m.support()) == null
                            ? ops(m) + ": " + server(c, flavour, defaultVersion) + " can do it only " + how(m.support())
                                    + splitHint(m, version(c, defaultVersion))
                            : null;
                })
                .advice((s, c) -> expandContract(read(s, c, flavour, defaultVersion)))
                .build();
    }

    static Rule explicitBlockingAlgorithm() {
        return Rule.builder("explicit-blocking-algorithm")
                .defaultAction(Action.BLOCK)
                .lockBound()
                .lock("what the clause asks for: ALGORITHM=COPY and LOCK=SHARED block writes, LOCK=EXCLUSIVE reads too")
                .reason(
                        "the statement asks for a table copy or a blocking lock itself, or makes the session's later ALTER "
                                + "TABLEs copy (alter_algorithm | old_alter_table = COPY), whatever their ALGORITHM clause")
                .safeAlternative("drop the clause and let ddlguard name the online one, or use " + ALTERNATIVES)
                .matches((s, c) -> {
                    if (s.is(Verb.SET, "ALTER_ALGORITHM")) {
                        return "makes every later ALTER TABLE and OPTIMIZE of the session copy the table (alter_algorithm"
                                + " | old_alter_table = COPY, or a value not known), whatever its ALGORITHM clause";
                    }
                    if (s.has(DdlStatement.Flag.FORCES_COPY)) {
                        return "runs it with alter_algorithm | old_alter_table = COPY (SET STATEMENT … FOR): the table "
                                + "is copied whatever its ALGORITHM clause";
                    }
                    MySqlStatement m = MySqlStatement.of(s, Flavour.MYSQL, 0, Catalog.OFFLINE);
                    boolean copy = "COPY".equals(m.algorithm());
                    boolean locks = "SHARED".equals(m.lock()) || "EXCLUSIVE".equals(m.lock());
                    return copy || locks
                            ? "asks for " + (copy ? "ALGORITHM=COPY" : "") + (copy && locks ? " and " : "")
                                    + (locks ? "LOCK=" + m.lock() : "")
                            : null;
                })
                .build();
    }

    static Rule lockQueue() {
        return Rule.builder("lock-queue")
                .defaultAction(Action.WARN)
                .lock(
                        "an exclusive metadata lock, at least briefly: waiting for it blocks every later query on the table")
                .reason("other transactions hold the table open; while this statement waits for its metadata lock, "
                        + "every query behind it on the table waits too")
                .safeAlternative("let those transactions finish first; keep ddlguard.lock-timeout short so a queued "
                        + "statement gives up instead of stalling the table")
                .matches((s, c) -> {
                    List<Catalog.Session> holders = holders(s, c.catalog());
                    return holders.isEmpty()
                            ? null
                            : "waits for the metadata lock on " + s.table() + " behind: "
                                    + holders.stream()
                                            .map(Catalog.Session::describe)
                                            .collect(Collectors.joining("; "));
                })
                .build();
    }

    /**
     * The transactions that may hold a table of the statement open: its metadata lock waits for them. Every table of
     * a list ({@code OPTIMIZE TABLE a, b}, {@code RENAME TABLE a TO b, c TO d}) but those this run created.
     */
    static List<Catalog.Session> holders(DdlStatement s, Catalog catalog) {
        if (s.table() == null || s.verb() == Verb.CREATE && "TABLE".equals(s.objectType())) {
            return List.of();
        }
        List<QualifiedName> tables = ActedOn.relations(s, catalog);
        List<Catalog.Session> holders = new ArrayList<>();
        for (QualifiedName table : tables == null ? List.of(s.table()) : tables) {
            if (!catalog.createdInThisRun(table)) { // no other session has reason to hold it (see Exemption)
                catalog.lockHolders(table).stream()
                        .filter(h -> !holders.contains(h))
                        .forEach(holders::add);
            }
        }
        return holders;
    }

    /** What the statement does, in the manual's words: "adding a column", "changing the column data type and making a column NULL". */
    private static String ops(MySqlStatement m) {
        List<String> words =
                m.operations().stream().map(MySqlRules::words).distinct().toList();
        String what = words.size() == 1
                ? words.get(0)
                : String.join(", ", words.subList(0, words.size() - 1)) + " and " + words.get(words.size() - 1);
        return what;
    }

    /** One operation in words: the manual's row name, or the guard's where the manual has none. */
    static String words(OnlineDdlOperation op) {
        return switch (op) {
            case CHANGE_COLUMN_COLLATION, CHANGE_INDEXED_COLUMN_COLLATION -> "changing a column's collation";
            case ADD_FOREIGN_KEY_NO_CHECKS, ADD_FOREIGN_KEY_NO_CHECKS_INDEXED ->
                "adding a foreign key constraint with foreign_key_checks=0";
            case ADD_FOREIGN_KEY -> "adding a foreign key constraint with foreign_key_checks on";
            case ADD_CHECK_CONSTRAINT -> "adding a CHECK constraint";
            case ADD_COLUMN_ROW_DEFAULT -> "adding a column whose DEFAULT is computed for each row";
            case DROP_CHECK_CONSTRAINT -> "dropping a CHECK constraint";
            case CONVERT_CHARACTER_SET_UTF8MB3_TO_UTF8MB4 -> "converting utf8mb3 to utf8mb4";
            default -> sentenceCase(op.manualOperation());
        };
    }

    /** "Adding a column" → "adding a column"; a name in capitals ("TRUNCATE PARTITION") stays as it is. */
    private static String sentenceCase(String operation) {
        return operation.length() > 1 && Character.isLowerCase(operation.charAt(1))
                ? Character.toLowerCase(operation.charAt(0)) + operation.substring(1)
                : operation;
    }

    /** "MariaDB 10.11" / "MySQL 8.4": the server the verdict is for. */
    private static String server(RuleContext c, Flavour flavour, int defaultVersion) {
        int v = version(c, defaultVersion);
        return (flavour == Flavour.MARIADB ? "MariaDB " : "MySQL ") + v / 10000 + "." + v / 100 % 100;
    }

    /** How the server can do a change that has no online path: "as ALGORITHM=COPY with LOCK=SHARED". */
    private static String how(OnlineDdlMatrix.Support s) {
        return "as ALGORITHM=" + s.algorithm() + " with LOCK=" + s.lock()
                + (s.algorithm() == OnlineDdlMatrix.Algorithm.COPY
                        ? " (a copy of every row)"
                        : s.rebuildsTable() ? " (a rebuild of every row)" : "");
    }

    /** For several operations in one statement: which to split off to keep them cheap. */
    private static String splitHint(MySqlStatement m, int version) {
        if (m.operations().size() < 2) {
            return "";
        }
        OnlineDdlMatrix.Support all = m.support();
        List<String> stronger = new ArrayList<>();
        for (OnlineDdlOperation op : m.operations()) {
            OnlineDdlMatrix.Support one = OnlineDdlMatrix.support(m.flavour(), version, op);
            if (one.algorithm().strongerThan(all.algorithm())
                    || one.lock().ordinal() < all.lock().ordinal()) {
                stronger.add(words(op));
            }
        }
        List<String> each = stronger.stream().distinct().toList();
        return " (several changes in one statement: the weakest decides"
                + (each.isEmpty()
                        ? ")"
                        : "; run " + String.join(" and ", each)
                                + (each.size() == 1 ? " as a statement of its own" : " as statements of their own")
                                + " to keep " + (each.size() == 1 ? "it" : "them") + " cheaper)");
    }

    /**
     * A foreign key with foreign_key_checks on is added by a table copy that checks every row; with
     * the checks off it is added in place, online, without looking at the rows (manual, "Foreign Key
     * Operations"). So: find orphans first, then add it with the checks off for this one statement.
     * MariaDB reads NOCOPY as "NOCOPY or better", so it is INSTANT where an index already fits.
     */
    private static Advice foreignKeyWithoutChecks(MySqlStatement m) {
        DdlStatement s = m.ddl();
        AlterAction a = s.actions().get(0);
        Constraint fk = a.constraintDef();
        String text = a.text(s.text().source());
        int references = text.toUpperCase(Locale.ROOT).indexOf("REFERENCES");
        int open = references < 0 ? -1 : text.indexOf('(', references);
        int close = open < 0 ? -1 : text.indexOf(')', open);
        if (s.table() == null
                || fk == null
                || fk.references() == null
                || fk.columns().isEmpty()
                || close < 0) {
            return Advice.NONE;
        }
        String[] parentColumns = text.substring(open + 1, close).split(",");
        if (parentColumns.length != fk.columns().size()) {
            return Advice.NONE;
        }
        String t = s.table().toSql();
        String p = fk.references().toSql();
        List<String> join = new ArrayList<>();
        for (int i = 0; i < parentColumns.length; i++) {
            join.add("p." + parentColumns[i].strip() + " = c."
                    + fk.columns().get(i).toSql());
        }
        String first = fk.columns().get(0).toSql();
        String online = m.flavour() == Flavour.MARIADB ? "ALGORITHM=NOCOPY, LOCK=NONE" : "ALGORITHM=INPLACE, LOCK=NONE";
        return new Advice(
                "-- every row needs its parent first: this must return no row (fix or delete the ones it finds)\n"
                        + "SELECT c.* FROM " + t + " c LEFT JOIN " + p + " p ON " + String.join(" AND ", join)
                        + " WHERE c." + first + " IS NOT NULL AND p." + parentColumns[0].strip()
                        + " IS NULL LIMIT 10;\n"
                        + "SET SESSION foreign_key_checks = 0;\n"
                        + s.text()
                                .source()
                                .substring(s.text().codeStart(), s.text().codeEnd())
                                .strip() + ", " + online + ";\n"
                        + "SET SESSION foreign_key_checks = 1;",
                null);
    }

    /**
     * The safe SQL for a column change without an online path: the expand-contract steps in this
     * server's syntax, each of which the guard lets through (the contract step carries the allow
     * comments the {@code plan} command writes); {@code plan} prints the full plan with triggers
     * and batches. Other changes have no mechanical alternative: no SQL, only the advice in words.
     */
    private static Advice expandContract(MySqlStatement m) {
        DdlStatement s = m.ddl();
        if (m.operations().equals(List.of(OnlineDdlOperation.ADD_FOREIGN_KEY))
                && s.actions().size() == 1) {
            return foreignKeyWithoutChecks(m);
        }
        AlterAction a = s.actions().stream()
                .filter(x -> x.kind() == AlterAction.Kind.ALTER_COLUMN_TYPE && x.column() != null)
                .findFirst()
                .orElse(null);
        if (a == null
                || s.table() == null
                || a.definition() == null
                || a.definition().type() == null
                || s.actions().size() != 1) {
            return Advice.NONE;
        }
        String t = s.table().toSql();
        String col = a.column().toSql();
        String fresh = a.column().withSuffix("_new").toSql();
        String instant = m.flavour() == Flavour.MARIADB ? ", ALGORITHM=INSTANT, LOCK=NONE" : ", ALGORITHM=INSTANT";
        return new Advice(
                "-- expand\nALTER TABLE " + t + " ADD COLUMN " + fresh + " "
                        + a.definition().type() + instant + ";\n"
                        + "-- plus triggers copying " + col + " into " + fresh + " on INSERT and UPDATE\n"
                        + "-- migrate, in batches, until no row is left\nUPDATE " + t + " SET " + fresh + " = " + col
                        + " WHERE " + fresh + " IS NULL LIMIT 10000;\n"
                        + "-- contract, once the application accepts the new type\n"
                        + "/* ddlguard:allow drop-column replaced by "
                        + a.column().withSuffix("_new").text() + ", which holds the same values"
                        + " ddlguard:allow rename-column "
                        + a.column().withSuffix("_new").text() + " takes the name of the column it replaces */"
                        + " ALTER TABLE " + t + " DROP COLUMN " + col + ", RENAME COLUMN " + fresh + " TO " + col
                        + ", ALGORITHM=INSTANT;",
                null);
    }

    /**
     * Splices the clause where the statement takes it: after a comma at the end of an ALTER TABLE,
     * without commas at the end of CREATE INDEX; MariaDB's DROP INDEX takes none, so it becomes the
     * equivalent ALTER TABLE … DROP INDEX.
     */
    private static Rewrite withClause(MySqlStatement m, String clause) {
        DdlStatement s = m.ddl();
        // After the last code token, not after a trailing comment: behind "-- note" the clause would be commented out.
        int end = s.text().codeEnd();
        return switch (m.kind()) {
            case ALTER_TABLE -> Rewrite.insert(end, ", " + MySqlClauses.render(m.kind(), m.flavour(), clause), null);
            case CREATE_INDEX -> Rewrite.insert(end, " " + MySqlClauses.render(m.kind(), m.flavour(), clause), null);
            case DROP_INDEX -> {
                if (s.table() == null || s.names().isEmpty()) {
                    yield null;
                }
                if (m.flavour() == Flavour.MARIADB) {
                    // from DROP on: a SET STATEMENT lock_wait_timeout = 2 FOR before it stays (it was replaced too,
                    // and the rewritten drop waited with no bound of its own: an outside tester's find)
                    TokenCursor drop = StatementWords.after(s, "DROP", "INDEX");
                    int from = s.text().codeStart();
                    if (drop != null) {
                        drop.reset(drop.position() - 2);
                        from = drop.peek().start();
                    }
                    yield new Rewrite(
                            List.of(new TextEdit(
                                    from,
                                    end,
                                    MySqlClauses.dropIndexAsAlter(
                                            m.flavour(),
                                            (StatementWords.has(s, "IF", "EXISTS") ? "IF EXISTS " : "")
                                                    + s.names().get(0).toSql(),
                                            s.table().toSql() + MySqlClauses.waitClause(s),
                                            clause))),
                            List.of(),
                            null);
                }
                yield Rewrite.insert(end, " " + MySqlClauses.render(m.kind(), m.flavour(), clause), null);
            }
            default -> null;
        };
    }
}
