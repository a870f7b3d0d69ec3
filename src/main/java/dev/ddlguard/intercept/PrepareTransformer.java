package dev.ddlguard.intercept;

import dev.ddlguard.engine.ConnectionGuard;
import dev.ddlguard.engine.Judgement;
import java.sql.SQLException;
import net.ttddyy.dsproxy.transform.QueryTransformer;
import net.ttddyy.dsproxy.transform.TransformInfo;

/**
 * Judges SQL at {@code prepareStatement}/{@code prepareCall} time, before the driver sees it: a
 * blocked statement fails here and is never sent, a rewritten one is prepared in its safe form.
 * datasource-proxy only calls transformers for prepares, since statement proxies are ours.
 */
final class PrepareTransformer implements QueryTransformer {

    private final ConnectionGuard guard;

    PrepareTransformer(ConnectionGuard guard) {
        this.guard = guard;
    }

    @Override
    public String transformQuery(TransformInfo info) {
        String sql = info.getQuery();
        Judgement judgement;
        try {
            judgement = guard.judge(sql);
        } catch (SQLException e) {
            throw Sneaky.rethrow(e);
        }
        if (judgement == null) {
            return sql;
        }
        if (judgement.blocked()) {
            throw Sneaky.rethrow(guard.reject(judgement));
        }
        guard.preparing(judgement);
        return judgement.sqlToSend();
    }
}
