package dev.ddlguard.engine;

import dev.ddlguard.rules.Catalog;
import dev.ddlguard.sql.AlterAction;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.DdlStatement.Flag;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.Verb;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Relations an earlier statement of the same string (or DO block, or batch) alters, renames, drops or replaces. Every
 * statement of a string is judged before any of it runs, so the catalog's answers about them are from before that
 * statement: this catalog answers "unknown" instead, and the rules take the worst. Outside testers' and a review's
 * finds, each run on PostgreSQL 15: {@code ALTER COLUMN v TYPE varchar(20); ALTER COLUMN v TYPE varchar(10)} rewrote
 * the table (the second was judged from varchar(10), a no-op); {@code ALTER INDEX k RENAME TO k2; DROP INDEX IF EXISTS
 * k2} dropped a unique index (k2 "did not exist"); a renamed table went the same way.
 *
 * <p>Matched by the last part of the name, without case: the safe side (another schema's relation of the same name is
 * unknown too). A DROP counts: after it the name may find another table (the permanent one a temporary table hid, or
 * one later on the search path: an outside tester's DROP TABLE pg_temp.a; ALTER TABLE a DROP COLUMN IF EXISTS c
 * dropped the permanent a's column as "absent"). A renamed relation (or index, or constraint) is asked under both its
 * names: it exists, or is a unique index of a table, if either says so. Only the answers that excuse are withheld
 * ({@link ExcusesWithheld}; and absence under IF EXISTS).
 */
final class ChangedRelations extends ExcusesWithheld {

    /** Before a relation's name, among the settings a batch's earlier entries give ({@link SessionSets}). */
    static final String KEY = "relation changed: ";

    /** Before a new name, among those settings; the value is the old name. */
    static final String RENAMED = "relation renamed: ";

    /**
     * Before a table's name, among those settings: "yes" when an earlier entry of the batch created it, "no" once one
     * dropped, renamed or moved it (the later entry's value wins). Such a table is this run's for the entries after it,
     * as a table created earlier in the same string is ({@link StringTables}): an outside tester's batch of CREATE
     * TABLE t and DROP TABLE t was blocked.
     */
    static final String CREATED = "table created: ";

    /** Before a name (its last part, lower case) an earlier entry dropped or renamed away: see {@link #gone}. */
    static final String GONE = "relation gone: ";

    /** Before a name an earlier entry's ALTER TABLE … INHERIT | ATTACH | REFERENCES holds: not the batch's table then. */
    static final String LINKED = "table linked: ";

    /** Before a word of an earlier entry's statement that may link objects ({@link StringLinks}). */
    static final String LINK_WORD = "link word: ";

    /** Lower case: the names of the relations changed. */
    private final Set<String> names;
    /** Lower-case new name → the name it had before the string (a chain of renames followed back). */
    private final Map<String, Identifier> renamedFrom;
    /**
     * Lower case, as written: the tables a batch's earlier entries created (and did not drop again); and, after
     * {@link #LINKED}, the names an earlier entry's link statement held.
     */
    private final Set<String> created;
    /**
     * Lower case, the last part: names an earlier statement dropped or renamed away. Such a name may now find another
     * relation (one later on the search path, the permanent table a temporary one hid), so what the catalog says
     * makes the relation of that name new, temporary or empty was said of the one that went: an outside tester's
     * {@code DROP TABLE t; DROP TABLE t} dropped the run's new t, then the old public.t as "created by this run".
     */
    private final Set<String> gone;
    /** Lower case: the words of earlier statements that may link objects ({@link StringLinks}). */
    private final Set<String> linkWords = new HashSet<>();
    /**
     * Lower case: names only DROP … IF EXISTS statements changed, and those any other statement did. A name that
     * found nothing before the string is still absent after drops of it (mariadb-dump's DROP TABLE IF EXISTS v; DROP
     * VIEW IF EXISTS v before each view: an outside tester's dump into an empty database was blocked by drop-view).
     */
    private final Set<String> droppedIfExists = new HashSet<>();

    private final Set<String> changedOtherwise = new HashSet<>();

    ChangedRelations(Catalog catalog) {
        this(catalog, new HashSet<>(), new HashMap<>(), Set.of(), new HashSet<>());
    }

    private ChangedRelations(
            Catalog catalog,
            Set<String> names,
            Map<String, Identifier> renamedFrom,
            Set<String> created,
            Set<String> gone) {
        super(catalog);
        this.names = names;
        this.renamedFrom = renamedFrom;
        this.created = created;
        this.gone = gone;
    }

    /** The catalog with the relations a batch's earlier entries changed (keys of {@link #given}) unknown. */
    static Catalog in(Catalog catalog, Map<String, String> settings) {
        Set<String> changed = new HashSet<>();
        Map<String, Identifier> renamed = new HashMap<>();
        Set<String> created = new HashSet<>();
        Set<String> gone = new HashSet<>();
        Set<String> links = new HashSet<>();
        settings.forEach((key, value) -> {
            if (key.startsWith(CREATED) && "yes".equals(value)) {
                created.add(key.substring(CREATED.length()));
            } else if (key.startsWith(GONE)) {
                gone.add(key.substring(GONE.length()));
            } else if (key.startsWith(LINKED)) {
                created.add(key); // kept among them under its prefix: see createdInThisRun
            } else if (key.startsWith(LINK_WORD)) {
                links.add(key.substring(LINK_WORD.length()));
            } else if (key.startsWith(KEY)) {
                changed.add(key.substring(KEY.length()));
            } else if (key.startsWith(RENAMED)) {
                QualifiedName old = QualifiedName.fromSql(value);
                if (old != null) {
                    renamed.put(key.substring(RENAMED.length()), old.name());
                }
            }
        });
        if (changed.isEmpty() && created.isEmpty() && gone.isEmpty() && links.isEmpty()) {
            return catalog;
        }
        ChangedRelations relations = new ChangedRelations(catalog, changed, renamed, created, gone);
        relations.linkWords.addAll(links);
        return relations;
    }

    /** The relations the statements a batch entry sends change, as settings entries for the entries after it. */
    static Map<String, String> given(Judgement judged) {
        if (judged == null) {
            return Map.of();
        }
        ChangedRelations seen = new ChangedRelations(Catalog.OFFLINE);
        Map<String, String> given = new HashMap<>();
        for (JudgedStatement s : judged.statements()) {
            DdlStatement ddl = s.executed();
            if (ddl != null) {
                seen.remember(ddl);
                BatchTables.createdOrGone(ddl, given);
            }
        }
        seen.names.forEach(name -> given.put(KEY + name, ""));
        seen.renamedFrom.forEach((name, old) -> given.put(RENAMED + name, old.toSql()));
        seen.gone.forEach(name -> given.put(GONE + name, ""));
        seen.linkWords.forEach(word -> given.put(LINK_WORD + word, ""));
        return given;
    }

    /** Takes note of the relations a statement of the string changes. */
    void remember(DdlStatement ddl) {
        if (StringLinks.mayLink(ddl)) {
            StringLinks.linkedNames(ddl).forEach(word -> linkWords.add(word.toLowerCase(Locale.ROOT)));
        }
        if (ddl.text().hasWord("SCHEMA") || ddl.text().hasWord("DATABASE")) {
            // a schema the string creates, renames or moves a table into is not absent for a later DROP SCHEMA IF
            // EXISTS of it (asked before the string runs): every name such a statement holds is unknown after it
            for (String word : StringTables.wordsOf(ddl)) {
                names.add(word.toLowerCase(Locale.ROOT));
                changedOtherwise.add(word.toLowerCase(Locale.ROOT));
            }
        }
        boolean changes = ddl.verb() == Verb.ALTER
                || ddl.verb() == Verb.RENAME
                || ddl.verb() == Verb.DROP
                || (ddl.verb() == Verb.CREATE && ddl.has(Flag.OR_REPLACE));
        if (!changes) {
            return;
        }
        Set<String> how = ddl.verb() == Verb.DROP && ddl.has(Flag.IF_EXISTS) ? droppedIfExists : changedOtherwise;
        ddl.names().forEach(n -> {
            add(n);
            addTo(how, n);
        });
        add(ddl.table());
        addTo(how, ddl.table());
        if (ddl.verb() == Verb.DROP || ddl.verb() == Verb.ALTER && ddl.text().hasWord("SCHEMA")) {
            ddl.names().forEach(n -> addTo(gone, n)); // a rename's old name goes in renamed()
            addTo(gone, ddl.table());
        }
        if (ddl.is(Verb.DROP, "TABLE")) {
            ddl.names().stream().filter(n -> n != null).forEach(droppedTables::add); // their links: asked when needed
        }
        QualifiedName first = !ddl.names().isEmpty() ? ddl.names().get(0) : ddl.table();
        for (AlterAction a : ddl.actions()) { // MySQL's ALTER TABLE t RENAME t2: no TO
            if (a.kind() == AlterAction.Kind.RENAME_TABLE && a.newName() != null && first != null) {
                renamed(first.name(), a.newName());
            }
        }
        if (ddl.text().hasWord("RENAME")) {
            RenamePairs.each(ddl.text(), first == null ? null : first.name(), this::renamed);
        }
    }

    /**
     * A dropped table's partitions and children (and the sequences it owns) go with it: an outside tester's {@code DROP
     * TABLE orders_all; DROP TABLE orders} dropped the run's partitioned table with its partition, then the old
     * public.orders as the run's. Asked of the live catalog; unknown adds nothing (a later string asks the server,
     * {@link RunCreatedTables#mayHaveGone}).
     */
    private void linkedGoToo() {
        for (QualifiedName dropped : droppedTables) {
            List<String> linked = dependents(Catalog.LINKED_TABLES, dropped);
            for (String name : linked == null ? List.<String>of() : linked) {
                if (!name.startsWith("references ")) {
                    addTo(gone, QualifiedName.fromSql(name));
                }
            }
        }
        droppedTables.clear();
    }

    /**
     * The tables DROP TABLE statements of the string named, whose partitions and children are not asked yet: a string's
     * last statement (most often its only one) has no statement after it to ask for them, so it costs no question.
     */
    private final List<QualifiedName> droppedTables = new ArrayList<>();

    private void renamed(Identifier from, Identifier to) {
        names.add(key(to));
        if (from != null) {
            gone.add(key(from));
            renamedFrom.put(key(to), renamedFrom.getOrDefault(key(from), from));
        }
    }

    private void add(QualifiedName name) {
        addTo(names, name);
    }

    private static void addTo(Set<String> set, QualifiedName name) {
        if (name != null && name.name() != null) {
            set.add(key(name.name()));
        }
    }

    private boolean gone(QualifiedName relation) {
        if (relation == null || relation.name() == null) {
            return false;
        }
        if (!droppedTables.isEmpty()) {
            linkedGoToo();
        }
        return gone.contains(key(relation.name()));
    }

    private static String key(Identifier name) {
        return name.text().toLowerCase(Locale.ROOT);
    }

    @Override
    boolean withheld(QualifiedName table) {
        return changed(table);
    }

    private boolean changed(QualifiedName relation) {
        return relation != null && relation.name() != null && names.contains(key(relation.name()));
    }

    /** The relation under the name it had before the string, when the string renamed it; else null. */
    private QualifiedName before(QualifiedName relation) {
        Identifier old = relation == null || relation.name() == null ? null : renamedFrom.get(key(relation.name()));
        if (old == null) {
            return null;
        }
        List<Identifier> parts = new ArrayList<>(relation.parts());
        parts.set(parts.size() - 1, old);
        return new QualifiedName(parts);
    }

    /** Either name's TRUE, else either's null, else FALSE. */
    private static Boolean either(Boolean a, Boolean b) {
        return Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b) ? Boolean.TRUE : a == null || b == null ? null : a;
    }

    @Override
    public boolean createdInThisRun(QualifiedName table) {
        // and not there before the batch: MariaDB's connector runs the entries after a failed one, so a CREATE TABLE of
        // an old table failed and the DROP after it dropped the old one (an outside tester's find)
        return (table != null
                        && created.contains(table.toSql().toLowerCase(Locale.ROOT))
                        && !created.contains(LINKED + key(table.name()))
                        && Boolean.FALSE.equals(super.exists("TABLE", table)))
                || super.createdInThisRun(table); // not for a name gone: mayFindAnother
    }

    @Override
    boolean mayFindAnother(QualifiedName table) {
        return gone(table) || linked(table);
    }

    /** A name an earlier statement that may link objects named: what depends on it was asked before it ran. */
    private boolean linked(QualifiedName name) {
        return name != null && name.name() != null && linkWords.contains(key(name.name()));
    }

    @Override
    public List<String> dependents(String objectType, QualifiedName name) {
        if (linked(name)) {
            return Catalog.LINKED_TABLES.equals(objectType) ? StringLinks.UNKNOWN : null;
        }
        return super.dependents(objectType, name);
    }

    @Override
    public boolean schemaCreatedInThisRun(QualifiedName schema) {
        return !linked(schema) && super.schemaCreatedInThisRun(schema);
    }

    @Override
    public Boolean exists(String objectType, QualifiedName relation) {
        QualifiedName old = before(relation);
        return old != null
                ? either(super.exists(objectType, relation), super.exists(objectType, old))
                : !changed(relation)
                        ? super.exists(objectType, relation)
                        : onlyDroppedIfExists(relation) && Boolean.FALSE.equals(super.relationExists(relation))
                                ? Boolean.FALSE
                                : null;
    }

    private boolean onlyDroppedIfExists(QualifiedName relation) {
        String key = key(relation.name());
        return droppedIfExists.contains(key) && !changedOtherwise.contains(key) && before(relation) == null;
    }

    @Override
    public Boolean relationExists(QualifiedName name) {
        QualifiedName old = before(name);
        return old != null
                ? either(super.relationExists(name), super.relationExists(old))
                : changed(name) ? null : super.relationExists(name);
    }

    @Override
    public QualifiedName tableOfIndex(QualifiedName index) {
        QualifiedName old = before(index);
        QualifiedName now = super.tableOfIndex(index);
        return now == null && old != null ? super.tableOfIndex(old) : now;
    }

    /** A unique index renamed earlier in the string is still unique under its new name (MySQL's RENAME INDEX too). */
    @Override
    public Boolean isUniqueIndex(QualifiedName table, Identifier index) {
        Identifier old = renamedFrom.get(key(index));
        QualifiedName tableBefore = before(table) != null ? before(table) : table;
        return old != null
                ? either(super.isUniqueIndex(table, index), super.isUniqueIndex(tableBefore, old))
                : super.isUniqueIndex(table, index);
    }
}
