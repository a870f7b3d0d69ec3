package dev.ddlguard.engine;

import dev.ddlguard.sql.DdlClassifier;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.Lexing;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.StatementSplitter;
import dev.ddlguard.sql.StatementText;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The session settings that change how the server reads text, asked of the session itself right
 * before a string is judged, and only when the string holds a character they affect (a backslash,
 * a double quote, a non-ASCII character), so ordinary DDL costs nothing more.
 *
 * <p>PostgreSQL reports standard_conforming_strings to the driver on every change (a GUC_REPORT
 * parameter), so pgjdbc knows it without a round trip; MySQL and MariaDB are asked for sql_mode and
 * the client character set. What is read holds for the string's first statement, and for the later
 * ones as long as only DDL comes before them; anything else may change a setting half-way (SET,
 * set_config()), so then every setting is taken as unknown.
 */
final class SessionLexing {

    /** What the guard knows: the lexing, and the {@link Lexing} bits it is not sure of. */
    record Known(Lexing lexing, int uncertain) {}

    /** Character sets whose two-byte characters may end in 0x5C (backslash) or 0x60 (backtick). */
    private static final Set<String> SWALLOWING_CHARSETS = Set.of("big5", "cp932", "gbk", "gb18030", "sjis");

    /** sql_mode values that make {@code ".."} an identifier (MySQL 5.1.11 "Server SQL Modes"). */
    private static final Set<String> ANSI_QUOTE_MODES =
            Set.of("ANSI_QUOTES", "ANSI", "ORACLE", "DB2", "MSSQL", "POSTGRESQL", "MAXDB");

    /** Stands for "the connection is not pgjdbc's", once found out. */
    private static final Method NOT_PGJDBC;

    static {
        try {
            NOT_PGJDBC = Object.class.getMethod("hashCode");
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Connection raw;
    /** pgjdbc's getStandardConformingStrings, looked up once per connection; the guard is used by one thread at a time. */
    private Method pgjdbc;

    private final SqlSyntax syntax;
    private final boolean connectedIsTarget;
    /** The defaults, with the MySQL or MariaDB server's version when known (it decides versioned comments). */
    private final Lexing defaults;
    /** What is unknown before the session is asked. */
    private final int unknown;

    /**
     * @param serverVersion the connected server's version, 0 when unknown
     * @param mariadb whether the server is MariaDB
     */
    SessionLexing(Connection raw, SqlSyntax syntax, boolean connectedIsTarget, int serverVersion, boolean mariadb) {
        this.raw = raw;
        this.syntax = syntax;
        this.connectedIsTarget = connectedIsTarget;
        boolean versionKnown = connectedIsTarget && syntax == SqlSyntax.MYSQL && serverVersion > 0;
        this.defaults = versionKnown ? Lexing.of(syntax).onServer(serverVersion, mariadb) : Lexing.of(syntax);
        this.unknown = versionKnown ? Lexing.ALL & ~Lexing.VERSIONED : Lexing.ALL;
    }

    /** Nothing read from the session: its settings may change before the text runs. */
    Known unknown() {
        return new Known(defaults, unknown);
    }

    Known known(String sql) {
        int session = Lexing.BACKSLASH | Lexing.ANSI_QUOTES | Lexing.MULTIBYTE;
        if (!connectedIsTarget || Lexing.relevant(sql, syntax, session) == 0) {
            return new Known(defaults, unknown);
        }
        Lexing read = switch (syntax) {
            case POSTGRESQL -> postgres();
            case MYSQL -> mysql();
            default -> null;
        };
        if (read == null) {
            return new Known(defaults, unknown);
        }
        if (earlierStatementMayChangeSettings(sql, read)) {
            return new Known(read, unknown);
        }
        return new Known(read, unknown & ~session);
    }

    /**
     * Whether a statement before the last one (as the session reads the text) might change a setting
     * that changes the reading of the rest: anything but plain DDL might (SET, set_config(), a
     * procedure, a DO block); CREATE, ALTER, DROP ... never change the session's settings.
     */
    private static boolean earlierStatementMayChangeSettings(String sql, Lexing read) {
        List<StatementText> statements = StatementSplitter.splitUnder(sql, read);
        for (int i = 0; i < statements.size() - 1; i++) {
            DdlStatement ddl;
            try {
                ddl = DdlClassifier.classify(statements.get(i), read.syntax());
            } catch (RuntimeException | StackOverflowError e) {
                return true;
            }
            if (ddl == null || ddl.opaque() != null) {
                return true;
            }
        }
        return false;
    }

    /** pgjdbc's BaseConnection.getStandardConformingStrings(), found by name: the driver is not a dependency. */
    private Lexing postgres() {
        try {
            if (pgjdbc == null) {
                Class<?> base = Class.forName(
                        "org.postgresql.core.BaseConnection",
                        false,
                        raw.getClass().getClassLoader());
                pgjdbc = raw.isWrapperFor(base) ? base.getMethod("getStandardConformingStrings") : NOT_PGJDBC;
            }
            if (pgjdbc != NOT_PGJDBC) {
                boolean standard = (Boolean) pgjdbc.invoke(raw.unwrap(pgjdbc.getDeclaringClass()));
                return new Lexing(SqlSyntax.POSTGRESQL, !standard, false, false, true, false);
            }
        } catch (ReflectiveOperationException | SQLException | RuntimeException | LinkageError e) {
            pgjdbc = NOT_PGJDBC; // not pgjdbc after all: ask the server
        }
        String[] values = query("SHOW standard_conforming_strings");
        String value = values == null ? null : values[0];
        return value == null
                ? null
                : new Lexing(SqlSyntax.POSTGRESQL, !"on".equalsIgnoreCase(value), false, false, true, false);
    }

    private Lexing mysql() {
        String[] values = query("SELECT @@session.sql_mode, @@session.character_set_client");
        if (values == null) {
            return null;
        }
        String mode = values[0];
        String charset = values[1];
        boolean backslash = true;
        boolean ansiQuotes = false;
        for (String m : mode.toUpperCase(Locale.ROOT).split(",")) {
            backslash &= !m.trim().equals("NO_BACKSLASH_ESCAPES");
            ansiQuotes |= ANSI_QUOTE_MODES.contains(m.trim());
        }
        boolean swallow = SWALLOWING_CHARSETS.contains(charset.toLowerCase(Locale.ROOT));
        return new Lexing(
                SqlSyntax.MYSQL,
                backslash,
                ansiQuotes,
                swallow,
                defaults.versionedRun(),
                false,
                defaults.server(),
                defaults.mariadb());
    }

    /** One value, or null when the session cannot answer (an aborted transaction, say). */
    private String[] query(String sql) {
        try (Statement st = raw.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            if (!rs.next()) {
                return null;
            }
            String[] values = new String[rs.getMetaData().getColumnCount()];
            for (int i = 0; i < values.length; i++) {
                values[i] = String.valueOf(rs.getString(i + 1));
            }
            return values;
        } catch (SQLException | RuntimeException e) {
            return null;
        }
    }
}
