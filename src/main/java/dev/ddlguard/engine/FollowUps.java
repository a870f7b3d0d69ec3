package dev.ddlguard.engine;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guard's own statements after a rewrite ran: its follow-ups (VALIDATE CONSTRAINT, …) and, when one
 * of them fails, the undo that takes the first statement back.
 */
final class FollowUps {

    private static final Logger LOG = LoggerFactory.getLogger("dev.ddlguard");

    private final Connection raw;

    FollowUps(Connection raw) {
        this.raw = raw;
    }

    /** Sends one follow-up statement. */
    @FunctionalInterface
    interface Send {
        void run(String sql) throws SQLException;
    }

    /**
     * Runs a rewrite's follow-ups in order, after its first statement succeeded. When one fails, the first
     * statement is taken back where the rewrite says how, and {@code note} is told what ran, what failed and
     * what stayed, before the failure is thrown on.
     */
    void run(Judgement j, Send send, Consumer<String> note) throws SQLException {
        List<String> followUps = j.followUps();
        for (int i = 0; i < followUps.size(); i++) {
            String followUp = followUps.get(i);
            try {
                send.run(followUp);
            } catch (SQLException e) {
                note.accept("the first statement ran; follow-up " + (i + 1) + " of " + followUps.size() + " failed ("
                        + followUp + ")" + undo(j));
                throw e;
            }
        }
    }

    /**
     * Sends one statement of the guard's own: a rewrite's follow-up, with the caller's query timeout
     * (a VALIDATE CONSTRAINT scans the table, and the caller set a bound on what it asked for; like
     * every JDBC query timeout it counts per statement, so the follow-up gets the whole of it), or an
     * undo, with none ({@code 0}).
     */
    Void runOne(String sql, int queryTimeoutSeconds) throws SQLException {
        try (Statement st = raw.createStatement()) {
            if (queryTimeoutSeconds > 0) {
                st.setQueryTimeout(queryTimeoutSeconds);
            }
            st.execute(sql);
        }
        return null;
    }

    /** The query timeout the caller set on its statement, in seconds; 0 (none) when there is no statement. */
    static int queryTimeout(Statement statement) throws SQLException {
        return statement == null ? 0 : statement.getQueryTimeout();
    }

    /**
     * Takes back a rewrite's first statement when a follow-up failed (a NOT VALID constraint whose
     * VALIDATE found bad rows), so the schema is as before and the migration can simply be re-run.
     * Returns the rest of the audit note: what was taken back, or why it stays.
     */
    private String undo(Judgement j) {
        if (j.undo().isEmpty()) {
            return "; what ran before it stays";
        }
        String statements = String.join("; ", j.undo());
        try {
            for (String statement : j.undo()) {
                runOne(statement, 0);
            }
            LOG.warn("ddlguard: a follow-up statement failed; took back the first one: {}", statements);
            return "; took back the first: " + statements;
        } catch (SQLException | RuntimeException e) {
            String why = j.secrets().scrub(String.valueOf(e.getMessage())).replaceAll("[.\\s]+$", "");
            LOG.warn(
                    "ddlguard: a follow-up statement failed and taking back the first one ({}) failed too: {}",
                    statements,
                    why);
            return "; taking back the first (" + statements + ") failed too: " + why
                    + "; the first statement's change stays";
        }
    }
}
