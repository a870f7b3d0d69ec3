package dev.ddlguard.dialect.postgres;

import dev.ddlguard.rules.Rule.Advice;
import dev.ddlguard.rules.RuleContext;
import dev.ddlguard.sql.AlterAction;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.Identifier;
import java.util.List;
import java.util.Locale;

/**
 * A foreign key added to a partitioned table, for the rule constraint-missing-not-valid: before PostgreSQL 18 the
 * server refuses it NOT VALID, so the rule's usual rewrite would fail; the advice goes through the partitions.
 */
final class PartitionedForeignKeys {

    private PartitionedForeignKeys() {}

    /**
     * PostgreSQL before 18 refuses a foreign key NOT VALID on a partitioned table ("not yet supported on partitioned
     * tables", measured on 15): the rewrite would fail. The live catalog says whether the table is partitioned.
     */
    static boolean refusedNotValid(DdlStatement s, RuleContext c, List<AlterAction> unvalidated) {
        return !c.atLeast(18)
                && unvalidated.stream().anyMatch(a -> a.constraint().equals("FOREIGN KEY"))
                && "p".equals(c.catalog().relationKind(s.table()));
    }

    /**
     * The key on each partition first, NOT VALID then VALIDATE (writes go on), then on the parent: PostgreSQL
     * attaches each partition's validated key instead of scanning (measured on 15: 13 ms against 440 ms for 3M rows).
     * No rewrite: the partitions are the user's to list.
     */
    static Advice partitionsFirst(DdlStatement s, List<AlterAction> unvalidated) {
        StringBuilder sql =
                new StringBuilder("-- PostgreSQL before 18 cannot add a foreign key NOT VALID to a partitioned "
                        + "table: give each partition the key first (repeat for every partition of " + s.table()
                        + ")\n");
        for (AlterAction a : unvalidated) {
            if (!a.constraint().equals("FOREIGN KEY")) {
                continue;
            }
            Identifier name = a.constraintDef().name() != null
                    ? a.constraintDef().name()
                    : PgNames.constraintName(s.table(), a.constraintDef().columns(), "fkey");
            String perPartition = "\"<partition>_" + name.text() + "\"";
            sql.append("ALTER TABLE \"<partition>\" ADD CONSTRAINT ")
                    .append(perPartition)
                    .append(' ')
                    .append(keyClause(s, a))
                    .append(" NOT VALID;\n")
                    .append("ALTER TABLE \"<partition>\" VALIDATE CONSTRAINT ")
                    .append(perPartition)
                    .append(";\n");
        }
        sql.append("-- then the parent's key takes over each partition's validated one, without a scan\n")
                .append(
                        "/* ddlguard:allow constraint-missing-not-valid every partition already has the key, validated */ ")
                .append(s.code())
                .append(';');
        return new Advice(sql.toString(), null);
    }

    /** {@code FOREIGN KEY (…) REFERENCES …} of an ADD CONSTRAINT action: its text after ADD [CONSTRAINT name]. */
    private static String keyClause(DdlStatement s, AlterAction a) {
        String text = a.text(s.text().source()).strip();
        int at = text.toUpperCase(Locale.ROOT).indexOf("FOREIGN");
        return at < 0 ? text : text.substring(at);
    }
}
