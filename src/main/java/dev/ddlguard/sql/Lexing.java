package dev.ddlguard.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * How a server reads SQL text: the dialect's {@link SqlSyntax} plus the session settings that change
 * its lexing. Where the guard cannot know a setting, it lexes the text under each plausible value
 * ({@link #variants}) and keeps the strictest judgement.
 *
 * @param syntax the dialect's fixed rules
 * @param backslashEscapes MySQL: a backslash escapes in {@code '..'} and {@code ".."} (off with
 *     sql_mode NO_BACKSLASH_ESCAPES, MySQL 9.1.1); PostgreSQL: also in plain {@code '..'}
 *     (standard_conforming_strings off, PostgreSQL 4.1.2.2)
 * @param ansiQuotes MySQL sql_mode ANSI_QUOTES (or ORACLE, which implies it): {@code ".."} is an
 *     identifier, not a string
 * @param multibyteSwallow MySQL with a client character set such as gbk, big5, sjis or cp932: the
 *     byte before a backslash or backtick may be the lead byte of a two-byte character that swallows
 *     it (MySQL 12.9 "Unicode Support", the gbk trail-byte range covers 0x5C and 0x60)
 * @param versionedRun MySQL/MariaDB: the content of a versioned comment ({@code /*!50700},
 *     {@code /*M!100500}, {@code /*M!}) runs as code; when false it is a comment. {@code /*!}
 *     without a version always runs.
 * @param bracketNames H2 in MSSQLServer mode: {@code [..]} quotes an identifier
 * @param server the connected MySQL or MariaDB server's version ({@code 101119} for 10.11.19),
 *     which decides each versioned comment on its own; 0 when unknown ({@code versionedRun} decides)
 * @param mariadb whether that server is MariaDB
 */
public record Lexing(
        SqlSyntax syntax,
        boolean backslashEscapes,
        boolean ansiQuotes,
        boolean multibyteSwallow,
        boolean versionedRun,
        boolean bracketNames,
        int server,
        boolean mariadb) {

    /** A lexing whose versioned comments are decided by {@code versionedRun} alone. */
    public Lexing(
            SqlSyntax syntax,
            boolean backslashEscapes,
            boolean ansiQuotes,
            boolean multibyteSwallow,
            boolean versionedRun,
            boolean bracketNames) {
        this(syntax, backslashEscapes, ansiQuotes, multibyteSwallow, versionedRun, bracketNames, 0, false);
    }

    /** This lexing on a server of known version, which decides every versioned comment. */
    public Lexing onServer(int version, boolean isMariadb) {
        return new Lexing(
                syntax, backslashEscapes, ansiQuotes, multibyteSwallow, versionedRun, bracketNames, version, isMariadb);
    }

    /**
     * Whether the server runs the content of the versioned comment at {@code i} (see
     * {@link CommentRules#versionedOpener}). With a known server: MySQL runs {@code /*!NNNNN} up
     * to its version and reads {@code /*M!} as a comment; MariaDB runs {@code /*M!} and six-digit
     * {@code /*!NNNNNN} up to its version, and five-digit {@code /*!NNNNN} only below 50700 (MySQL
     * 5.7 syntax it does not share; measured on MariaDB 10.11: 50699 runs, 50700 and 99999 do not).
     */
    boolean runsVersioned(String sql, int i) {
        if (server <= 0) {
            return versionedRun;
        }
        boolean mariaOnly = sql.startsWith("/*M!", i);
        if (mariaOnly && !mariadb) {
            return false;
        }
        int from = i + (mariaOnly ? 4 : 3);
        int to = from;
        while (to < sql.length() && to - from < 6 && CharClasses.isDigit(sql.charAt(to))) {
            to++;
        }
        if (to - from < 5) {
            return true; // no version: /*M! on MariaDB, or digits the server reads as code
        }
        int version = Integer.parseInt(sql, from, to, 10);
        if (mariadb && !mariaOnly && to - from == 5) {
            return version < 50700;
        }
        return version <= server;
    }

    /** Session settings whose value may be unknown, as bits of an uncertainty mask. */
    public static final int BACKSLASH = 1;

    public static final int ANSI_QUOTES = 2;
    public static final int MULTIBYTE = 4;
    public static final int VERSIONED = 8;
    public static final int BRACKETS = 16;
    /** Every setting unknown. */
    public static final int ALL = BACKSLASH | ANSI_QUOTES | MULTIBYTE | VERSIONED | BRACKETS;

    /** Every combination of settings for each syntax, indexed by the bits flipped from the defaults. */
    private static final Lexing[][] VARIANTS = new Lexing[SqlSyntax.values().length][ALL + 1];

    static {
        for (SqlSyntax s : SqlSyntax.values()) {
            Lexing defaults = new Lexing(s, s == SqlSyntax.MYSQL, false, false, true, false);
            for (int flip = 0; flip <= ALL; flip++) {
                VARIANTS[s.ordinal()][flip] = defaults.flipped(flip);
            }
        }
    }

    /** The server defaults: MySQL escapes with backslashes, PostgreSQL 9.1+ has standard strings. */
    public static Lexing of(SqlSyntax syntax) {
        return VARIANTS[(syntax == null ? SqlSyntax.ANSI : syntax).ordinal()][0];
    }

    /** The defaults of {@code syntax} with the settings in {@code flip} inverted; shared, never allocates. */
    static Lexing defaultsFlipped(SqlSyntax syntax, int flip) {
        return VARIANTS[syntax.ordinal()][flip];
    }

    boolean mysql() {
        return syntax == SqlSyntax.MYSQL;
    }

    /** Whether a plain {@code '..'} string takes backslash escapes. */
    boolean plainStringBackslashes() {
        return backslashEscapes && syntax != SqlSyntax.ANSI;
    }

    /**
     * The settings among {@code uncertain} that can change how {@code sql} is read: a setting only
     * matters when the text holds a character it affects, so most text has none.
     */
    public static int relevant(String sql, SqlSyntax syntax, int uncertain) {
        int mask = 0;
        switch (syntax == null ? SqlSyntax.ANSI : syntax) {
            case MYSQL:
                boolean backslash = sql.indexOf('\\') >= 0;
                if (backslash) {
                    mask |= BACKSLASH;
                }
                if (sql.indexOf('"') >= 0) {
                    mask |= ANSI_QUOTES;
                }
                if ((backslash || sql.indexOf('`') >= 0) && hasNonAscii(sql)) {
                    mask |= MULTIBYTE;
                }
                if (hasVersionedComment(sql)) {
                    mask |= VERSIONED;
                }
                break;
            case POSTGRESQL:
                if (sql.indexOf('\\') >= 0) {
                    mask |= BACKSLASH;
                }
                break;
            default:
                if (sql.indexOf('[') >= 0) {
                    mask |= BRACKETS;
                }
                break;
        }
        return mask & uncertain;
    }

    /**
     * This lexing first, then every other combination of the settings in {@code mask} flipped.
     */
    public List<Lexing> variants(int mask) {
        List<Lexing> all = new ArrayList<>();
        for (int flip = 0; flip <= ALL; flip++) {
            if ((flip & ~mask) == 0) {
                all.add(flipped(flip));
            }
        }
        return all;
    }

    /** This lexing with the settings in {@code flip} inverted. */
    Lexing flipped(int flip) {
        return new Lexing(
                syntax,
                backslashEscapes ^ (flip & BACKSLASH) != 0,
                ansiQuotes ^ (flip & ANSI_QUOTES) != 0,
                multibyteSwallow ^ (flip & MULTIBYTE) != 0,
                versionedRun ^ (flip & VERSIONED) != 0,
                bracketNames ^ (flip & BRACKETS) != 0,
                (flip & VERSIONED) != 0 ? 0 : server,
                mariadb);
    }

    private static boolean hasNonAscii(String sql) {
        for (int i = 0; i < sql.length(); i++) {
            if (sql.charAt(i) >= 0x80) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code /*M!} or {@code /*!} followed by a digit occurs. */
    static boolean hasVersionedComment(String sql) {
        for (int i = sql.indexOf("/*"); i >= 0; i = sql.indexOf("/*", i + 1)) {
            if (CommentRules.versionedOpener(sql, i)) {
                return true;
            }
        }
        return false;
    }
}
