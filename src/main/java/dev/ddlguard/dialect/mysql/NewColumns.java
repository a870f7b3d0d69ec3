package dev.ddlguard.dialect.mysql;

import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.*;

import dev.ddlguard.rules.Catalog;
import dev.ddlguard.sql.AlterAction;
import dev.ddlguard.sql.ColumnDefinition;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.SqlLexer;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.Token;
import dev.ddlguard.sql.TokenKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What an {@code ADD COLUMN} asks of InnoDB beyond the column itself: its position, an index for an inline UNIQUE or
 * PRIMARY KEY, a foreign key for an inline REFERENCES (MariaDB creates one; MySQL before 9.0 parses and ignores it),
 * and a DEFAULT the server must evaluate for each existing row. Measured on MariaDB 10.11, each against ALGORITHM=
 * INSTANT, NOCOPY and INPLACE with LOCK=NONE: {@code x INT UNIQUE} is INPLACE; {@code x INT REFERENCES p(id)} is COPY
 * only ("Adding foreign keys needs foreign_key_checks=OFF"); a DEFAULT of {@code UUID()}, {@code UUID_SHORT()},
 * {@code NEXTVAL(s)}, {@code SYSDATE()}, {@code UTC_TIMESTAMP()} or another column ({@code (a + 1)}) is COPY only,
 * while {@code NOW()}, {@code CURRENT_TIMESTAMP}, {@code RAND()}, {@code USER()}, {@code CONCAT('a','b')} and
 * constants stay INSTANT.
 */
final class NewColumns {

    private NewColumns() {}

    /** MariaDB: the functions whose DEFAULT is evaluated per row (measured COPY only), lower case. */
    private static final Set<String> PER_ROW_FUNCTIONS = Set.of(
            "uuid",
            "uuid_short",
            "sys_guid",
            "nextval",
            "lastval",
            "setval",
            "sysdate",
            "utc_timestamp",
            "utc_date",
            "utc_time");

    /**
     * Words a DEFAULT expression may hold that name no column (the time keywords without parentheses, INTERVAL units,
     * operators, CASE): any other bare word is taken for a column, which MariaDB evaluates per row.
     */
    private static final Set<String> NOT_COLUMNS = Set.of(
            "current_timestamp",
            "current_date",
            "current_time",
            "localtime",
            "localtimestamp",
            "current_user",
            "current_role",
            "null",
            "true",
            "false",
            "unknown",
            "interval",
            "microsecond",
            "second",
            "minute",
            "hour",
            "day",
            "week",
            "month",
            "quarter",
            "year",
            "and",
            "or",
            "xor",
            "not",
            "div",
            "mod",
            "is",
            "in",
            "like",
            "between",
            "case",
            "when",
            "then",
            "else",
            "end",
            "binary",
            "collate",
            "as",
            "char",
            "signed",
            "unsigned",
            "date",
            "time",
            "datetime",
            "decimal",
            "integer",
            "json",
            "utf8mb4",
            "using");

    /** The position class alone, for a caller that asks about one action without the catalog. */
    static OnlineDdlOperation added(DdlStatement s, AlterAction a) {
        ColumnDefinition d = a.definition();
        if (d != null && d.identity()) {
            return ADD_AUTO_INCREMENT_COLUMN;
        }
        if (d != null && d.generated()) {
            return s.text().hasWord("STORED", a.start(), a.end()) || s.text().hasWord("PERSISTENT", a.start(), a.end())
                    ? ADD_STORED_GENERATED_COLUMN
                    : ADD_VIRTUAL_GENERATED_COLUMN;
        }
        return s.text().hasWord("FIRST", a.start(), a.end()) || s.text().hasWord("AFTER", a.start(), a.end())
                ? ADD_COLUMN_FIRST_OR_AFTER
                : ADD_COLUMN_LAST;
    }

    /** Every operation the ADD COLUMN performs. */
    static List<OnlineDdlOperation> operations(
            DdlStatement s, AlterAction a, Catalog catalog, OnlineDdlMatrix.Flavour flavour) {
        List<OnlineDdlOperation> ops = new ArrayList<>(2);
        ops.add(added(s, a));
        ColumnDefinition d = a.definition();
        if (d == null) {
            return ops;
        }
        if (d.defaultExpr() != null && !d.generated() && evaluatedPerRow(d.defaultExpr(), flavour)) {
            ops.add(ADD_COLUMN_ROW_DEFAULT);
        }
        if (d.primaryKey()) {
            ops.add(ADD_PRIMARY_KEY);
        } else if (d.unique()) {
            ops.add(ADD_INDEX);
        }
        if (d.references() != null && flavour == OnlineDdlMatrix.Flavour.MARIADB) {
            ops.add(MySqlOperations.foreignKey(s, d.name() == null ? List.of() : List.of(d.name()), catalog));
        }
        return ops;
    }

    /**
     * Whether the server computes the DEFAULT for each existing row when the column is added. MySQL: any
     * parenthesised expression (it refuses INSTANT for all of them). MariaDB: a per-row function or a column.
     */
    static boolean evaluatedPerRow(String defaultExpr, OnlineDdlMatrix.Flavour flavour) {
        String expr = defaultExpr.strip();
        if (flavour == OnlineDdlMatrix.Flavour.MYSQL) {
            return expr.startsWith("(");
        }
        List<Token> tokens = SqlLexer.tokenize(expr, SqlSyntax.MYSQL).stream()
                .filter(t -> !t.isComment())
                .toList();
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            boolean call = i + 1 < tokens.size() && tokens.get(i + 1).kind() == TokenKind.LEFT_PAREN;
            if (t.kind() == TokenKind.QUOTED_IDENTIFIER && !call) {
                return true; // `a`: a column
            }
            if (t.kind() == TokenKind.WORD) {
                String word = t.text(expr).toLowerCase(Locale.ROOT);
                if (call ? PER_ROW_FUNCTIONS.contains(word) : !NOT_COLUMNS.contains(word)) {
                    return true; // UUID(), or a column (NEXT VALUE FOR s reads as one too: per row, rightly)
                }
            }
        }
        return false;
    }
}
