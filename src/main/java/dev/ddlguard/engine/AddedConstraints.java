package dev.ddlguard.engine;

import dev.ddlguard.rules.Catalog;
import dev.ddlguard.rules.ForwardingCatalog;
import dev.ddlguard.sql.AlterAction;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.Verb;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * PostgreSQL: constraints added NOT VALID by earlier statements of the same string (or DO block), which runs as one
 * transaction: a VALIDATE of one of them scans the table while the ADD's lock is still held, as in a transaction the
 * catalog can see (validate-in-adding-transaction). The catalog cannot see them yet: an outside tester's {@code ADD
 * CONSTRAINT ck CHECK (…) NOT VALID; VALIDATE CONSTRAINT ck} in one string held ACCESS EXCLUSIVE through a 25 s scan,
 * both allowed. Names match in any case, the safe side.
 */
final class AddedConstraints extends ForwardingCatalog {

    private record Added(QualifiedName table, Identifier constraint) {}

    private final List<Added> added = new ArrayList<>(0);

    AddedConstraints(Catalog catalog) {
        super(catalog);
    }

    /**
     * A batch's entries run as one transaction too (pgjdbc sends one Sync for the batch): the constraints an entry added
     * NOT VALID, as entries of the settings the batch's later entries are judged with ({@link SessionSets}), under a key
     * no setting can have.
     */
    static Map<String, String> given(Judgement judged) {
        if (judged == null) {
            return Map.of();
        }
        AddedConstraints found = new AddedConstraints(Catalog.OFFLINE);
        for (JudgedStatement s : judged.statements()) {
            if (s.executed() != null) {
                found.remember(s.executed());
            }
        }
        Map<String, String> keys = new HashMap<>(2);
        for (Added a : found.added) {
            keys.put(key(a.table(), a.constraint()), "");
        }
        return keys;
    }

    static String key(QualifiedName table, Identifier constraint) {
        return "not valid " + table.name().text().toLowerCase(Locale.ROOT) + "."
                + constraint.text().toLowerCase(Locale.ROOT);
    }

    /** Takes note of the constraints a statement of the string adds NOT VALID. */
    void remember(DdlStatement ddl) {
        if (ddl.syntax() != SqlSyntax.POSTGRESQL || !ddl.is(Verb.ALTER, "TABLE") || ddl.table() == null) {
            return;
        }
        for (AlterAction a : ddl.actions()) {
            if (a.kind() == AlterAction.Kind.ADD_CONSTRAINT
                    && a.constraintDef() != null
                    && a.constraintDef().notValid()
                    && a.constraintDef().name() != null) {
                added.add(new Added(ddl.table(), a.constraintDef().name()));
            }
        }
    }

    @Override
    public boolean constraintCreatedInThisTransaction(QualifiedName table, Identifier constraint) {
        for (Added a : added) {
            if (a.constraint().text().equalsIgnoreCase(constraint.text())
                    && a.table().name().text().equalsIgnoreCase(table.name().text())) {
                return true;
            }
        }
        return super.constraintCreatedInThisTransaction(table, constraint);
    }
}
