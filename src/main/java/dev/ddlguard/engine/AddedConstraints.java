package dev.ddlguard.engine;

import dev.ddlguard.rules.Catalog;
import dev.ddlguard.rules.ForwardingCatalog;
import dev.ddlguard.sql.AlterAction;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.Verb;
import java.util.Map;

/**
 * PostgreSQL: a constraint added NOT VALID by an earlier statement of the same string (or DO block, or batch), which
 * runs as one transaction: a VALIDATE after it scans while the ADD's lock is still held (validate-in-adding-transaction),
 * whichever constraint it validates, of whichever table (an unnamed one's server-chosen name, a renamed one, one of an
 * inheritance child: an outside tester's second round). The catalog cannot see them yet: an outside tester's {@code ADD
 * CONSTRAINT ck CHECK (…) NOT VALID; VALIDATE CONSTRAINT ck} in one string held ACCESS EXCLUSIVE through a 25 s scan,
 * both allowed.
 */
final class AddedConstraints extends ForwardingCatalog {

    /** Under this key, among the settings a batch's earlier entries give, the batch holds such a constraint. */
    static final String KEY = "not valid constraint added";

    private boolean any;

    AddedConstraints(Catalog catalog) {
        super(catalog);
    }

    /**
     * A batch's entries run as one transaction too (pgjdbc sends one Sync for the batch): the constraints an entry added
     * NOT VALID, as entries of the settings the batch's later entries are judged with ({@link SessionSets}), under a key
     * no setting can have.
     */
    static Map<String, String> given(Judgement judged) {
        boolean adds = judged != null
                && judged.statements().stream().anyMatch(s -> s.executed() != null && addsNotValid(s.executed()));
        return adds ? Map.of(KEY, "") : Map.of();
    }

    /** Takes note of the constraints a statement of the string adds NOT VALID. */
    void remember(DdlStatement ddl) {
        any |= addsNotValid(ddl);
    }

    private static boolean addsNotValid(DdlStatement ddl) {
        return ddl.syntax() == SqlSyntax.POSTGRESQL
                && ddl.is(Verb.ALTER, "TABLE")
                && ddl.table() != null
                && ddl.actions().stream()
                        .anyMatch(a -> a.kind() == AlterAction.Kind.ADD_CONSTRAINT
                                && a.constraintDef() != null
                                && a.constraintDef().notValid());
    }

    @Override
    public boolean constraintCreatedInThisTransaction(QualifiedName table, Identifier constraint) {
        return any || super.constraintCreatedInThisTransaction(table, constraint);
    }
}
