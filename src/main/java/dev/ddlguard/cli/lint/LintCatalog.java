package dev.ddlguard.cli.lint;

import dev.ddlguard.rules.Catalog;
import dev.ddlguard.rules.TableNames;
import dev.ddlguard.sql.AlterAction;
import dev.ddlguard.sql.AlterAction.Kind;
import dev.ddlguard.sql.Constraint;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.DdlStatement.Flag;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.StatementText;
import dev.ddlguard.sql.Token;
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

    /** What a file creates besides tables, by object type: see {@link TableState#kind}. */
    private static final Map<String, String> OTHER_KINDS =
            Map.of("VIEW", "v", "MATERIALIZED VIEW", "m", "SEQUENCE", "S", "TYPE", "T", "DOMAIN", "T");

    private static final Pattern ON_COMMIT_DROP = Pattern.compile("(?is).*\\bON\\s+COMMIT\\s+DROP\\b.*");

    private final boolean foldsCase;
    private final TableNames names;
    private final List<TableState> tables = new ArrayList<>();
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
        this.names = new TableNames(mysql ? SqlSyntax.MYSQL : SqlSyntax.POSTGRESQL, false);
        this.serverVersionNum = mysql || serverVersion <= 0 ? null : Integer.toString(serverVersion);
    }

    /** The isolation level the file set for the session (MySQL/MariaDB), as the server spells it; null: not set. */
    private String isolation;

    void isolation(String level) {
        this.isolation = level;
    }

    @Override
    public String setting(String name) {
        return switch (name) {
            case "server_version_num" -> serverVersionNum;
            case "tx_isolation", "transaction_isolation" -> isolation;
            default -> null;
        };
    }

    /** The schema unqualified names resolve in ({@link SessionState#schema()}); null: the session's default. */
    private String schema;

    /** The schema the next statement's unqualified names resolve in, as the script set it (search_path, USE). */
    void schema(String schema) {
        this.schema = schema;
    }

    @Override
    public String currentSchema() {
        return schema == null || schema.startsWith("\0") ? null : schema;
    }

    /** A table the scripts created, with what they did to it since. */
    private final class TableState {
        QualifiedName name;
        /** The schema it is in: its name's, else the one unqualified names resolved in when it was first named. */
        String schema;
        /** A temporary table: the session's own, until it ends (PostgreSQL: the transaction's, as lint counts). */
        boolean temporary;
        /**
         * Not a table: a view (v), materialized view (m) or sequence (S), which share the tables' names, or a type or
         * domain (T); null for a table.
         */
        String kind;
        /** A type or domain: a later statement on something else names it (a column may use it). */
        boolean mentioned;

        final int file;
        final int transaction;
        final boolean partitioned;
        boolean dropped;
        final Map<String, ConstraintState> constraints = new LinkedHashMap<>();

        TableState(QualifiedName name, int file, int transaction, boolean partitioned) {
            this.name = name;
            this.schema = schemaOf(name);
            this.file = file;
            this.transaction = transaction;
            this.partitioned = partitioned;
        }
    }

    private record ConstraintState(String kind, boolean validated, String check, int transaction) {}

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
        mentionedTypes(ddl);
        String otherKind = ddl.objectType() == null ? null : OTHER_KINDS.get(ddl.objectType());
        if (otherKind != null && (ddl.verb() == Verb.CREATE || ddl.verb() == Verb.DROP)) {
            others(ddl, otherKind);
        } else if (ddl.is(Verb.CREATE, "TABLE") && ddl.table() != null && ddl.has(Flag.TEMPORARY)) {
            if (transaction != NO_TRANSACTION
                    || !ON_COMMIT_DROP.matcher(ddl.code()).matches()) {
                TableState t = new TableState(ddl.table(), file, transaction, false);
                t.temporary = true;
                if (!foldsCase && ddl.table().schema() == null) {
                    t.schema = "pg_temp"; // PostgreSQL's temporary schema, found before any other
                }
                tables.add(t);
            }
        } else if (ddl.is(Verb.CREATE, "TABLE") && ddl.table() != null) {
            TableState existing = table(ddl.table(), false);
            boolean known = existing != null && !existing.dropped;
            // IF NOT EXISTS creates the table unless something earlier says it exists: a table the folder never
            // mentioned is taken as created here (the driver, at run time, asks the database whether it was there).
            if (!ddl.has(Flag.IF_NOT_EXISTS) || !known) {
                tables.remove(existing);
                tables.add(new TableState(
                        ddl.table(),
                        file,
                        transaction,
                        PARTITION_BY.matcher(ddl.code()).matches()));
            }
        } else if (ddl.is(Verb.DROP, "TABLE")) {
            for (QualifiedName name : ddl.names()) {
                TableState t = table(name);
                if (t != null) {
                    t.dropped = true;
                } else {
                    TableState gone = new TableState(name, file, NO_TRANSACTION, false);
                    gone.dropped = true;
                    tables.add(gone);
                }
                indexes.values().removeIf(i -> same(i.table(), name));
            }
        } else if (ddl.is(Verb.CREATE, "INDEX") && !ddl.names().isEmpty() && ddl.table() != null) {
            indexes.put(key(ddl.names().get(0).name()), new IndexState(ddl.table(), ddl.has(Flag.UNIQUE)));
        } else if (ddl.is(Verb.DROP, "INDEX")) {
            ddl.names().forEach(n -> indexes.remove(key(n.name())));
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
                TableState t = name == null ? null : table(name);
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
        TableState existing = table(name, false);
        if (!ddl.has(Flag.IF_NOT_EXISTS) || existing == null || existing.dropped) {
            tables.remove(existing);
            TableState t = new TableState(name, file, transaction, false);
            t.kind = kind;
            tables.add(t);
        }
    }

    /** A statement on something else that names a type or domain of this file: a column may now use it. */
    private void mentionedTypes(DdlStatement ddl) {
        for (TableState t : tables) {
            if ("T".equals(t.kind)
                    && !t.dropped
                    && !t.mentioned
                    && !(OTHER_KINDS.containsKey(String.valueOf(ddl.objectType()))
                            && !ddl.names().isEmpty()
                            && ddl.names().get(0) != null
                            && same(ddl.names().get(0), t.name))
                    && Pattern.compile("(?i)(?<![\\w$])"
                                    + Pattern.quote(t.name.name().text()) + "(?![\\w$])")
                            .matcher(ddl.sql())
                            .find()) {
                t.mentioned = true;
            }
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
        TableState t = table(name);
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
                TableState t = from == null ? null : table(from);
                if (t != null) {
                    t.name = from.schema() == null
                            ? new QualifiedName(List.of(a.newName()))
                            : new QualifiedName(List.of(from.schema(), a.newName()));
                }
                continue;
            }
            TableState t = ddl.table() == null ? null : table(ddl.table());
            if (t == null) {
                // a table the scripts did not create: remember what is added to it all the same
                if (ddl.table() == null || a.kind() != Kind.ADD_CONSTRAINT) {
                    continue;
                }
                t = new TableState(ddl.table(), 0, NO_TRANSACTION, false);
                tables.add(t);
            }
            switch (a.kind()) {
                case ADD_CONSTRAINT -> added(t, ddl, a, rewrittenSql);
                case VALIDATE_CONSTRAINT -> {
                    ConstraintState c = a.column() == null ? null : t.constraints.get(key(a.column()));
                    if (c != null) {
                        t.constraints.put(
                                key(a.column()), new ConstraintState(c.kind(), true, c.check(), c.transaction()));
                    }
                }
                case DROP_CONSTRAINT -> {
                    if (a.column() != null) {
                        t.constraints.remove(key(a.column()));
                    }
                }
                default -> {}
            }
        }
    }

    private void added(TableState t, DdlStatement ddl, AlterAction a, String rewrittenSql) {
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
        String check = "CHECK".equals(k.kind()) ? checkDefinition(ddl.text(), a) : null;
        t.constraints.put(key(k.name()), new ConstraintState(k.kind(), validated, check, transaction));
    }

    /**
     * The CHECK's expression as PostgreSQL prints it in pg_get_constraintdef, for the simple forms a rule
     * compares: {@code CHECK ((a IS NOT NULL))} (unquoted names folded, keywords upper case, single spaces).
     */
    private String checkDefinition(StatementText text, AlterAction a) {
        StringBuilder expression = new StringBuilder();
        int depth = 0;
        boolean afterCheck = false;
        for (Token token : text.tokens()) {
            if (token.start() < a.start() || token.end() > a.end() || token.isComment()) {
                continue;
            }
            String word = token.text(text.source());
            if (!afterCheck) {
                afterCheck = word.equalsIgnoreCase("CHECK");
                continue;
            }
            if (word.equals("(")) {
                depth++;
            } else if (word.equals(")")) {
                depth--;
            }
            expression.append(expression.length() == 0 ? "" : " ").append(folded(word));
            if (depth == 0) {
                break;
            }
        }
        String e = expression.toString().replace("( ", "(").replace(" )", ")");
        return e.isEmpty() ? null : "CHECK (" + e + ")";
    }

    private static String folded(String word) {
        if (word.startsWith("\"")) {
            return word;
        }
        String upper = word.toUpperCase(Locale.ROOT);
        return upper.equals("IS") || upper.equals("NOT") || upper.equals("NULL")
                ? upper
                : word.toLowerCase(Locale.ROOT);
    }

    /** Whether a file of the folder created the table (and none dropped it since): as far as the folder goes, it exists. */
    boolean createdByFolder(QualifiedName table) {
        TableState t = table(table);
        return t != null && t.file > 0 && !t.dropped && !t.temporary && t.kind == null;
    }

    // ---- the Catalog questions

    @Override
    public boolean createdInThisTransaction(QualifiedName table) {
        TableState t = table(table);
        return t != null
                && !t.dropped
                && t.file == file
                && transaction != NO_TRANSACTION
                && t.transaction == transaction;
    }

    @Override
    public boolean createdInThisRun(QualifiedName table) {
        TableState t = table(table);
        return t != null && !t.dropped && t.file == file && t.file > 0;
    }

    @Override
    public Boolean exists(String objectType, QualifiedName relation) {
        if ("INDEX".equals(objectType)) {
            return indexes.containsKey(key(relation.name())) ? Boolean.TRUE : null;
        }
        return "TABLE".equals(objectType) ? relationExists(relation) : null;
    }

    @Override
    public Boolean relationExists(QualifiedName name) {
        TableState t = table(name);
        return t == null || t.file == 0 ? null : !t.dropped;
    }

    @Override
    public String relationKind(QualifiedName table) {
        TableState t = table(table);
        if (t != null && t.file > 0 && !t.dropped) {
            return t.kind != null ? ("T".equals(t.kind) ? null : t.kind) : t.partitioned ? "p" : "r";
        }
        return indexes.containsKey(key(table.name())) ? "i" : null;
    }

    @Override
    public QualifiedName tableOfIndex(QualifiedName index) {
        IndexState i = indexes.get(key(index.name()));
        return i == null ? null : i.table();
    }

    @Override
    public Boolean isUniqueIndex(QualifiedName table, Identifier index) {
        IndexState i = indexes.get(key(index));
        return i == null || !same(i.table(), table) ? null : i.unique();
    }

    @Override
    public List<String> validatedChecks(QualifiedName table) {
        TableState t = table(table);
        if (t == null || t.dropped) {
            return List.of();
        }
        return t.constraints.values().stream()
                .filter(c -> c.validated() && c.check() != null)
                .map(ConstraintState::check)
                .toList();
    }

    @Override
    public String constraintKind(QualifiedName table, Identifier constraint) {
        TableState t = table(table);
        ConstraintState c = t == null || t.dropped ? null : t.constraints.get(key(constraint));
        return c == null ? null : c.kind();
    }

    @Override
    public Set<String> constraintNames(QualifiedName table) {
        TableState t = table(table);
        return t == null || t.dropped ? Set.of() : new LinkedHashSet<>(t.constraints.keySet());
    }

    @Override
    public boolean constraintCreatedInThisTransaction(QualifiedName table, Identifier constraint) {
        TableState t = table(table);
        ConstraintState c = t == null || t.dropped ? null : t.constraints.get(key(constraint));
        return c != null && transaction != NO_TRANSACTION && c.transaction() == transaction;
    }

    // ---- names

    private TableState table(QualifiedName name) {
        return table(name, true);
    }

    /**
     * The table a name means now: a temporary table of the session first (it hides a permanent one of the same
     * name: PostgreSQL searches pg_temp first, MySQL/MariaDB take the temporary one), then the others.
     */
    private TableState table(QualifiedName name, boolean temporaryFirst) {
        String in = schemaOf(name);
        String key = tableKey(name.name());
        if (temporaryFirst) {
            for (int i = tables.size() - 1; i >= 0; i--) {
                TableState t = tables.get(i);
                if (t.temporary
                        && !t.dropped
                        && alive(t)
                        && (t.schema.equals(in) || (name.schema() == null && t.schema.equals("pg_temp")))
                        && tableKey(t.name.name()).equals(key)) {
                    return t;
                }
            }
        }
        for (int i = tables.size() - 1; i >= 0; i--) {
            TableState t = tables.get(i);
            if (!t.temporary && t.schema.equals(in) && tableKey(t.name.name()).equals(key)) {
                return t;
            }
        }
        return null;
    }

    /**
     * A temporary table lives as long as its session, here the file; one created in a transaction block is counted
     * for that transaction only (a ROLLBACK takes it back, ON COMMIT DROP drops it), then forgotten: the name then
     * means the permanent table again, as far as lint can tell.
     */
    private boolean alive(TableState t) {
        return t.file == file && (t.transaction == NO_TRANSACTION || t.transaction == transaction);
    }

    @Override
    public boolean isTemporary(QualifiedName table) {
        TableState t = table(table);
        return t != null && t.temporary;
    }

    /**
     * The same table: the same name in the same schema, an unqualified name taken in the schema the script set (a
     * qualified name and an unqualified one differ while the script set none: the search path is unknown).
     */
    private boolean same(QualifiedName a, QualifiedName b) {
        return tableKey(a.name()).equals(tableKey(b.name())) && schemaOf(a).equals(schemaOf(b));
    }

    /** The schema a name is in, as a key: its own, else the current one ("\0" and a number: one lint cannot name). */
    private String schemaOf(QualifiedName name) {
        if (name.schema() != null) {
            return tableKey(name.schema());
        }
        return schema == null ? "\0default" : schema;
    }

    /**
     * A table or schema name as the server compares it: PostgreSQL folds unquoted names to lower case; MySQL/MariaDB
     * compare them exactly unless lower_case_table_names says otherwise, which lint does not know: exactly (only the
     * very spelling is the same table, the safe side for the exemptions of new tables).
     */
    private String tableKey(Identifier id) {
        return names.part(id);
    }

    /** Index and constraint names: PostgreSQL folds unquoted names; MySQL compares them without case. */
    private String key(Identifier id) {
        return id.quoted() && !foldsCase ? id.text() : id.text().toLowerCase(Locale.ROOT);
    }
}
