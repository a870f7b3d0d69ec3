package dev.ddlguard.intercept;

import dev.ddlguard.engine.ConnectionGuard;
import dev.ddlguard.engine.Judgement;
import java.sql.SQLException;

/**
 * Judges SQL at {@code prepareStatement}/{@code prepareCall} time, before the driver sees it: a
 * blocked statement fails here and is never sent, a rewritten one is prepared in its safe form.
 *
 * <p>The judgement is returned to the caller ({@link GuardedConnectionHandler}), which hands it to the
 * statement it creates: nothing is parked on the connection between the prepare and the statement, so
 * threads taking turns on one connection cannot take each other's judgement (issue 13: one shared field
 * lost more than half of the audit records with 8 threads).
 */
final class PrepareTransformer {

    private PrepareTransformer() {}

    /** The judgement of the SQL being prepared, or null when it holds no DDL; throws when it is blocked. */
    static Judgement judge(ConnectionGuard guard, String sql) throws SQLException {
        Judgement judgement = guard.judgePrepared(sql);
        if (judgement != null && judgement.blocked()) {
            throw guard.reject(judgement);
        }
        return judgement;
    }
}
