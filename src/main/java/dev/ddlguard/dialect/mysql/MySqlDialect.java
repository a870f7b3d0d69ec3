package dev.ddlguard.dialect.mysql;

import dev.ddlguard.BlockedStatementException;
import dev.ddlguard.dialect.Dialect;
import dev.ddlguard.dialect.SessionTimeout;
import dev.ddlguard.rules.Catalog;
import dev.ddlguard.rules.LockImpact;
import dev.ddlguard.rules.PlanHint;
import dev.ddlguard.rules.Rule;
import dev.ddlguard.sql.AlterAction;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.Verb;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * MySQL and MariaDB: their lexical rules, metadata-lock and statement timeouts, catalog questions and
 * rule pack ({@link MySqlRules}: ALGORITHM/LOCK from the online-DDL matrix, measured per server).
 */
public final class MySqlDialect implements Dialect {

    /** lock_wait_timeout is in whole seconds, at least 1. */
    private static final SessionTimeout LOCK_TIMEOUT = SessionTimeout.of(
            "lock_wait_timeout",
            SessionTimeout::lockWaitSeconds,
            "SELECT @@SESSION.lock_wait_timeout",
            t -> "SET SESSION lock_wait_timeout = " + Math.max(1, (t.toMillis() + 999) / 1000),
            previous -> "SET SESSION lock_wait_timeout = " + Long.parseLong(previous));
    /**
     * MariaDB's max_statement_time (seconds, fractions allowed) bounds every statement, DDL included; MySQL's
     * max_execution_time bounds only SELECT, so on MySQL the guard falls back to the JDBC query timeout.
     */
    private static final SessionTimeout MARIADB_STATEMENT_TIMEOUT = SessionTimeout.of(
            "max_statement_time",
            SessionTimeout::seconds,
            "SELECT @@SESSION.max_statement_time",
            t -> "SET SESSION max_statement_time = " + t.toMillis() / 1000.0,
            previous -> "SET SESSION max_statement_time = " + Double.parseDouble(previous));

    /** ER_LOCK_WAIT_TIMEOUT, also raised when lock_wait_timeout expires on a metadata lock. */
    private static final int LOCK_WAIT_TIMEOUT = 1205;

    /** Judging for a server without being connected to it assumes these: MariaDB 10.11 LTS, MySQL 8.4 LTS. */
    static final int DEFAULT_MARIADB = OnlineDdlMatrix.MARIADB_10_11;

    static final int DEFAULT_MYSQL = OnlineDdlMatrix.MYSQL_8_4;

    private final String name;
    private final OnlineDdlMatrix.Flavour flavour;
    private final int version;
    private final List<Rule> rules;

    public MySqlDialect(boolean mariadb) {
        this(mariadb, 0);
    }

    /** @param version the server's version in the matrix encoding (major*10000+minor*100+patch), 0 for the default */
    public MySqlDialect(boolean mariadb, int version) {
        this.name = mariadb ? "mariadb" : "mysql";
        this.flavour = mariadb ? OnlineDdlMatrix.Flavour.MARIADB : OnlineDdlMatrix.Flavour.MYSQL;
        this.version = version != 0 ? version : mariadb ? DEFAULT_MARIADB : DEFAULT_MYSQL;
        this.rules = MySqlRules.forFlavour(flavour, this.version);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public SqlSyntax syntax() {
        return SqlSyntax.MYSQL;
    }

    @Override
    public List<Rule> rules() {
        return rules;
    }

    @Override
    public Catalog catalog(Connection connection) {
        return new MySqlCatalog(connection, flavour == OnlineDdlMatrix.Flavour.MARIADB);
    }

    @Override
    public int defaultServerVersion() {
        return version;
    }

    @Override
    public int serverVersion(Connection connection) {
        return version; // read from DatabaseMetaData when the dialect was chosen
    }

    @Override
    public LockImpact lockImpact(DdlStatement statement) {
        return MySqlLockModel.of(statement, flavour, version, Catalog.OFFLINE);
    }

    /**
     * EXCHANGE PARTITION's row check reads the table it swaps in, CREATE TABLE … SELECT its one source: that
     * table's size is the lock's duration.
     */
    @Override
    public QualifiedName sizedTable(DdlStatement statement) {
        List<QualifiedName> copied = CopyRules.sources(statement);
        if (copied.size() > 1) {
            return statement.table(); // a join's copy lasts as long as all of them: unknown, never "small"
        }
        if (copied.size() == 1) {
            return copied.get(0);
        }
        AlterAction exchange = PartitionRules.exchange(statement);
        if (exchange != null && PartitionRules.checksRows(statement, exchange)) {
            QualifiedName swapped = PartitionRules.swappedInTable(statement, exchange);
            return swapped == null ? statement.table() : swapped;
        }
        return statement.table();
    }

    @Override
    public LockImpact lockImpact(DdlStatement statement, Catalog catalog) {
        return MySqlLockModel.of(statement, flavour, version, catalog);
    }

    @Override
    public List<Catalog.Session> queuedBehind(DdlStatement statement, Catalog catalog) {
        return MySqlRules.holders(statement, catalog);
    }

    /**
     * The server refused every online clause the guard tried: the change has no online path on this
     * server. Says exactly what the server answered to each, and what to do instead.
     */
    @Override
    public SQLException explainFailure(SQLException failure, DdlStatement executed, List<String> refused) {
        if (!MySqlClauses.isRefusal(failure.getErrorCode())) {
            return null;
        }
        List<String> answers = new ArrayList<>(refused);
        String last = describeRefusal(failure, executed);
        if (answers.isEmpty() || !answers.get(answers.size() - 1).equals(last)) {
            answers.add(last);
        }
        MySqlStatement m = MySqlStatement.of(executed, flavour, version, Catalog.OFFLINE);
        String clause = clauseOf(m);
        String weaker = clause == null ? null : OnlineDdlMatrix.weakerOnlineClause(flavour, clause);
        if (weaker != null) {
            // Not every online form was tried: a prepared statement's SQL is fixed, it cannot be sent with another
            // clause.
            return new BlockedStatementException(
                    "ddlguard blocked " + executed.summary() + ".\n"
                            + "[require-online-ddl] the server refused the online clause the guard added ("
                            + String.join("; then ", answers)
                            + "), and a prepared statement cannot be sent again with the next weaker online clause, "
                            + weaker
                            + ". Nothing was changed. Instead: write " + weaker
                            + " in the statement yourself, or run it through a"
                            + " plain Statement, with which the guard tries the weaker online clauses itself.",
                    List.of("require-online-ddl"));
        }
        String asWritten = withoutClause(m);
        StringBuilder text = new StringBuilder("ddlguard blocked ")
                .append(executed.summary())
                .append(".\n")
                .append("[require-online-ddl] the server refused every online form of it (")
                .append(String.join("; then ", answers))
                .append(
                        "): it has no online path on this server, only forms that block writes while they run (LOCK=SHARED,"
                                + " or a table copy). Nothing was changed. Instead: ")
                .append(MySqlRules.ALTERNATIVES)
                .append('.');
        if (asWritten != null
                && executed.actions().stream().anyMatch(a -> a.kind() == AlterAction.Kind.ALTER_COLUMN_TYPE)) {
            text.append("\nThe expand-contract plan, phase by phase: ").append(PlanHint.command(name, asWritten));
        }
        text.append("\nIf it is safe here (a maintenance window), add /* ddlguard:allow require-online-ddl <reason> */"
                + " to the statement.");
        return new BlockedStatementException(text.toString(), List.of("require-online-ddl"));
    }

    /** The statement without the clause the guard appended (for the plan command), or null when it is not found. */
    private String withoutClause(MySqlStatement m) {
        String sql = m.ddl().text().source();
        String clause = clauseOf(m);
        if (clause == null || !MySqlClauses.acceptsClause(m.kind(), flavour)) {
            return null;
        }
        String rendered = (m.kind() == MySqlClauses.StatementKind.ALTER_TABLE ? ", " : " ")
                + MySqlClauses.render(m.kind(), flavour, clause);
        int at = sql.lastIndexOf(rendered);
        return at < 0 ? null : (sql.substring(0, at) + sql.substring(at + rendered.length())).strip();
    }

    /** {@code ALGORITHM=INSTANT, LOCK=NONE: ERROR 1845 "ALGORITHM=INSTANT is not supported … Try ALGORITHM=INPLACE"}. */
    @Override
    public String describeRefusal(SQLException failure, DdlStatement executed) {
        if (!MySqlClauses.isRefusal(failure.getErrorCode())) {
            return null;
        }
        MySqlStatement m = MySqlStatement.of(executed, flavour, version, Catalog.OFFLINE);
        String clause = clauseOf(m);
        return (clause == null ? "the clause" : clause) + ": ERROR " + failure.getErrorCode() + " \""
                + String.valueOf(failure.getMessage()).strip() + "\"";
    }

    /**
     * The server refused the online clause the guard added: the same string with the next weaker
     * online clause in its place (INSTANT, then NOCOPY, then INPLACE, always LOCK=NONE), or null
     * when there is none. The clause is the one the guard rendered, so it is found as rendered, the
     * last time it occurs (the guard put it after the statement's last code token).
     */
    @Override
    public String weakerRewrite(SQLException failure, String sent, DdlStatement executed) {
        if (!MySqlClauses.isRefusal(failure.getErrorCode())) {
            return null;
        }
        MySqlStatement m = MySqlStatement.of(executed, flavour, version, Catalog.OFFLINE);
        String clause = clauseOf(m);
        if (clause == null || !MySqlClauses.acceptsClause(m.kind(), flavour)) {
            return null;
        }
        String weaker = OnlineDdlMatrix.weakerOnlineClause(flavour, clause);
        if (weaker == null) {
            return null;
        }
        String old = MySqlClauses.render(m.kind(), flavour, clause);
        int at = sent.lastIndexOf(old);
        return at < 0
                ? null
                : sent.substring(0, at)
                        + MySqlClauses.render(m.kind(), flavour, weaker)
                        + sent.substring(at + old.length());
    }

    /** The clause a statement carries, as the guard writes it: {@code ALGORITHM=X, LOCK=Y} or {@code ALGORITHM=X}. */
    private static String clauseOf(MySqlStatement m) {
        if (m.algorithm() == null) {
            return null;
        }
        return "ALGORITHM=" + m.algorithm() + (m.lock() == null ? "" : ", LOCK=" + m.lock());
    }

    /** InnoDB reports rows affected only when it copied the table: an in-place or instant ALTER reports 0. */
    @Override
    public String noteAfterSuccess(DdlStatement executed, long rowsAffected) {
        return executed.is(Verb.ALTER, "TABLE") && rowsAffected > 0
                ? "the server copied the table (" + rowsAffected + " rows affected)"
                : null;
    }

    @Override
    public SessionTimeout lockTimeout() {
        return LOCK_TIMEOUT;
    }

    @Override
    public SessionTimeout statementTimeout() {
        return flavour == OnlineDdlMatrix.Flavour.MARIADB ? MARIADB_STATEMENT_TIMEOUT : SessionTimeout.NONE;
    }

    @Override
    public boolean isLockTimeout(SQLException e) {
        return e.getErrorCode() == LOCK_WAIT_TIMEOUT;
    }

    /** 1969 ER_STATEMENT_TIMEOUT (MariaDB max_statement_time); 1317 ER_QUERY_INTERRUPTED (the JDBC timeout's KILL QUERY). */
    @Override
    public boolean isStatementTimeout(SQLException e) {
        return e.getErrorCode() == 1969 || e.getErrorCode() == 1317;
    }

    /** 1213 ER_LOCK_DEADLOCK (SQLSTATE 40001). */
    @Override
    public boolean isDeadlock(SQLException e) {
        return e.getErrorCode() == 1213;
    }
}
