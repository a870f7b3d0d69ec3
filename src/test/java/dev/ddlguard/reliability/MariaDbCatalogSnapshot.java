package dev.ddlguard.reliability;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * What the MariaDB server itself changed, for the fuzz run's differential check: the scratch database's
 * catalog (information_schema tables, columns, indexes, constraints, routines, triggers, events), read by
 * another session before and after each statement. MariaDB has no event trigger; a change of the catalog
 * is DDL the server ran (it commits implicitly, so a rollback never hides it). Also lint's preflight test:
 * a preflight must leave it as it found it.
 */
public final class MariaDbCatalogSnapshot {

    /** One query per catalog part, each one string; {@code ?} is the database. */
    private static final String[][] PARTS = {
        {
            "tables",
            "SELECT GROUP_CONCAT(CONCAT_WS(',', table_name, table_type, IFNULL(engine, '-'), table_comment)"
                    + " ORDER BY table_name SEPARATOR ';') FROM information_schema.tables WHERE table_schema = ?"
        },
        {
            "columns",
            "SELECT GROUP_CONCAT(CONCAT_WS(',', table_name, column_name, ordinal_position, column_type, is_nullable,"
                    + " IFNULL(column_default, '~'), extra, column_comment) ORDER BY table_name, ordinal_position SEPARATOR ';')"
                    + " FROM information_schema.columns WHERE table_schema = ?"
        },
        {
            "indexes",
            "SELECT GROUP_CONCAT(CONCAT_WS(',', table_name, index_name, seq_in_index, column_name, non_unique,"
                    + " index_type) ORDER BY table_name, index_name, seq_in_index SEPARATOR ';')"
                    + " FROM information_schema.statistics WHERE table_schema = ?"
        },
        {
            "constraints",
            "SELECT GROUP_CONCAT(CONCAT_WS(',', table_name, constraint_name, constraint_type)"
                    + " ORDER BY table_name, constraint_name SEPARATOR ';') FROM information_schema.table_constraints"
                    + " WHERE constraint_schema = ?"
        },
        {
            "routines",
            "SELECT GROUP_CONCAT(CONCAT_WS(',', routine_name, routine_type, MD5(IFNULL(routine_definition, '')))"
                    + " ORDER BY routine_name SEPARATOR ';') FROM information_schema.routines WHERE routine_schema = ?"
        },
        {
            "triggers",
            "SELECT GROUP_CONCAT(CONCAT_WS(',', trigger_name, event_object_table) ORDER BY trigger_name SEPARATOR ';')"
                    + " FROM information_schema.triggers WHERE trigger_schema = ?"
        },
        {
            "events",
            "SELECT GROUP_CONCAT(event_name ORDER BY event_name SEPARATOR ';') FROM information_schema.events"
                    + " WHERE event_schema = ?"
        },
    };

    private final Connection monitor;
    private final String database;
    private List<String> last;

    public MariaDbCatalogSnapshot(Connection monitor, String database) throws SQLException {
        this.monitor = monitor;
        this.database = database;
        try (Statement st = monitor.createStatement()) {
            st.execute("SET SESSION group_concat_max_len = 16777216");
            st.execute("SET SESSION lock_wait_timeout = 3");
        }
        last = read();
    }

    /** All parts in one round trip: one subquery per part. */
    private List<String> read() throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < PARTS.length; i++) {
            sql.append(i == 0 ? "" : ", ").append('(').append(PARTS[i][1]).append(')');
        }
        List<String> parts = new ArrayList<>(PARTS.length);
        try (PreparedStatement ps = monitor.prepareStatement(sql.toString())) {
            for (int i = 1; i <= PARTS.length; i++) {
                ps.setString(i, database);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                for (int i = 1; i <= PARTS.length; i++) {
                    parts.add(String.valueOf(rs.getString(i)));
                }
            }
        }
        return parts;
    }

    /** The catalog parts that changed since the last call (empty when none), e.g. {@code [columns]}. */
    public List<String> changed() throws SQLException {
        List<String> now = read();
        List<String> changed = new ArrayList<>();
        for (int i = 0; i < PARTS.length; i++) {
            if (!now.get(i).equals(last.get(i))) {
                changed.add(PARTS[i][0]);
            }
        }
        last = now;
        return changed;
    }
}
