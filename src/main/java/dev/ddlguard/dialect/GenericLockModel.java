package dev.ddlguard.dialect;

import dev.ddlguard.dialect.postgres.PostgresLockModel;
import dev.ddlguard.rules.LockImpact;
import dev.ddlguard.sql.DdlStatement;

/**
 * The lock model for databases without one of their own (H2, unknown): what PostgreSQL's model says
 * concurrent sessions wait for, with the mode named plainly. Good enough to rank statements; the
 * first-class databases have exact models.
 */
public final class GenericLockModel {

    private GenericLockModel() {}

    public static LockImpact of(DdlStatement statement) {
        LockImpact pg = PostgresLockModel.of(statement);
        String mode = pg.blocks().contains("reads") ? "EXCLUSIVE" : pg.blocks().isEmpty() ? null : "SHARE";
        return new LockImpact(mode, pg.blocks(), pg.work(), pg.table(), null, null, null, pg.otherTables());
    }
}
