package dev.ddlguard.rules;

import dev.ddlguard.rules.Catalog.TableSize;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.QualifiedName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The catalog a case row describes in its {@code given} column, answering the {@link Catalog} questions as
 * a live database with those facts would; everything else is unknown, as {@link Catalog#OFFLINE} answers.
 * Facts, comma-separated (names as SQL: {@code "Orders"}, {@code app.orders}):
 * <ul>
 *   <li>{@code in-transaction}: the statement runs inside a transaction block (default: autocommit)</li>
 *   <li>{@code orders rows=1000000 bytes=80000000}: the table's size</li>
 *   <li>{@code new-schema stage2}: a schema (MySQL: database) created plainly earlier in this migration run;
 *       {@code new orders}: created earlier in this migration run; {@code new-in-transaction orders}: by the open transaction;
 *       {@code temporary tt}: the name resolves to a temporary table of the session</li>
 *   <li>{@code waiting orders}: another session holds ROW EXCLUSIVE on the table (it wrote to it) in an open transaction</li>
 *   <li>{@code constraint orders.orders_ck CHECK}: the table's constraint and its kind;
 *       {@code new-constraint orders.orders_fk}: added by the open transaction</li>
 *   <li>{@code column orders.amount integer}: the column's current type (it exists); {@code no-column orders.zz}: the
 *       table has no such column; {@code fill orders.id generated}: what
 *       fills it when an insert leaves it out ({@link Catalog#columnFill})</li>
 *   <li>{@code partitioned events}, {@code kind open_orders v}: the relation's kind (pg_class.relkind);
 *       {@code default-partition events}: the partitioned table has a DEFAULT partition</li>
 *   <li>{@code check orders.note}: a validated {@code CHECK (note IS NOT NULL)}</li>
 *   <li>{@code index orders.orders_a_idx}: the index belongs to the table (DROP INDEX asks which table it locks);
 *       {@code unique-index orders.orders_ref_idx}: a unique index of the table, its columns NOT NULL;
 *       {@code nullable-index orders.orders_id_idx id}: an index whose columns may hold NULL</li>
 *   <li>{@code dependents positive column orders.amount; column refunds.amount}: what dropping or checking the object
 *       reaches ({@code -} for nothing)</li>
 *   <li>{@code checked-domain posint}: the type (as a column definition writes it) is a domain with a CHECK or NOT
 *       NULL; {@code volatile-domain rnd}: a domain whose DEFAULT calls a volatile function; {@code engine orders
 *       MyISAM}: the table's storage engine</li>
 *   <li>{@code exists orders}, {@code absent orders}: the relation exists, does not; {@code refreshable order_totals}: REFRESH … CONCURRENTLY can run</li>
 *   <li>{@code columns open_orders id note}: the relation's column names, in order ({@code ;} between them when one
 *       holds a space)</li>
 * </ul>
 */
public final class CaseCatalog implements Catalog {

    private final boolean foldsCase;
    private boolean inTransaction;
    private final Map<String, TableSize> sizes = new HashMap<>();
    private final Set<String> newInRun = new HashSet<>();
    private final Set<String> newSchemas = new HashSet<>();
    private final Set<String> newInTransaction = new HashSet<>();
    private final Set<String> temporary = new HashSet<>();
    private final Set<String> checkedDomains = new HashSet<>();
    private final Set<String> volatileDomains = new HashSet<>();
    private final Map<String, String> engines = new HashMap<>();
    private final Set<String> waiting = new HashSet<>();
    private final Map<String, String> constraints = new HashMap<>();
    private final Set<String> newConstraints = new HashSet<>();
    private final Map<String, String> columnTypes = new HashMap<>();
    private final Set<String> noColumns = new HashSet<>();
    private final Map<String, String> fills = new HashMap<>();
    private final Map<String, String> kinds = new HashMap<>();
    private final Map<String, List<String>> checks = new HashMap<>();
    private final Set<String> uniqueIndexes = new HashSet<>();
    private final Map<String, QualifiedName> indexTables = new HashMap<>();
    private final Map<String, List<String>> nullableIndexes = new HashMap<>();
    private final Set<String> existing = new HashSet<>();
    private final Set<String> absent = new HashSet<>();
    private final Set<String> defaultPartitions = new HashSet<>();
    private final Set<String> refreshable = new HashSet<>();
    private final Map<String, List<String>> dependents = new HashMap<>();
    private final Map<String, String> settings = new HashMap<>();
    private final Map<String, List<String>> columnNames = new HashMap<>();

    public CaseCatalog(RuleCase c) {
        this.foldsCase = c.target().equals("mysql") || c.target().equals("mariadb");
        for (String fact : c.facts()) {
            String[] w = fact.strip().split("\\s+", 3);
            if (w.length
                    < (w[0].equals("in-transaction")
                            ? 1
                            : w[0].matches(
                                            "constraint|column|columns|fill|kind|nullable-index|dependents|setting|engine")
                                    ? 3
                                    : 2)) {
                throw new IllegalArgumentException(c.file() + ": a fact lacks its name or value: '" + fact + "'");
            }
            switch (w[0]) {
                case "in-transaction" -> inTransaction = true;
                case "new" -> newInRun.add(key(w[1]));
                case "new-schema" -> newSchemas.add(key(w[1]));
                case "new-in-transaction" -> {
                    newInTransaction.add(key(w[1]));
                    newInRun.add(key(w[1]));
                }
                case "temporary" -> temporary.add(key(w[1]));
                case "checked-domain" -> checkedDomains.add(w[1].toLowerCase(Locale.ROOT));
                case "volatile-domain" -> volatileDomains.add(w[1].toLowerCase(Locale.ROOT));
                case "engine" -> engines.put(key(w[1]), w[2]);
                case "waiting" -> waiting.add(key(w[1]));
                case "constraint" -> constraints.put(partKey(w[1]), w[2].toUpperCase(Locale.ROOT));
                case "new-constraint" -> newConstraints.add(partKey(w[1]));
                case "column" -> columnTypes.put(partKey(w[1]), w[2]);
                case "no-column" -> noColumns.add(partKey(w[1]));
                case "fill" -> fills.put(partKey(w[1]), w[2]);
                case "partitioned" -> kinds.put(key(w[1]), "p");
                case "default-partition" -> defaultPartitions.add(key(w[1]));
                case "kind" -> kinds.put(key(w[1]), w[2]);
                case "check" -> {
                    List<Identifier> parts = name(w[1]).parts();
                    checks.computeIfAbsent(
                                    key(new QualifiedName(parts.subList(0, parts.size() - 1))), k -> new ArrayList<>())
                            .add("CHECK ((" + parts.get(parts.size() - 1).toSql() + " IS NOT NULL))");
                }
                case "index" -> {
                    List<Identifier> parts = name(w[1]).parts();
                    indexTables.put(
                            key(parts.get(parts.size() - 1)), new QualifiedName(parts.subList(0, parts.size() - 1)));
                }
                case "unique-index" -> uniqueIndexes.add(partKey(w[1]));
                case "nullable-index" -> nullableIndexes.put(partKey(w[1]), List.of(w[2].split("\\s+")));
                case "exists" -> existing.add(key(w[1]));
                case "absent" -> absent.add(key(w[1]));
                case "refreshable" -> refreshable.add(key(w[1]));
                case "columns" ->
                    columnNames.put(key(w[1]), List.of(w[2].split(w[2].contains(";") ? "\\s*;\\s*" : "\\s+")));
                case "setting" -> settings.put(w[1], w[2]);
                case "dependents" ->
                    dependents.put(key(w[1]), w[2].equals("-") ? List.of() : List.of(w[2].split("\\s*;\\s*")));
                default -> {
                    if (w.length >= 2 && (w[1].startsWith("rows=") || w[1].startsWith("bytes="))) {
                        sizes.put(key(w[0]), size(fact));
                    } else {
                        throw new IllegalArgumentException(c.file() + ": unknown fact '" + fact + "'");
                    }
                }
            }
        }
    }

    public boolean inTransaction() {
        return inTransaction;
    }

    /** A session setting as the server's {@code @@SESSION.name} answers, set by a fact or by a SET of the advice. */
    public void set(String name, String value) {
        settings.put(name, value);
    }

    @Override
    public String setting(String name) {
        return settings.get(name);
    }

    private static TableSize size(String fact) {
        Long rows = null;
        Long bytes = null;
        for (String part : fact.strip().split("\\s+")) {
            if (part.startsWith("rows=")) {
                rows = Long.parseLong(part.substring(5));
            } else if (part.startsWith("bytes=")) {
                bytes = Long.parseLong(part.substring(6));
            }
        }
        return new TableSize(rows, bytes, rows == null ? null : rows == 0);
    }

    // ---- names: a fact's name and the judge's are compared as the database would (unquoted names fold)

    private static QualifiedName name(String sql) {
        QualifiedName name = QualifiedName.fromSql(sql);
        if (name == null) {
            throw new IllegalArgumentException("not a name: " + sql);
        }
        return name;
    }

    private String key(String sql) {
        return key(name(sql));
    }

    /** {@code orders.orders_ck}: a table's constraint, column or index. */
    private String partKey(String sql) {
        List<Identifier> parts = name(sql).parts();
        return key(new QualifiedName(parts.subList(0, parts.size() - 1)), parts.get(parts.size() - 1));
    }

    /** The name's own part, folded; a schema the fact or the statement leaves out matches any (the search path is unknown). */
    private String key(QualifiedName name) {
        // PgLockQueue asks with the whole SQL text as one unquoted part ("app.orders", "\"Orders\"")
        if (name.parts().size() == 1 && !name.name().quoted()) {
            QualifiedName parsed = QualifiedName.fromSql(name.name().text());
            name = parsed == null ? name : parsed;
        }
        return key(name.name());
    }

    private String key(Identifier id) {
        return id.quoted() && !foldsCase ? id.text() : id.text().toLowerCase(Locale.ROOT);
    }

    private String key(QualifiedName table, Identifier part) {
        return key(table) + "." + key(part);
    }

    // ---- the Catalog questions

    @Override
    public TableSize tableSize(QualifiedName table) {
        return sizes.getOrDefault(key(table), TableSize.UNKNOWN);
    }

    @Override
    public QualifiedName tableOfIndex(QualifiedName index) {
        return indexTables.get(key(index.name()));
    }

    @Override
    public boolean createdInThisRun(QualifiedName table) {
        return newInRun.contains(key(table));
    }

    @Override
    public boolean schemaCreatedInThisRun(QualifiedName schema) {
        return newSchemas.contains(key(schema));
    }

    @Override
    public boolean isTemporary(QualifiedName table) {
        return temporary.contains(key(table));
    }

    @Override
    public boolean createdInThisTransaction(QualifiedName table) {
        return newInTransaction.contains(key(table));
    }

    @Override
    public List<Session> lockHolders(QualifiedName table) {
        return waiting.contains(key(table)) ? List.of(holder()) : List.of();
    }

    @Override
    public List<Session> openTransactions() {
        return waiting.isEmpty() ? List.of() : List.of(holder());
    }

    private static Session holder() {
        return new Session(
                4242,
                "idle in transaction",
                600L,
                "report-job",
                "UPDATE orders SET note = note WHERE id = 1",
                "RowExclusiveLock");
    }

    @Override
    public String constraintKind(QualifiedName table, Identifier constraint) {
        return constraints.get(key(table, constraint));
    }

    @Override
    public Set<String> constraintNames(QualifiedName table) {
        Set<String> names = new HashSet<>();
        String prefix = key(table) + ".";
        constraints.keySet().stream()
                .filter(k -> k.startsWith(prefix))
                .forEach(k -> names.add(k.substring(prefix.length())));
        return names;
    }

    @Override
    public boolean constraintCreatedInThisTransaction(QualifiedName table, Identifier constraint) {
        return newConstraints.contains(key(table, constraint));
    }

    @Override
    public String columnType(QualifiedName table, Identifier column) {
        return columnTypes.get(key(table, column));
    }

    /** Known for the relations a {@code columns} fact names; no other relation exists then (empty), else unknown. */
    @Override
    public List<String> columnNames(QualifiedName relation) {
        return columnNames.isEmpty() ? null : columnNames.getOrDefault(key(relation), List.of());
    }

    @Override
    public Boolean columnExists(QualifiedName table, Identifier column) {
        String key = key(table, column);
        return columnTypes.containsKey(key) ? Boolean.TRUE : noColumns.contains(key) ? Boolean.FALSE : null;
    }

    @Override
    public String tableEngine(QualifiedName table) {
        return engines.get(key(table));
    }

    @Override
    public String columnFill(QualifiedName table, Identifier column) {
        return fills.get(key(table, column));
    }

    @Override
    public Boolean hasDefaultPartition(QualifiedName table) {
        return defaultPartitions.contains(key(table)) ? Boolean.TRUE : null;
    }

    @Override
    public String relationKind(QualifiedName table) {
        return kinds.get(key(table));
    }

    @Override
    public List<String> validatedChecks(QualifiedName table) {
        return checks.getOrDefault(key(table), List.of());
    }

    @Override
    public Boolean isUniqueIndex(QualifiedName table, Identifier index) {
        return uniqueIndexes.contains(key(table, index)) ? Boolean.TRUE : null;
    }

    @Override
    public List<String> nullableIndexColumns(QualifiedName table, Identifier index) {
        String key = key(table, index);
        return nullableIndexes.containsKey(key)
                ? nullableIndexes.get(key)
                : uniqueIndexes.contains(key) ? List.of() : null;
    }

    @Override
    public Boolean relationExists(QualifiedName name) {
        if (absent.contains(key(name))) {
            return Boolean.FALSE;
        }
        return existing.contains(key(name)) || kinds.containsKey(key(name)) ? Boolean.TRUE : null;
    }

    @Override
    public Boolean exists(String objectType, QualifiedName relation) {
        if (VOLATILE_DEFAULT_DOMAIN.equals(objectType)) {
            return volatileDomains.contains(relation.name().text().toLowerCase(Locale.ROOT)) ? Boolean.TRUE : null;
        }
        if (CONSTRAINED_DOMAIN.equals(objectType)) { // asked with the type as a column definition writes it
            return checkedDomains.contains(relation.name().text().toLowerCase(Locale.ROOT)) ? Boolean.TRUE : null;
        }
        return relationExists(relation);
    }

    @Override
    public List<String> dependents(String objectType, QualifiedName name) {
        return dependents.get(key(name));
    }

    @Override
    public Boolean refreshableConcurrently(QualifiedName view) {
        return refreshable.contains(key(view)) ? Boolean.TRUE : null;
    }
}
