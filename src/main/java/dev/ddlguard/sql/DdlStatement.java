package dev.ddlguard.sql;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A DDL statement as the classifier read it: what it does, to which objects, and where each part
 * sits in the original text. Built by {@link DdlClassifier}; read by the rules.
 *
 * @param objectType  what is created, altered or dropped: TABLE, INDEX, VIEW, FUNCTION, … (upper case), or null
 * @param names       the objects named by the statement (DROP TABLE a, b names two)
 * @param table       the table the statement works on: the altered or dropped table, the table an index is ON
 * @param actions     the ALTER TABLE actions, in order; empty for other statements
 * @param opaque      why the statement's effect cannot be read from its text (a DO block running DDL, dynamic SQL), or null
 */
public record DdlStatement(
        StatementText text,
        SqlSyntax syntax,
        Verb verb,
        String objectType,
        List<QualifiedName> names,
        QualifiedName table,
        List<AlterAction> actions,
        Set<Flag> flags,
        String opaque) {

    /** Modifiers the rules care about. */
    public enum Flag {
        CONCURRENTLY,
        IF_EXISTS,
        IF_NOT_EXISTS,
        UNIQUE,
        TEMPORARY,
        OR_REPLACE,
        AS_SELECT,
        CASCADE,
        FULL,
        ONLY,
        /** MariaDB's SET STATEMENT sql_log_bin = 0 FOR statement: the statement is kept out of the binary log. */
        NO_BINLOG,
        /** MariaDB's SET STATEMENT alter_algorithm = COPY (old_alter_table = 1) FOR statement: the ALTER copies. */
        FORCES_COPY
    }

    public DdlStatement {
        names = List.copyOf(names);
        actions = List.copyOf(actions);
        // an EnumSet underneath: has() is asked many times per statement, and a bit test is the cheapest answer
        flags = flags.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(flags));
    }

    public String sql() {
        return text.text();
    }

    /** The statement without the comments before it (directives belong to the statement, not to advice built from it). */
    public String code() {
        return text.source().substring(text.codeStart(), text.end());
    }

    /** The same statement with the table it works on filled in (from the catalog, when the text does not say). */
    public DdlStatement withTable(QualifiedName table) {
        return new DdlStatement(text, syntax, verb, objectType, names, table, actions, flags, opaque);
    }

    public boolean has(Flag flag) {
        return flags.contains(flag);
    }

    public boolean is(Verb verb, String objectType) {
        return this.verb == verb && objectType.equals(this.objectType);
    }

    public boolean hasAction(AlterAction.Kind kind) {
        for (AlterAction a : actions) {
            if (a.kind() == kind) {
                return true;
            }
        }
        return false;
    }

    /** A short description for logs and messages: {@code ALTER TABLE orders}. */
    public String summary() {
        StringBuilder s = new StringBuilder(verb.name());
        if (objectType != null) {
            s.append(' ').append(objectType);
        }
        QualifiedName subject = !names.isEmpty() ? names.get(0) : table;
        if (subject != null) {
            s.append(' ').append(subject.toSql());
        }
        return s.toString();
    }
}
