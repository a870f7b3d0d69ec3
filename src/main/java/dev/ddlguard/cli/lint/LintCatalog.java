package dev.ddlguard.cli.lint;

import dev.ddlguard.rules.Catalog;
import dev.ddlguard.sql.AlterAction;
import dev.ddlguard.sql.AlterAction.Kind;
import dev.ddlguard.sql.Constraint;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.DdlStatement.Flag;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.Verb;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The schema the linted scripts build, statement by statement, answering the {@link Catalog} questions the
 * rules ask as the live catalog would at run time, as far as the scripts tell.
 *
 * <p>The assumption about earlier files: each file is deployed by a run of its own (the usual case in
 * review: the earlier migrations ran in earlier deploys). So a table an earlier file created exists, with
 * an unknown size and known to deployed code, and is judged like any existing table; a table the same file
 * created is new, as the driver sees it: created in this transaction (PostgreSQL, while the tool's or the
 * script's transaction that created it is open) or created in this run (the driver's
 * {@code createdInThisRun}: the same migration run, e.g. MySQL, or a script Flyway runs without a
 * transaction). What the scripts never mention stays unknown, as {@link Catalog#OFFLINE} answers.
 */
final class LintCatalog implements Catalog {

    /** A transaction number no statement has: the statement runs outside one. */
    static final int NO_TRANSACTION = -1;

    private static final Pattern PARTITION_BY = Pattern.compile("(?is).*\\)\\s*PARTITION\\s+BY\\s.*");

    /** What a file creates besides tables, by object type: see {@link ScriptTable#kind}. */
    private static final Map<String, String> OTHER_KINDS =
            Map.of("VIEW", "v", "MATERIALIZED VIEW", "m", "SEQUENCE", "S", "TYPE", "T", "DOMAIN", "T");

    private static final Pattern ON_COMMIT_DROP = Pattern.compile("(?is).*\\bON\\s+COMMIT\\s+DROP\\b.*");

    private final boolean foldsCase;
    private final ScriptNames names;
    private final List<ScriptTable> tables = new ArrayList<>();
    private final Map<String, IndexState> indexes = new LinkedHashMap<>();
    private int file;
    private int transaction = NO_TRANSACTION;

    /** The version judged against, as PostgreSQL's server_version_num; null for MySQL/MariaDB or when unknown. */
    private final String serverVersionNum;

    /** @param mysql whether the scripts are MySQL's or MariaDB's (names compare as {@link #tableKey} says) */
    LintCatalog(boolean mysql) {
        this(mysql, 0);
    }

    /**
     * @param serverVersion the PostgreSQL version lint judges against ({@code --target-version}, as server_version_num),
     *                      0 for the newest: the lock model asks it for the locks that changed between versions
     */
    LintCatalog(boolean mysql, int serverVersion) {
        this.foldsCase = mysql;
        this.names = new ScriptNames(mysql);
        this.serverVersionNum = mysql || serverVersion <= 0 ? null : Integer.toString(serverVersion);
    }

    /** The isolation level the file set for the session (MySQL/MariaDB), as the server spells it; null: not set. */
    private String isolation;

    void isolation(String level) {
        this.isolation = level;
    }

    /** PostgreSQL: the time zone the file set for the session; null: not set. */
    private String timeZone;

    void timeZone(String zone) {
        this.timeZone = zone;
    }

    /** The settings a file may set for its own session: a preflight takes the file's value over the live session's. */
    static final Set<String> SESSION_SETTINGS = Set.of("tx_isolation", "transaction_isolation", "TimeZone");

    @Override
    public String setting(String name) {
        return switch (name) {
            case "server_version_num" -> serverVersionNum;
            case "tx_isolation", "transaction_isolation" -> isolation;
            case "TimeZone" -> timeZone;
            default -> null;
        };
    }

    /** The schema the next statement's unqualified names resolve in, as the script set it (search_path, USE). */
    void schema(String schema) {
        names.schema(schema);
    }

    @Override
    public String currentSchema() {
        return names.currentSchema();
    }

    private record IndexState(QualifiedName table, boolean unique) {}

    /** The next file starts: a run of its own. */
    void startFile() {
        file++;
    }

    /** The transaction the next statement runs in (a number that changes with each new transaction), or {@link #NO_TRANSACTION}. */
    void runningIn(int transaction) {
        this.transaction = transaction;
    }

    // ---- what the scripts did

    /**
     * Takes note of a statement as it ran (its rewrite, when the guard sends one).
     *
     * @param rewrittenSql what the guard sends instead, follow-ups included, or null
     */
    void record(DdlStatement ddl, String rewrittenSql) {
        if (ddl == null || ddl.opaque() != null) {
            return;
        }
        ScriptTable.noteMentions(tables, names, ddl, OTHER_KINDS.keySet());
        String otherKind = ddl.objectType() == null ? null : OTHER_KINDS.get(ddl.objectType());
        if (otherKind != null && (ddl.verb() == Verb.CREATE || ddl.verb() == Verb.DROP)) {
            others(ddl, otherKind);
        } else if (ddl.is(Verb.CREATE, "TABLE") && ddl.table() != null && ddl.has(Flag.TEMPORARY)) {
            if (transaction != NO_TRANSACTION
                    || !ON_COMMIT_DROP.matcher(ddl.code()).matches()) {
                ScriptTable t = new ScriptTable(ddl.table(), names, file, transaction, false);
                t.temporary = true;
                if (!foldsCase && ddl.table().schema() == null) {
                    t.schema = "pg_temp"; // PostgreSQL's temporary schema, found before any other
                }
                tables.add(t);
            }
        } else if (ddl.is(Verb.CREATE, "TABLE") && ddl.table() != null) {
            ScriptTable existing = table(ddl.table(), false);
            boolean known = existing != null && !existing.dropped;
            // IF NOT EXISTS creates the table unless something earlier says it exists: a table the folder never
            // mentioned is taken as created here (the driver, at run time, asks the database whether it was there).
            if (!ddl.has(Flag.IF_NOT_EXISTS) || !known) {
                tables.remove(existing);
                tables.add(new ScriptTable(
                        ddl.table(),
                        names,
                        file,
                        transaction,
                        PARTITION_BY.matcher(ddl.code()).matches()));
            }
        } else if (ddl.is(Verb.DROP, "TABLE")) {
            for (QualifiedName name : ddl.names()) {
                ScriptTable t = table(name);
                if (t != null) {
                    t.dropped = true;
                } else {
                    ScriptTable gone = new ScriptTable(name, names, file, NO_TRANSACTION, false);
                    gone.dropped = true;
                    tables.add(gone);
                }
                indexes.values().removeIf(i -> names.same(i.table(), name));
            }
        } else if (ddl.is(Verb.CREATE, "INDEX") && !ddl.names().isEmpty() && ddl.table() != null) {
            indexes.put(names.key(ddl.names().get(0).name()), new IndexState(ddl.table(), ddl.has(Flag.UNIQUE)));
        } else if (ddl.is(Verb.DROP, "INDEX")) {
            ddl.names().forEach(n -> indexes.remove(names.key(n.name())));
        } else if (ddl.verb() == Verb.ALTER || ddl.verb() == Verb.RENAME) {
            altered(ddl, rewrittenSql);
        }
    }

    /**
     * A plain CREATE of a view, materialized view, sequence, type or domain makes one of this file (as the driver
     * records them; IF NOT EXISTS as for a table); OR REPLACE may replace one deployed code uses, TEMPORARY is the
     * session's: neither is recorded. A DROP forgets them.
     */
    private void others(DdlStatement ddl, String kind) {
        if (ddl.verb() == Verb.DROP) {
            for (QualifiedName name : ddl.names()) {
                ScriptTable t = name == null ? null : table(name);
                if (t != null) {
                    t.dropped = true;
                }
            }
            return;
        }
        QualifiedName name = ddl.names().isEmpty() ? null : ddl.names().get(0);
        if (name == null || ddl.has(Flag.OR_REPLACE) || ddl.has(Flag.TEMPORARY)) {
            return;
        }
        ScriptTable existing = table(name, false);
        if (!ddl.has(Flag.IF_NOT_EXISTS) || existing == null || existing.dropped) {
            tables.remove(existing);
            ScriptTable t = new ScriptTable(name, names, file, transaction, false);
            t.kind = kind;
            tables.add(t);
        }
    }

    /**
     * A type or domain this file created that no later statement of the file named: no table column uses it (the
     * domain rule then knows nothing is scanned). Otherwise unknown, as offline.
     */
    @Override
    public List<String> dependents(String objectType, QualifiedName name) {
        if (!"DOMAIN".equals(objectType) && !"TYPE".equals(objectType)) {
            return null;
        }
        ScriptTable t = table(name);
        return t != null && "T".equals(t.kind) && !t.dropped && !t.mentioned && t.file == file ? List.of() : null;
    }

    private void altered(DdlStatement ddl, String rewrittenSql) {
        List<AlterAction> actions = ddl.actions();
        for (int i = 0; i < actions.size(); i++) {
            AlterAction a = actions.get(i);
            if (a.kind() == Kind.RENAME_TABLE && a.newName() != null) {
                QualifiedName from =
                        ddl.verb() == Verb.RENAME && i < ddl.names().size()
                                ? ddl.names().get(i)
                                : ddl.table();
                ScriptTable t = from == null ? null : table(from);
                if (t != null) {
                    t.name = from.schema() == null
                            ? new QualifiedName(List.of(a.newName()))
                            : new QualifiedName(List.of(from.schema(), a.newName()));
                }
                continue;
            }
            ScriptTable t = ddl.table() == null ? null : table(ddl.table());
            if (t == null) {
                // a table the scripts did not create: remember what is added to it all the same
                if (ddl.table() == null || a.kind() != Kind.ADD_CONSTRAINT) {
                    continue;
                }
                t = new ScriptTable(ddl.table(), names, 0, NO_TRANSACTION, false);
                tables.add(t);
            }
            switch (a.kind()) {
                case ADD_CONSTRAINT -> added(t, ddl, a, rewrittenSql);
                case VALIDATE_CONSTRAINT -> {
                    ScriptTable.Constraint c = a.column() == null ? null : t.constraints.get(names.key(a.column()));
                    if (c != null) {
                        t.constraints.put(
                                names.key(a.column()),
                                new ScriptTable.Constraint(c.kind(), true, c.check(), c.transaction()));
                    }
                }
                case DROP_CONSTRAINT -> {
                    if (a.column() != null) {
                        t.constraints.remove(names.key(a.column()));
                    }
                }
                default -> {}
            }
        }
    }

    private void added(ScriptTable t, DdlStatement ddl, AlterAction a, String rewrittenSql) {
        Constraint k = a.constraintDef();
        if (k == null || k.name() == null) {
            return; // PostgreSQL makes a name up; the guard's rewrite names it, and the rewrite is what is recorded
        }
        // The guard's NOT VALID rewrite validates in a follow-up: the constraint ends up validated.
        boolean validated = !k.notValid()
                || (rewrittenSql != null
                        && rewrittenSql
                                .toUpperCase(Locale.ROOT)
                                .contains("VALIDATE CONSTRAINT "
                                        + k.name().toSql().toUpperCase(Locale.ROOT)));
        String check = "CHECK".equals(k.kind()) ? CheckDefinitions.of(ddl.text(), a) : null;
        t.constraints.put(names.key(k.name()), new ScriptTable.Constraint(k.kind(), validated, check, transaction));
    }

    /** Whether a file of the folder created the table (and none dropped it since): as far as the folder goes, it exists. */
    boolean createdByFolder(QualifiedName table) {
        ScriptTable t = table(table);
        return t != null && t.file > 0 && !t.dropped && !t.temporary && t.kind == null;
    }

    // ---- the Catalog questions

    @Override
    public boolean createdInThisTransaction(QualifiedName table) {
        ScriptTable t = table(table);
        return t != null
                && !t.dropped
                && t.file == file
                && transaction != NO_TRANSACTION
                && t.transaction == transaction;
    }

    @Override
    public boolean createdInThisRun(QualifiedName table) {
        ScriptTable t = table(table);
        return t != null && !t.dropped && t.file == file && t.file > 0;
    }

    @Override
    public Boolean exists(String objectType, QualifiedName relation) {
        if ("INDEX".equals(objectType)) {
            return indexes.containsKey(names.key(relation.name())) ? Boolean.TRUE : null;
        }
        return "TABLE".equals(objectType) ? relationExists(relation) : null;
    }

    @Override
    public Boolean relationExists(QualifiedName name) {
        ScriptTable t = table(name);
        return t == null || t.file == 0 ? null : !t.dropped;
    }

    @Override
    public String relationKind(QualifiedName table) {
        ScriptTable t = table(table);
        if (t != null && t.file > 0 && !t.dropped) {
            return t.kind != null ? ("T".equals(t.kind) ? null : t.kind) : t.partitioned ? "p" : "r";
        }
        return indexes.containsKey(names.key(table.name())) ? "i" : null;
    }

    @Override
    public QualifiedName tableOfIndex(QualifiedName index) {
        IndexState i = indexes.get(names.key(index.name()));
        return i == null ? null : i.table();
    }

    @Override
    public Boolean isUniqueIndex(QualifiedName table, Identifier index) {
        IndexState i = indexes.get(names.key(index));
        return i == null || !names.same(i.table(), table) ? null : i.unique();
    }

    @Override
    public List<String> validatedChecks(QualifiedName table) {
        ScriptTable t = table(table);
        if (t == null || t.dropped) {
            return List.of();
        }
        return t.constraints.values().stream()
                .filter(c -> c.validated() && c.check() != null)
                .map(ScriptTable.Constraint::check)
                .toList();
    }

    @Override
    public String constraintKind(QualifiedName table, Identifier constraint) {
        ScriptTable t = table(table);
        ScriptTable.Constraint c = t == null || t.dropped ? null : t.constraints.get(names.key(constraint));
        return c == null ? null : c.kind();
    }

    @Override
    public Set<String> constraintNames(QualifiedName table) {
        ScriptTable t = table(table);
        return t == null || t.dropped ? Set.of() : new LinkedHashSet<>(t.constraints.keySet());
    }

    @Override
    public boolean constraintCreatedInThisTransaction(QualifiedName table, Identifier constraint) {
        ScriptTable t = table(table);
        ScriptTable.Constraint c = t == null || t.dropped ? null : t.constraints.get(names.key(constraint));
        return c != null && transaction != NO_TRANSACTION && c.transaction() == transaction;
    }

    // ---- names

    private ScriptTable table(QualifiedName name) {
        return table(name, true);
    }

    private ScriptTable table(QualifiedName name, boolean temporaryFirst) {
        return ScriptTable.find(tables, names, name, temporaryFirst, file, transaction);
    }

    @Override
    public boolean isTemporary(QualifiedName table) {
        ScriptTable t = table(table);
        return t != null && t.temporary;
    }
}
