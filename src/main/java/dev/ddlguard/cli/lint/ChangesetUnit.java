package dev.ddlguard.cli.lint;

import java.nio.file.Path;
import java.util.List;

/**
 * One changeset of a Liquibase changelog as Liquibase would run it on the target: the SQL its changes
 * generate, in order, and whether Liquibase wraps it in a transaction ({@code runInTransaction}).
 *
 * @param file          the file the changeset is written in (the root changelog or one it includes)
 * @param changeset     {@code id::author}, as Liquibase names it
 * @param line          the line the changeset starts on
 * @param inTransaction the changeset's {@code runInTransaction} (true unless it says false)
 * @param statements    what Liquibase sends, one string per JDBC execute, with the line of the change it came from
 */
record ChangesetUnit(Path file, String changeset, int line, boolean inTransaction, List<Generated> statements) {

    ChangesetUnit {
        statements = List.copyOf(statements);
    }

    /**
     * One string Liquibase sends.
     *
     * @param sql  the SQL, after the changeset's {@code modifySql}
     * @param line the line of the change that generated it, or of the statement itself for a {@code sql} change
     */
    record Generated(String sql, int line) {}
}
