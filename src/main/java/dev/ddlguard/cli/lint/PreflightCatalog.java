package dev.ddlguard.cli.lint;

import dev.ddlguard.rules.Catalog;
import dev.ddlguard.rules.Catalog.TableSize;
import dev.ddlguard.rules.ForwardingCatalog;
import dev.ddlguard.rules.FreeSpace;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.QualifiedName;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What a preflight knows: the live database's catalog, with the folder's own changes on top. A table the folder
 * created that the database does not have yet is new: empty, held by nobody; its size stays unknown to the rules
 * (a data migration between may fill it), so the verdicts are lint's. What the folder did to a table (a constraint
 * added NOT VALID, a table dropped or created) answers first; everything else is the live catalog's.
 */
final class PreflightCatalog extends ForwardingCatalog {

    private final LintCatalog folder;
    private final Catalog live;
    private FreeSpace freeSpace;

    PreflightCatalog(LintCatalog folder, Catalog live) {
        super(live);
        this.folder = folder;
        this.live = live;
    }

    /** Created earlier in the folder and not in the database yet: it will be new, and empty, when the statement runs. */
    boolean newHere(QualifiedName table) {
        return folder.createdByFolder(table) && !Boolean.TRUE.equals(live.relationExists(table));
    }

    /** The folder creates a table the database has already: its migration may have run before. */
    boolean alreadyThere(QualifiedName table) {
        return folder.createdByFolder(table) && Boolean.TRUE.equals(live.relationExists(table));
    }

    @Override
    public TableSize tableSize(QualifiedName table) {
        return newHere(table) ? TableSize.UNKNOWN : live.tableSize(table);
    }

    /**
     * Unknown: an earlier file of the folder may have added or dropped the column, which the live catalog does not
     * show yet, so no ADD COLUMN IF NOT EXISTS or DROP COLUMN IF EXISTS is taken for a no-op.
     */
    @Override
    public Boolean columnExists(QualifiedName table, Identifier column) {
        return null;
    }

    @Override
    public Set<String> constraintNames(QualifiedName table) {
        Set<String> names = new LinkedHashSet<>(live.constraintNames(table));
        names.addAll(folder.constraintNames(table));
        return names;
    }

    /**
     * The session settings the file set (its SET TimeZone, its isolation level) are the migration session's; the
     * preflight's own session answers only what the file did not set.
     */
    @Override
    public String setting(String name) {
        return LintCatalog.SESSION_SETTINGS.contains(name) ? folderFirst(c -> c.setting(name)) : live.setting(name);
    }

    @Override
    public String relationKind(QualifiedName table) {
        return folderFirst(c -> c.relationKind(table));
    }

    @Override
    public List<String> validatedChecks(QualifiedName table) {
        List<String> checks = folder.validatedChecks(table);
        if (checks.isEmpty()) {
            return live.validatedChecks(table);
        }
        Set<String> all = new LinkedHashSet<>(live.validatedChecks(table));
        all.addAll(checks);
        return List.copyOf(all);
    }

    /**
     * Created earlier in the folder, and not a table the database has: a CREATE TABLE IF NOT EXISTS of a table the
     * database holds creates nothing, so what follows acts on the real table (it was taken as new: an outside
     * tester's DROP COLUMN, TRUNCATE and DROP TABLE of a 200k-row table passed). A plain CREATE of it would fail.
     */
    @Override
    public boolean createdInThisTransaction(QualifiedName table) {
        return folder.createdInThisTransaction(table) && !Boolean.TRUE.equals(live.relationExists(table));
    }

    @Override
    public boolean isTemporary(QualifiedName table) {
        return folder.isTemporary(table);
    }

    /** As {@link #createdInThisTransaction}: a table the database has is the real one. */
    @Override
    public boolean createdInThisRun(QualifiedName table) {
        return folder.createdInThisRun(table) && !Boolean.TRUE.equals(live.relationExists(table));
    }

    @Override
    public Boolean exists(String objectType, QualifiedName relation) {
        return folderFirst(c -> c.exists(objectType, relation));
    }

    @Override
    public QualifiedName tableOfIndex(QualifiedName index) {
        return folderFirst(c -> c.tableOfIndex(index));
    }

    @Override
    public String constraintKind(QualifiedName table, Identifier constraint) {
        return folderFirst(c -> c.constraintKind(table, constraint));
    }

    @Override
    public Boolean relationExists(QualifiedName name) {
        return folderFirst(c -> c.relationExists(name));
    }

    @Override
    public Boolean isUniqueIndex(QualifiedName table, Identifier index) {
        return folderFirst(c -> c.isUniqueIndex(table, index));
    }

    @Override
    public boolean constraintCreatedInThisTransaction(QualifiedName table, Identifier constraint) {
        return folder.constraintCreatedInThisTransaction(table, constraint);
    }

    /** Nobody holds a lock on a table that does not exist yet. */
    @Override
    public List<Session> lockHolders(QualifiedName table) {
        return newHere(table) ? List.of() : live.lockHolders(table);
    }

    /** Asked once per run: the free space does not change between two statements of a preflight. */
    @Override
    public FreeSpace freeSpace() {
        if (freeSpace == null) {
            freeSpace = live.freeSpace();
        }
        return freeSpace;
    }

    /** Derived values are computed each time, as before: the live catalog's memo is for its own judgements. */
    @Override
    public <T> T oncePerJudgement(Object key, Supplier<T> compute) {
        return compute.get();
    }

    /** A question only the guard asks while a statement waits, never a preflight. */
    @Override
    public List<Session> idleOwnTransactions() {
        return List.of();
    }

    /** What the folder says, when it knows (not null); else the live catalog's answer. */
    private <T> T folderFirst(Function<Catalog, T> question) {
        T answer = question.apply(folder);
        return answer != null ? answer : question.apply(live);
    }
}
