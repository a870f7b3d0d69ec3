package dev.ddlguard.engine;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * JDBC escape syntax ({@code {oj ...}}, {@code {fn ...}}, {@code {call ...}}, {@code {d ...}}; JDBC
 * 4.3 section 13.4): with escape processing on, the default, the driver rewrites the text before
 * sending it, so {@code {oj DROP TABLE t}} reaches the server as {@code DROP TABLE t}. The guard
 * judges what the driver's own {@link Connection#nativeSQL} makes of the text.
 */
final class JdbcEscapes {

    private JdbcEscapes() {}

    /** The driver's translation of {@code sql}, or {@code sql} itself when the driver refuses it (it will refuse to run it too). */
    static String nativeSql(Connection raw, String sql) {
        try {
            String translated = raw.nativeSQL(sql);
            return translated == null ? sql : translated;
        } catch (SQLException | RuntimeException e) {
            return sql;
        }
    }

    /**
     * The judgement of the translated text, sending the caller's own text when the guard changed
     * nothing (the driver translates it again, and a {@code {call}} must stay one for a callable
     * statement); a rewrite is sent as the translated, rewritten text.
     */
    static Judgement sendAsWritten(Judgement j, String written, String sent) {
        if (j == null || written.equals(sent) || !sent.equals(j.sqlToSend())) {
            return j;
        }
        return new Judgement(j.statements(), written, j.followUps(), j.undo(), j.secrets(), j.concurrently());
    }
}
