package dev.ddlguard.engine;

import dev.ddlguard.BlockedStatementException;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.StatementSplitter;
import dev.ddlguard.sql.StatementText;
import java.util.List;

/**
 * A string of several statements that holds a CONCURRENTLY one, in autocommit. PostgreSQL runs the
 * statements of one query string as a single implicit transaction ("Multiple Statements in a Simple
 * Query", protocol-flow section of the manual), and CONCURRENTLY cannot run inside a transaction block
 * (25001): sent whole, the string fails, part-way through on some servers. So the guard sends its
 * statements one by one on the caller's own statement. The caller then sees the results of the last
 * one only (an update count of 0 for DDL, where the whole string would have given one per statement).
 * A string that also holds statements other than DDL (a query whose rows the caller reads, say), or a
 * prepared one (which runs as prepared, whole), is refused before anything runs: its results cannot
 * be handed back as the caller expects them.
 */
final class OneByOne {

    static final String NOTE = "sent one statement at a time: a multi-statement string runs as one transaction, "
            + "where CONCURRENTLY cannot run";

    private OneByOne() {}

    /**
     * The statements to send one by one, or null to send the string whole (it holds one statement).
     *
     * @throws BlockedStatementException when the string mixes other statements with the DDL
     */
    static List<String> pieces(Judgement j, SqlSyntax syntax, boolean prepared) throws BlockedStatementException {
        List<String> pieces = StatementSplitter.split(j.sqlToSend(), syntax).stream()
                .filter(t -> t.tokens().stream().anyMatch(token -> !token.isComment()))
                .map(StatementText::text)
                .toList();
        if (pieces.size() <= 1) {
            return null;
        }
        if (prepared) {
            throw new BlockedStatementException(
                    "ddlguard: this prepared string holds " + pieces.size() + " statements, one "
                            + "of them CONCURRENTLY; PostgreSQL runs one string as one transaction, where CONCURRENTLY cannot run, "
                            + "and a prepared statement cannot be sent in parts. Nothing was run. Instead: prepare (or execute) "
                            + "each statement on its own",
                    List.of());
        }
        if (pieces.size() != j.statements().size()) {
            throw new BlockedStatementException(
                    "ddlguard: this string holds a CONCURRENTLY statement and "
                            + (pieces.size() - j.statements().size())
                            + " statement(s) that are not DDL; PostgreSQL runs one string "
                            + "as one transaction, where CONCURRENTLY cannot run, and the guard can only send DDL one statement "
                            + "at a time. Nothing was run. Instead: send the CONCURRENTLY statement on its own",
                    List.of());
        }
        return pieces;
    }

    static String failedAt(int index, int count) {
        return "statement " + (index + 1) + " of " + count + " failed"
                + (index == 0 ? "" : "; the " + index + " before it ran and stay");
    }
}
