package dev.ddlguard.rules;

import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.Verb;
import java.util.List;

/**
 * PostgreSQL's {@code ALTER TYPE t DROP ATTRIBUTE a}: every table column of the composite type loses the attribute's
 * value in every row, and the server says nothing (measured on 15: {@code (1,x)} read {@code (x)} afterwards, and
 * adding the attribute back gave {@code (x,)}). Without CASCADE it refuses only for typed tables ({@code CREATE TABLE
 * … OF t}); a column of the type is no obstacle. So drop-column reads it too; with CASCADE, drop-cascade speaks.
 */
final class TypeAttributes {

    private TypeAttributes() {}

    /**
     * "drops attribute zip of type address: …", or null: not such a statement, CASCADE (drop-cascade's), a type this
     * run created, or a type the live catalog shows no column uses (nothing holds a value to lose). Offline nothing
     * is known: judged.
     */
    static String dropped(DdlStatement s, RuleContext c) {
        if (s.syntax() != SqlSyntax.POSTGRESQL
                || !s.is(Verb.ALTER, "TYPE")
                || s.names().isEmpty()
                || StatementWords.has(s, "CASCADE")) {
            return null;
        }
        List<String> attributes = StatementWords.identifiersAfterEach(s, "DROP", "ATTRIBUTE");
        QualifiedName type = s.names().get(0);
        if (attributes.isEmpty() || c.catalog().createdInThisRun(type)) {
            return null;
        }
        List<String> dependents = c.catalog().dependents("TYPE", type);
        List<String> columns = dependents == null
                ? null
                : dependents.stream().filter(d -> d.startsWith("column ")).toList();
        if (columns != null && columns.isEmpty()) {
            return null;
        }
        return "drops attribute " + String.join(", ", attributes) + " of type " + type
                + ": its value goes from every row of every column of that type"
                + (columns == null ? "" : " (" + String.join("; ", columns) + ")");
    }

    /** The steps before such a drop: the values kept in columns of their own, deployed code moved off them. */
    static String steps(DdlStatement s) {
        return "-- 1. keep the values: for each column c of type " + s.names().get(0)
                + ", add a column of its own and copy (c).attribute into it, in batches\n"
                + "-- 2. deploy code that no longer reads or writes (c).attribute\n-- 3. then\n";
    }
}
