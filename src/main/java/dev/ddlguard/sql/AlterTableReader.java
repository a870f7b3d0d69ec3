package dev.ddlguard.sql;

import dev.ddlguard.sql.AlterAction.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the comma-separated actions of {@code ALTER TABLE name action[, action…]} in the union of
 * PostgreSQL, MySQL/MariaDB and H2 grammar. An action it does not recognise is {@link Kind#OTHER},
 * never an error: the rules decide what an unknown action means.
 */
final class AlterTableReader {

    private static final Set<String> CONSTRAINT_STARTS =
            Set.of("CONSTRAINT", "PRIMARY", "UNIQUE", "FOREIGN", "CHECK", "EXCLUDE");
    private static final Set<String> INDEX_STARTS = Set.of("INDEX", "KEY", "FULLTEXT", "SPATIAL");
    /** H2 and MySQL let ALTER COLUMN be followed by these sub-commands; anything else there is a new type (H2). */
    private static final Set<String> ALTER_COLUMN_SUBCOMMANDS =
            Set.of("SET", "DROP", "RENAME", "ADD", "RESTART", "SELECTIVITY", "TYPE", "OPTIONS", "RESET");

    private AlterTableReader() {}

    static List<AlterAction> readActions(TokenCursor c) {
        List<AlterAction> actions = new ArrayList<>();
        while (!c.atEnd()) {
            int first = c.position();
            Token start = c.peek();
            List<AlterAction> read = readAction(c, start.start());
            c.untilTopLevelComma();
            if (c.position() == first) {
                c.next(); // a stray closing parenthesis: never loop without progress
            }
            int end = c.previous().end();
            for (AlterAction a : read) {
                // the columns of a parenthesised ADD (a, b) keep their own ends
                actions.add(a.kind() == Kind.ADD_COLUMN && read.size() > 1 ? a : a.endingAt(end));
            }
            c.acceptKind(TokenKind.COMMA);
        }
        return actions;
    }

    private static List<AlterAction> readAction(TokenCursor c, int start) {
        if (c.acceptWord("ADD")) {
            return readAdd(c, start);
        }
        if (c.acceptWord("DROP")) {
            return List.of(readDrop(c, start));
        }
        if (c.acceptWord("RENAME")) {
            return List.of(readRename(c, start));
        }
        if (c.acceptWord("ALTER") || c.acceptWord("MODIFY")) {
            boolean modify = c.previous().isWord(c.sql(), "MODIFY");
            return List.of(modify ? readModify(c, start) : readAlterColumn(c, start));
        }
        if (c.acceptWord("CHANGE")) {
            c.acceptWord("COLUMN");
            c.acceptWords("IF", "EXISTS");
            Identifier old = c.acceptIdentifier();
            ColumnDefinition def = ColumnDefinitionReader.read(c);
            Kind kind = def.name() != null && old != null && !def.name().sameAs(old)
                    ? Kind.RENAME_COLUMN
                    : Kind.ALTER_COLUMN_TYPE;
            return List.of(action(kind, old, def.name(), def, null, false, start));
        }
        if (c.acceptWords("VALIDATE", "CONSTRAINT")) {
            return List.of(action(Kind.VALIDATE_CONSTRAINT, c.acceptIdentifier(), null, null, null, false, start));
        }
        Token t = c.peek();
        if (t.kind() == TokenKind.WORD
                && c.peek(1) != null
                && c.peek(1).kind() == TokenKind.OPERATOR
                && "=".equals(c.peek(1).text(c.sql()))) {
            return List.of(action(Kind.OPTION, null, null, null, null, false, start)); // ALGORITHM=…, LOCK=…
        }
        if (c.acceptWord("ALGORITHM") || c.acceptWord("LOCK")) {
            return List.of(action(Kind.OPTION, null, null, null, null, false, start));
        }
        if (c.acceptWords("SET", "TABLESPACE")) {
            return List.of(action(Kind.SET_TABLESPACE, null, null, null, null, false, start));
        }
        if (c.acceptWords("SET", "LOGGED") || c.acceptWords("SET", "UNLOGGED")) {
            return List.of(action(Kind.SET_LOGGED, null, null, null, null, false, start));
        }
        boolean attach = c.peekWord("ATTACH");
        if (c.acceptWords("ATTACH", "PARTITION") || c.acceptWords("DETACH", "PARTITION")) {
            QualifiedName partition = c.acceptName();
            return List.of(action(
                    attach ? Kind.ATTACH_PARTITION : Kind.DETACH_PARTITION,
                    partition == null ? null : partition.name(),
                    null,
                    null,
                    null,
                    false,
                    start));
        }
        return List.of(action(Kind.OTHER, null, null, null, null, false, start));
    }

    private static List<AlterAction> readAdd(TokenCursor c, int start) {
        if (c.peek() != null && c.peek().kind() == TokenKind.WORD) {
            String word = ColumnDefinitionReader.upper(c.peek(), c.sql());
            if (CONSTRAINT_STARTS.contains(word)) {
                return List.of(action(Kind.ADD_CONSTRAINT, null, null, null, readConstraint(c), false, start));
            }
            if (INDEX_STARTS.contains(word)) {
                return List.of(action(
                        Kind.ADD_INDEX,
                        null,
                        null,
                        null,
                        new Constraint("INDEX", null, List.of(), null, false, null, false),
                        false,
                        start));
            }
            if (word.equals("PARTITION") || mariaDbPeriodOrVersioning(c)) {
                return List.of(action(Kind.OTHER, null, null, null, null, false, start));
            }
        }
        c.acceptWord("COLUMN");
        boolean ifNotExists = c.acceptWords("IF", "NOT", "EXISTS");
        if (c.acceptKind(TokenKind.LEFT_PAREN)) {
            // MySQL: ADD [COLUMN] [IF NOT EXISTS] (col def, col def)
            List<AlterAction> columns = new ArrayList<>();
            while (!c.atEnd() && !c.peekKind(TokenKind.RIGHT_PAREN)) {
                int colStart = c.peek().start();
                ColumnDefinition def = ColumnDefinitionReader.read(c);
                columns.add(action(Kind.ADD_COLUMN, def.name(), null, def, null, ifNotExists, colStart)
                        .endingAt(c.previous().end()));
                if (!c.acceptKind(TokenKind.COMMA)) {
                    break;
                }
            }
            c.acceptKind(TokenKind.RIGHT_PAREN);
            return columns;
        }
        ColumnDefinition def = ColumnDefinitionReader.read(c);
        return List.of(action(Kind.ADD_COLUMN, def.name(), null, def, null, ifNotExists, start));
    }

    /**
     * After ADD: {@code [CONSTRAINT name] PRIMARY KEY (cols) | UNIQUE (cols) | UNIQUE USING INDEX i |
     * FOREIGN KEY (cols) REFERENCES t [(cols)] … | CHECK (expr) | EXCLUDE …}, then options such as NOT VALID.
     * Consumes nothing: the caller skips to the next action.
     */
    private static Constraint readConstraint(TokenCursor c) {
        int mark = c.position();
        Identifier name = c.acceptWord("CONSTRAINT") ? c.acceptIdentifier() : null;
        String kind;
        if (c.acceptWords("PRIMARY", "KEY")) {
            kind = "PRIMARY KEY";
        } else if (c.acceptWords("FOREIGN", "KEY")) {
            kind = "FOREIGN KEY";
        } else if (c.acceptWord("UNIQUE")) {
            kind = "UNIQUE";
            if (!c.acceptWords("NULLS", "NOT", "DISTINCT")) {
                c.acceptWords("NULLS", "DISTINCT");
            }
            c.acceptWord("KEY"); // MySQL: UNIQUE KEY name (cols)
            c.acceptWord("INDEX");
        } else if (c.acceptWord("CHECK")) {
            kind = "CHECK";
        } else if (c.acceptWord("EXCLUDE")) {
            kind = "EXCLUDE";
        } else {
            kind = "OTHER";
        }
        Identifier usingIndex = c.acceptWords("USING", "INDEX") ? c.acceptIdentifier() : null;
        List<Identifier> columns = List.of();
        if (!kind.equals("CHECK") && !kind.equals("EXCLUDE") && usingIndex == null) {
            if (kind.equals("UNIQUE") && !c.peekKind(TokenKind.LEFT_PAREN)) {
                c.acceptIdentifier(); // MySQL: UNIQUE [KEY] index_name (cols)
            }
            columns = identifierList(c);
        }
        QualifiedName references = null;
        if (kind.equals("FOREIGN KEY") && c.acceptWord("REFERENCES")) {
            references = c.acceptName();
            identifierList(c);
        }
        if (kind.equals("CHECK")) {
            c.skipParenthesised();
        }
        boolean plain = c.atEnd() || c.peekKind(TokenKind.COMMA);
        boolean notValid = false;
        int depth = 0;
        while (!c.atEnd() && !(depth == 0 && c.peekKind(TokenKind.COMMA))) {
            if (depth == 0 && c.acceptWords("NOT", "VALID")) {
                notValid = true;
                continue;
            }
            Token t = c.next();
            depth += t.kind() == TokenKind.LEFT_PAREN ? 1 : t.kind() == TokenKind.RIGHT_PAREN ? -1 : 0;
        }
        c.reset(mark);
        return new Constraint(kind, name, columns, references, notValid, usingIndex, plain);
    }

    /** {@code (a, b)}: plain column names; an expression column makes the list unusable (empty). */
    private static List<Identifier> identifierList(TokenCursor c) {
        if (!c.acceptKind(TokenKind.LEFT_PAREN)) {
            return List.of();
        }
        List<Identifier> names = new ArrayList<>();
        boolean plain = true;
        int depth = 1;
        while (!c.atEnd() && depth > 0) {
            Identifier id = depth == 1 ? c.acceptIdentifier() : null;
            if (id != null) {
                names.add(id);
                if (!c.peekKind(TokenKind.COMMA) && !c.peekKind(TokenKind.RIGHT_PAREN)) {
                    plain = false; // ASC, DESC, COLLATE, an expression …
                }
                continue;
            }
            Token t = c.next();
            if (t.kind() == TokenKind.LEFT_PAREN) {
                depth++;
                plain = false;
            } else if (t.kind() == TokenKind.RIGHT_PAREN) {
                depth--;
            }
        }
        return plain ? List.copyOf(names) : List.of();
    }

    /**
     * MariaDB's {@code ADD | DROP SYSTEM VERSIONING} and {@code ADD | DROP PERIOD FOR p (s, e)} are not columns named
     * SYSTEM or PERIOD: measured on 10.11, the server refuses INSTANT, NOCOPY and INPLACE for them (DROP SYSTEM
     * VERSIONING: LOCK=NONE too, and it deletes the history rows), so they are left to the catch-all as a table copy.
     */
    private static boolean mariaDbPeriodOrVersioning(TokenCursor c) {
        return c.peekWord("SYSTEM") && c.peekWord(1, "VERSIONING") || c.peekWord("PERIOD") && c.peekWord(1, "FOR");
    }

    private static AlterAction readDrop(TokenCursor c, int start) {
        if (c.acceptWord("CONSTRAINT") || c.acceptWords("FOREIGN", "KEY") || c.acceptWord("CHECK")) {
            boolean ifExists = c.acceptWords("IF", "EXISTS");
            return action(Kind.DROP_CONSTRAINT, c.acceptIdentifier(), null, null, null, ifExists, start);
        }
        if (c.acceptWords("PRIMARY", "KEY")) {
            return action(
                    Kind.DROP_CONSTRAINT,
                    null,
                    null,
                    null,
                    new Constraint("PRIMARY KEY", null, List.of(), null, false, null, false),
                    false,
                    start);
        }
        if (c.acceptWord("INDEX") || c.acceptWord("KEY")) {
            boolean ifExists = c.acceptWords("IF", "EXISTS");
            return action(Kind.DROP_INDEX, c.acceptIdentifier(), null, null, null, ifExists, start);
        }
        if (c.peekWord("PARTITION")
                || c.peekWord("DEFAULT")
                || c.peekWord("EXPRESSION")
                || c.peekWord("IDENTITY")
                || mariaDbPeriodOrVersioning(c)) {
            return action(Kind.OTHER, null, null, null, null, false, start);
        }
        c.acceptWord("COLUMN");
        boolean ifExists = c.acceptWords("IF", "EXISTS");
        return action(Kind.DROP_COLUMN, c.acceptIdentifier(), null, null, null, ifExists, start);
    }

    private static AlterAction readRename(TokenCursor c, int start) {
        if (c.acceptWord("TO") || c.acceptWord("AS")) {
            QualifiedName newName = c.acceptName();
            return action(Kind.RENAME_TABLE, null, newName == null ? null : newName.name(), null, null, false, start);
        }
        if (c.peekWord("CONSTRAINT") || c.peekWord("INDEX") || c.peekWord("KEY")) {
            return action(Kind.OTHER, null, null, null, null, false, start);
        }
        boolean explicitColumn = c.acceptWord("COLUMN");
        QualifiedName name = c.acceptName();
        if (!explicitColumn && !c.peekWord("TO") && name != null) {
            // MySQL: RENAME [TO | AS] new_name, where TO is optional; a column rename always has TO
            return action(Kind.RENAME_TABLE, null, name.name(), null, null, false, start);
        }
        c.acceptWord("TO");
        return action(
                Kind.RENAME_COLUMN, name == null ? null : name.name(), c.acceptIdentifier(), null, null, false, start);
    }

    private static AlterAction readModify(TokenCursor c, int start) {
        c.acceptWord("COLUMN");
        c.acceptWords("IF", "EXISTS");
        ColumnDefinition def = ColumnDefinitionReader.read(c);
        return action(Kind.ALTER_COLUMN_TYPE, def.name(), null, def, null, false, start);
    }

    private static AlterAction readAlterColumn(TokenCursor c, int start) {
        if (c.peekWord("CONSTRAINT") || c.peekWord("INDEX") || c.peekWord("KEY") || c.peekWord("CHECK")) {
            // MySQL: ALTER CHECK ck [NOT] ENFORCED; MariaDB: ALTER {INDEX | KEY} i [NOT] IGNORED (KEY is reserved)
            return action(Kind.OTHER, null, null, null, null, false, start);
        }
        c.acceptWord("COLUMN");
        c.acceptWords("IF", "EXISTS");
        Identifier column = c.acceptIdentifier();
        if (c.acceptWord("TYPE") || c.acceptWords("SET", "DATA", "TYPE")) {
            return action(Kind.ALTER_COLUMN_TYPE, column, null, newType(c, column), null, false, start);
        }
        if (c.acceptWords("SET", "NOT", "NULL")) {
            return action(Kind.SET_NOT_NULL, column, null, null, null, false, start);
        }
        if (c.acceptWords("DROP", "NOT", "NULL") || c.acceptWords("SET", "NULL")) {
            return action(Kind.DROP_NOT_NULL, column, null, null, null, false, start);
        }
        if (c.acceptWords("SET", "DEFAULT")) {
            return action(Kind.SET_DEFAULT, column, null, null, null, false, start);
        }
        if (c.acceptWords("DROP", "DEFAULT")) {
            return action(Kind.DROP_DEFAULT, column, null, null, null, false, start);
        }
        if (c.acceptWords("RENAME", "TO")) {
            return action(Kind.RENAME_COLUMN, column, c.acceptIdentifier(), null, null, false, start);
        }
        Token next = c.peek();
        if (next != null
                && next.kind() == TokenKind.WORD
                && !ALTER_COLUMN_SUBCOMMANDS.contains(ColumnDefinitionReader.upper(next, c.sql()))) {
            return action(
                    Kind.ALTER_COLUMN_TYPE,
                    column,
                    null,
                    newType(c, column),
                    null,
                    false,
                    start); // H2: ALTER COLUMN c BIGINT
        }
        return action(Kind.OTHER, column, null, null, null, false, start);
    }

    /** The type of {@code ALTER COLUMN c TYPE <type> [COLLATE …] [USING …]}, as written; consumes nothing. */
    private static ColumnDefinition newType(TokenCursor c, Identifier column) {
        int mark = c.position();
        // ALTER COLUMN c NOT NULL / NULL / DEFAULT 1 (H2) names no type: readUntil stops on a clause word only after
        // the first token
        boolean noType = !c.atEnd()
                && c.peek().kind() == TokenKind.WORD
                && NEW_TYPE_ENDS.contains(c.peek().text(c.sql()).toUpperCase(Locale.ROOT));
        String type = noType ? null : ColumnDefinitionReader.readUntil(c, NEW_TYPE_ENDS);
        c.reset(mark);
        return new ColumnDefinition(column, type, false, null, false, false, false, false, null);
    }

    /** The clauses that may follow the type of ALTER COLUMN … TYPE (and H2's ALTER COLUMN c <type> …). */
    private static final Set<String> NEW_TYPE_ENDS = Set.of("USING", "COLLATE", "NOT", "NULL", "DEFAULT");

    private static AlterAction action(
            Kind kind,
            Identifier column,
            Identifier newName,
            ColumnDefinition def,
            Constraint constraint,
            boolean ifExists,
            int start) {
        return new AlterAction(kind, column, newName, def, constraint, ifExists, start, -1);
    }
}
