package dev.ddlguard.rules;

import dev.ddlguard.sql.AlterAction;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.Verb;
import java.util.Locale;
import java.util.stream.Collectors;

/** The partition actions of a MySQL or MariaDB ALTER TABLE that take rows out of the table (truncate-table's). */
final class PartitionRowsDeleted {

    private PartitionRowsDeleted() {}

    /**
     * MySQL's and MariaDB's {@code ALTER TABLE … TRUNCATE PARTITION p} and {@code DROP PARTITION p} delete the
     * partition's rows (MySQL manual, "Management of RANGE and LIST Partitions"); with ALGORITHM=INPLACE no lock
     * rule speaks, so without this they passed unflagged. Null when the statement does neither.
     */
    static String by(DdlStatement s) {
        if (s.syntax() != SqlSyntax.MYSQL || !s.is(Verb.ALTER, "TABLE") || s.table() == null) {
            return null;
        }
        String partitions = s.actions().stream()
                .filter(a -> deletesPartitionRows(s, a))
                .map(a -> a.text(s.text().source()).strip().replaceAll("\\s+", " "))
                .collect(Collectors.joining(", "));
        return partitions.isEmpty() ? null : "deletes the rows of " + s.table() + " with " + partitions;
    }

    private static boolean deletesPartitionRows(DdlStatement s, AlterAction a) {
        if (a.kind() != AlterAction.Kind.OTHER || !s.text().hasWord("PARTITION", a.start(), a.end())) {
            return false;
        }
        String text = a.text(s.text().source()).stripLeading().toUpperCase(Locale.ROOT);
        return text.startsWith("DROP")
                || text.startsWith("TRUNCATE")
                || text.replaceAll("\\s+", " ").startsWith("CONVERT PARTITION "); // MariaDB: moves the rows out
    }
}
