package dev.ddlguard.cli.plan;

import dev.ddlguard.cli.plan.Change.Kind;
import dev.ddlguard.policy.Target;
import dev.ddlguard.sql.AlterAction;
import dev.ddlguard.sql.ColumnDefinition;
import dev.ddlguard.sql.DdlClassifier;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.StatementSplitter;
import dev.ddlguard.sql.StatementText;
import dev.ddlguard.sql.Verb;
import java.util.ArrayList;
import java.util.List;

/** Reads the one change a statement asks for, and resolves what the statement does not say from {@link TableInfo}. */
final class ChangeReader {

    static final String COVERED =
            "plans exist for RENAME COLUMN (MySQL: CHANGE a b …), RENAME TABLE, ADD COLUMN … NOT NULL, "
                    + "ALTER COLUMN … TYPE (MySQL: MODIFY / CHANGE), DROP COLUMN and ALTER COLUMN … SET NOT NULL";

    private final Target target;
    private final TableInfo info;
    private final StatementText text;
    private final QualifiedName table;
    private final String catalogTable;
    private final List<String> notes = new ArrayList<>();

    private ChangeReader(Target target, TableInfo info, StatementText text, QualifiedName table) {
        this.target = target;
        this.info = info;
        this.text = text;
        this.table = table;
        this.catalogTable = Names.catalogName(table, target);
    }

    /** The change, or IllegalArgumentException saying why the statement has no plan. */
    static Change read(String sql, Target target, TableInfo info) {
        if (sql == null || sql.isBlank()) {
            throw new IllegalArgumentException("no statement given: pass the one DDL statement to plan; " + COVERED);
        }
        SqlSyntax syntax = target == Target.POSTGRESQL ? SqlSyntax.POSTGRESQL : SqlSyntax.MYSQL;
        List<StatementText> statements = StatementSplitter.split(sql, syntax);
        if (statements.size() != 1) {
            throw new IllegalArgumentException(
                    statements.isEmpty()
                            ? "no statement given, only comments"
                            : "plan one statement at a time: got " + statements.size());
        }
        DdlStatement ddl = DdlClassifier.classify(statements.get(0), syntax);
        if (ddl == null) {
            throw new IllegalArgumentException("not a DDL statement: " + sql.strip() + "; " + COVERED);
        }
        List<AlterAction> actions = ddl.actions().stream()
                .filter(a -> a.kind() != AlterAction.Kind.OPTION)
                .toList();
        boolean tableChange = ddl.is(Verb.ALTER, "TABLE") || ddl.is(Verb.RENAME, "TABLE");
        if (!tableChange || actions.isEmpty()) {
            throw new IllegalArgumentException(
                    ddl.summary() + " is not a change that needs an expand-contract plan; " + COVERED);
        }
        if (actions.size() > 1) {
            throw new IllegalArgumentException("plan one change at a time: " + ddl.summary() + " makes "
                    + actions.size() + " changes; write one ALTER TABLE per change and plan each");
        }
        QualifiedName table = ddl.table() != null
                ? ddl.table()
                : ddl.names().isEmpty() ? null : ddl.names().get(0);
        if (table == null) {
            throw new IllegalArgumentException("cannot read the table name of: " + sql.strip());
        }
        return new ChangeReader(target, info, statements.get(0), table).read(actions.get(0), sql.strip());
    }

    private Change read(AlterAction a, String sql) {
        ColumnDefinition def = a.definition();
        return switch (a.kind()) {
            case RENAME_COLUMN -> renameColumn(a, def, sql);
            case RENAME_TABLE ->
                new Change(
                        Kind.RENAME_TABLE,
                        sql,
                        target,
                        table,
                        null,
                        required(a.newName(), "new table name"),
                        null,
                        null,
                        null,
                        null,
                        null,
                        List.of(),
                        notes);
            case ADD_COLUMN -> addColumn(a, def, sql);
            case ALTER_COLUMN_TYPE -> changeType(a, def, sql);
            case DROP_COLUMN -> dropColumn(a, sql);
            case SET_NOT_NULL -> setNotNull(a, sql, null);
            default -> throw new IllegalArgumentException(kindName(a) + " needs no expand-contract plan; " + COVERED);
        };
    }

    private Change renameColumn(AlterAction a, ColumnDefinition def, String sql) {
        Identifier column = required(a.column(), "column name");
        boolean change = def != null && def.type() != null; // MySQL CHANGE a b <definition>
        String type = change ? def.type() : typeOf(column);
        Boolean notNull = change ? Boolean.valueOf(def.notNull()) : notNullOf(column);
        if (notNull == null) {
            notNullUnknown(column, a.newName());
        }
        notes.add("the indexes, constraints, grants and DEFAULT of " + column + " are not copied to " + a.newName()
                + ": create its indexes and constraints before reads switch to it, and its DEFAULT after the Contract phase"
                + " (earlier, a DEFAULT would hide inserts that write only " + column + " from the trigger)");
        String definition = change
                ? StatementParts.definitionAfterName(text, a, 2)
                : Boolean.TRUE.equals(notNull) ? type + " NOT NULL" : null;
        return new Change(
                Kind.RENAME_COLUMN,
                sql,
                target,
                table,
                column,
                required(a.newName(), "new column name"),
                type,
                notNull,
                change ? def.defaultExpr() : null,
                null,
                definition,
                key(column),
                notes);
    }

    private Change addColumn(AlterAction a, ColumnDefinition def, String sql) {
        if (def == null || def.type() == null || def.name() == null) {
            throw new IllegalArgumentException("cannot read the column definition of: " + sql);
        }
        if (def.generated() || def.identity()) {
            throw new IllegalArgumentException("adding a generated or identity column fills every row in one step; "
                    + "the planner has no expand-contract plan for it (add a plain column and backfill it instead)");
        }
        if (!def.notNull()) {
            throw new IllegalArgumentException(
                    "adding the nullable column " + def.name() + " needs no plan: it is safe in "
                            + "one step (unless its DEFAULT is volatile on PostgreSQL: then add it without the default, "
                            + "SET DEFAULT, and backfill)");
        }
        if (def.primaryKey() || def.unique() || def.references() != null) {
            notes.add("the key, UNIQUE or REFERENCES part of the definition is not in the plan: add it as its own "
                    + "change once the column is filled (ddlguard judges those statements too)");
        }
        return new Change(
                Kind.ADD_NOT_NULL_COLUMN,
                sql,
                target,
                table,
                def.name(),
                null,
                def.type(),
                true,
                def.defaultExpr(),
                null,
                StatementParts.definitionAfterName(text, a, 1),
                key(def.name()),
                notes);
    }

    private Change changeType(AlterAction a, ColumnDefinition def, String sql) {
        Identifier column = required(a.column(), "column name");
        if (def == null || def.type() == null) {
            throw new IllegalArgumentException("cannot read the new type of " + column + " in: " + sql);
        }
        String verb = StatementParts.verb(text, a);
        boolean restates = verb.equals("MODIFY") || verb.equals("CHANGE"); // MySQL: the whole new column
        Boolean notNull = restates ? Boolean.valueOf(def.notNull()) : notNullOf(column);
        String current = info.typeOf(catalogTable, Names.catalogName(column, target));
        if (restates && current != null && StatementParts.sameMySqlType(current, def.type())) {
            if (def.notNull() && !Boolean.TRUE.equals(notNullOf(column))) {
                return setNotNull(a, sql, StatementParts.definitionAfterName(text, a, verb.equals("CHANGE") ? 2 : 1));
            }
            throw new IllegalArgumentException(sql + " does not change the type of " + column + " (it is " + current
                    + " already), so it needs no expand-contract plan");
        }
        if (restates && current == null) {
            notes.add(
                    "the current type of " + column + " is not known: if it already is " + def.type() + ", this MODIFY "
                            + "only sets NOT NULL, which has a lighter plan (give the planner a database connection)");
        }
        if (notNull == null) {
            notNullUnknown(column, Names.generated(target, "", "new", column));
        }
        notes.add("the DEFAULT, indexes, constraints and grants of " + column + " are not copied to the new column: "
                + "recreate them on it (indexes CONCURRENTLY / online) before the Contract phase");
        String definition = restates
                ? StatementParts.definitionAfterName(text, a, verb.equals("CHANGE") ? 2 : 1)
                : def.type() + (Boolean.TRUE.equals(notNull) ? " NOT NULL" : "");
        return new Change(
                Kind.CHANGE_TYPE,
                sql,
                target,
                table,
                column,
                null,
                def.type(),
                notNull,
                restates ? def.defaultExpr() : null,
                StatementParts.using(text, a),
                definition,
                key(column),
                notes);
    }

    private Change dropColumn(AlterAction a, String sql) {
        Identifier column = required(a.column(), "column name");
        List<String> key = key(column);
        if (key.contains(column.toSql())
                || key.contains(Names.fromCatalog(Names.catalogName(column, target), target))) {
            throw new IllegalArgumentException(column + " is part of the primary key of " + table
                    + ": give the table another key first; dropping a key column has no expand-contract plan");
        }
        return new Change(
                Kind.DROP_COLUMN,
                sql,
                target,
                table,
                column,
                null,
                info.typeOf(catalogTable, Names.catalogName(column, target)),
                notNullOf(column),
                null,
                null,
                null,
                key,
                notes);
    }

    private Change setNotNull(AlterAction a, String sql, String definition) {
        Identifier column = required(a.column(), "column name");
        if (Boolean.TRUE.equals(notNullOf(column))) {
            throw new IllegalArgumentException(column + " of " + table + " is NOT NULL already: nothing to plan");
        }
        String type = typeOf(column);
        if (definition == null && target != Target.POSTGRESQL) {
            definition = type + " NOT NULL";
            notes.add("MODIFY restates the whole column: add the DEFAULT, COMMENT and character set " + column
                    + " has, if any, to the last statement of the Migrate phase");
        }
        return new Change(
                Kind.SET_NOT_NULL,
                sql,
                target,
                table,
                column,
                null,
                type,
                true,
                null,
                null,
                definition,
                key(column),
                notes);
    }

    private void notNullUnknown(Identifier column, Identifier newColumn) {
        notes.add("whether " + column + " is NOT NULL is not known: if it is, make " + newColumn + " NOT NULL after "
                + "the backfill (ddlguard plan \"ALTER TABLE " + table + " ALTER COLUMN " + newColumn
                + " SET NOT NULL\")");
    }

    /** The column's current type, or a placeholder the user fills in (and a note saying so). */
    private String typeOf(Identifier column) {
        String type = info.typeOf(catalogTable, Names.catalogName(column, target));
        if (type != null) {
            return type;
        }
        notes.add("the type of " + column + " is not in the statement: fill in <type of " + column.text() + ">");
        return "<type of " + column.text() + ">";
    }

    private Boolean notNullOf(Identifier column) {
        return info.notNull(catalogTable, Names.catalogName(column, target));
    }

    /** The primary key as SQL; {@code id} with a note when the table info does not know it. */
    private List<String> key(Identifier column) {
        List<String> key = info.primaryKey(catalogTable).stream()
                .map(k -> Names.fromCatalog(k, target))
                .toList();
        if (!key.isEmpty()) {
            return key;
        }
        notes.add("the primary key of " + table
                + " is not known: the batches assume it is id (edit the backfill if not)");
        return List.of("id");
    }

    private static Identifier required(Identifier id, String what) {
        if (id == null) {
            throw new IllegalArgumentException("cannot read the " + what + " of the statement");
        }
        return id;
    }

    private static String kindName(AlterAction a) {
        return a.kind().name().replace('_', ' ');
    }
}
