package dev.ddlguard.reliability;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;

/**
 * What the PostgreSQL server itself ran as DDL, for the fuzz run's differential check: an event trigger
 * on {@code ddl_command_start} (PostgreSQL manual, "Event Trigger Firing Matrix") counts, in sequences,
 * the DDL commands that started, split into top-level ones (sent by the client: each must be a statement
 * the guard judged) and nested ones (run by a function or DO block the statement called; PL/pgSQL's
 * {@code PG_CONTEXT} has more than the trigger's own frame then). Sequences, because they count even
 * when the transaction is rolled back; the commands' tags go to a table, read for a failure's message.
 *
 * <p>Set up as the superuser in the scratch database; the fuzzing role can neither drop nor disable it.
 */
final class ServerDdlLog {

    /**
     * Tags of top-level DDL the guard does not judge yet, each a known gap of the README. None is left:
     * PostgreSQL's {@code SELECT … INTO new_table}, the last one, is judged as the CREATE TABLE … AS it is.
     */
    static final Set<String> KNOWN_GAP_TAGS = Set.of();

    private final Connection monitor;
    private long top;
    private long nested;

    /** Counts of one statement: top-level DDL commands started, nested ones, and the tags, for messages. */
    record Seen(long top, long nested, long knownGaps, String tags) {}

    private ServerDdlLog(Connection monitor) throws SQLException {
        this.monitor = monitor;
        since();
    }

    /** Installs the trigger with the superuser's connection {@code admin} to the scratch database. */
    static ServerDdlLog install(Connection admin) throws SQLException {
        try (Statement st = admin.createStatement()) {
            st.execute("CREATE SCHEMA fz_server");
            st.execute("CREATE SEQUENCE fz_server.top");
            st.execute("CREATE SEQUENCE fz_server.nested");
            st.execute("CREATE SEQUENCE fz_server.known_gap");
            st.execute("CREATE TABLE fz_server.seen (id bigserial, tag text, nested boolean)");
            st.execute("SELECT nextval('fz_server.top'), nextval('fz_server.nested'), nextval('fz_server.known_gap')");
            st.execute("""
                    CREATE FUNCTION fz_server.log() RETURNS event_trigger LANGUAGE plpgsql SECURITY DEFINER
                    SET search_path = pg_catalog AS $$
                    DECLARE stack text;
                    BEGIN
                      GET DIAGNOSTICS stack = PG_CONTEXT;
                      IF position(E'\\n' in stack) > 0 THEN
                        PERFORM nextval('fz_server.nested');
                      ELSIF tg_tag IN ('%s') THEN
                        PERFORM nextval('fz_server.known_gap');
                      ELSE
                        PERFORM nextval('fz_server.top');
                      END IF;
                      INSERT INTO fz_server.seen (tag, nested) VALUES (tg_tag, position(E'\\n' in stack) > 0);
                    END $$""".formatted(String.join("','", KNOWN_GAP_TAGS)));
            st.execute("CREATE EVENT TRIGGER fz_server_ddl ON ddl_command_start EXECUTE FUNCTION fz_server.log()");
            st.execute("REVOKE ALL ON SCHEMA fz_server FROM PUBLIC");
        }
        return new ServerDdlLog(admin);
    }

    private long[] read() throws SQLException {
        try (Statement st = monitor.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT (SELECT last_value FROM fz_server.top), (SELECT last_value FROM fz_server.nested),"
                                + " (SELECT last_value FROM fz_server.known_gap)")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
        }
    }

    private long knownGaps;
    /** The last row of the tag table already reported. */
    private long lastRow;

    /** What the server started as DDL since the last call. */
    Seen since() throws SQLException {
        long[] now = read();
        long newTop = now[0] - top;
        long newNested = now[1] - nested;
        long newGaps = now[2] - knownGaps;
        top = now[0];
        nested = now[1];
        knownGaps = now[2];
        String tags = "";
        if (newTop + newNested + newGaps > 0) {
            try (Statement st = monitor.createStatement();
                    ResultSet rs = st.executeQuery(
                            "SELECT string_agg(tag || CASE WHEN nested THEN ' (nested)' ELSE '' END, ', ' ORDER BY id), max(id)"
                                    + " FROM fz_server.seen WHERE id > " + lastRow)) {
                rs.next();
                tags = rs.getString(1) == null ? "(rolled back with its transaction: tags unknown)" : rs.getString(1);
                lastRow = Math.max(lastRow, rs.getLong(2));
            }
        }
        return new Seen(newTop, newNested, newGaps, tags);
    }

    /** Resets the baseline after the harness's own DDL (fixtures). */
    void skip() throws SQLException {
        since();
    }
}
