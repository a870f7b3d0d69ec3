package dev.ddlguard.dialect.mysql;

import dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Flavour;
import dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Support;
import dev.ddlguard.rules.Catalog;
import dev.ddlguard.rules.StatementWords;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.Token;
import dev.ddlguard.sql.TokenKind;
import dev.ddlguard.sql.Verb;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One statement as the online-DDL matrix sees it on a given server: its operations, what the server
 * can do for them together, and the ALGORITHM/LOCK the author wrote, if any.
 *
 * @param support  what the server can do for all operations at once, or null when the matrix does not cover the statement
 * @param algorithm the ALGORITHM= the statement names, upper case, or null
 * @param lock      the LOCK= the statement names, upper case, or null
 */
record MySqlStatement(
        DdlStatement ddl,
        Flavour flavour,
        List<OnlineDdlOperation> operations,
        Support support,
        String algorithm,
        String lock) {

    static MySqlStatement of(DdlStatement ddl, Flavour flavour, int version, Catalog catalog) {
        return catalog.oncePerJudgement(new Key(ddl, flavour, version), () -> read(ddl, flavour, version, catalog));
    }

    /** The statement object itself, not an equal one: a key lives for one judgement of one statement. */
    private record Key(DdlStatement ddl, Flavour flavour, int version) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.ddl == ddl && k.flavour == flavour && k.version == version;
        }

        @Override
        public int hashCode() {
            return (System.identityHashCode(ddl) * 31 + flavour.hashCode()) * 31 + version;
        }
    }

    private static MySqlStatement read(DdlStatement ddl, Flavour flavour, int version, Catalog catalog) {
        List<OnlineDdlOperation> ops = MySqlOperations.of(ddl, catalog, flavour);
        Support support = null;
        if (!ops.isEmpty()) {
            // A FULLTEXT index (its hidden FTS_DOC_ID) rules out instant column changes and online rebuilds.
            boolean fulltext =
                    ddl.table() != null && catalog.indexTypes(ddl.table()).contains("FULLTEXT");
            support = OnlineDdlCombination.combine(flavour, version, ops, fulltext);
        }
        return new MySqlStatement(ddl, flavour, ops, support, option(ddl, "ALGORITHM"), option(ddl, "LOCK"));
    }

    /** Whether the author already chose ALGORITHM or LOCK: the guard does not second-guess an explicit clause. */
    boolean hasClause() {
        return algorithm != null || lock != null;
    }

    /** The statement kind for clause placement (MySqlClauses). */
    MySqlClauses.StatementKind kind() {
        if (ddl.is(Verb.CREATE, "INDEX")) {
            return MySqlClauses.StatementKind.CREATE_INDEX;
        }
        if (ddl.is(Verb.DROP, "INDEX")) {
            return MySqlClauses.StatementKind.DROP_INDEX;
        }
        if (ddl.verb() == Verb.OPTIMIZE) {
            return MySqlClauses.StatementKind.OPTIMIZE_TABLE;
        }
        if (operations.stream().anyMatch(PARTITIONING::contains)) {
            return operations.contains(OnlineDdlOperation.PARTITION_BY)
                            || operations.contains(OnlineDdlOperation.REMOVE_PARTITIONING)
                    ? MySqlClauses.StatementKind.ALTER_TABLE_PARTITIONING
                    : MySqlClauses.StatementKind.ALTER_TABLE_PARTITION_MAINTENANCE;
        }
        return MySqlClauses.StatementKind.ALTER_TABLE;
    }

    private static final Set<OnlineDdlOperation> PARTITIONING = EnumSet.of(
            OnlineDdlOperation.PARTITION_BY,
            OnlineDdlOperation.ADD_PARTITION,
            OnlineDdlOperation.DROP_PARTITION,
            OnlineDdlOperation.TRUNCATE_PARTITION,
            OnlineDdlOperation.REORGANIZE_OR_REPARTITION,
            OnlineDdlOperation.REMOVE_PARTITIONING);

    /** Partitioning changes the rules block outright: MariaDB copies every row for them whatever the clause says. */
    boolean repartitions() {
        return operations.contains(OnlineDdlOperation.PARTITION_BY)
                || operations.contains(OnlineDdlOperation.REMOVE_PARTITIONING)
                || operations.contains(OnlineDdlOperation.REORGANIZE_OR_REPARTITION)
                // written after the last change without a comma, the clause is read as part of that change (an
                // outside tester's ADD COLUMN IF NOT EXISTS c INT PARTITION BY HASH (id) PARTITIONS 4)
                || ddl.is(Verb.ALTER, "TABLE")
                        && (StatementWords.has(ddl, "PARTITION", "BY")
                                || StatementWords.has(ddl, "REMOVE", "PARTITIONING"));
    }

    /**
     * {@code ALGORITHM = X} or {@code ALGORITHM X} written anywhere at the top level of the statement; written twice,
     * the last, as the server takes it (an outside tester's {@code ALGORITHM=NOCOPY, ALGORITHM=COPY} was judged by
     * the first and copied 1.5M rows).
     */
    private static String option(DdlStatement ddl, String name) {
        List<Token> tokens = ddl.text().code();
        String sql = ddl.text().source();
        String last = null;
        for (int i = 0; i + 1 < tokens.size(); i++) {
            if (!tokens.get(i).isWord(sql, name)) {
                continue;
            }
            int v = i + 1;
            if (tokens.get(v).kind() == TokenKind.OPERATOR
                    && "=".equals(tokens.get(v).text(sql))
                    && v + 1 < tokens.size()) {
                v++;
            }
            if (tokens.get(v).kind() == TokenKind.WORD) {
                last = tokens.get(v).text(sql).toUpperCase(Locale.ROOT);
            }
        }
        return last;
    }
}
