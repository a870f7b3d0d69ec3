package dev.ddlguard.dialect.mysql;

import static dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Algorithm.COPY;
import static dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Algorithm.INPLACE;
import static dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Algorithm.INSTANT;
import static dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Algorithm.NOCOPY;
import static dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Lock.NONE;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What InnoDB can do for each {@link OnlineDdlOperation}, per flavour and server version: the
 * strongest algorithm, the weakest lock (whether concurrent DML continues), and whether the table is
 * rebuilt. The data is the answer to "which {@code ALGORITHM=…, LOCK=…} may ddlguard append so the
 * server does the work online or refuses it, instead of quietly copying the table under a lock".
 *
 * <p>Sources. MySQL rows follow the MySQL Reference Manual, "Online DDL Operations" (5.7: 14.13.1,
 * Tables 14.10-14.17; 8.0: 15.12.1, Tables 15.16-15.23 in older editions, 17.12.1 / 17.16-17.23
 * now; 8.4: 17.12.1); each row cites its table and operation, and they are not verified against a
 * server here. MariaDB rows follow the MariaDB documentation ("InnoDB Online DDL Operations with the
 * INSTANT / NOCOPY / INPLACE Alter Algorithm", "Online Schema Change") and were measured on MariaDB
 * 10.11 by {@code MariaDbOnlineDdlMatrixTest}; where the server contradicted the documentation the
 * server won and the note says so.
 *
 * <p>Versions are integers {@code major * 10000 + minor * 100 + patch}: MySQL 8.0.35 = 80035,
 * 8.4.0 = 80400, 5.7.44 = 50744; MariaDB 10.11.0 = 101100, 11.4.0 = 110400 (see {@link #version}
 * and {@link #parseVersion}).
 *
 * <p>The clause to append for a statement is {@link #clause(Flavour, Support)}; where it goes in the
 * statement (and whether the statement takes one at all) is {@link MySqlClauses}.
 */
public final class OnlineDdlMatrix {

    private OnlineDdlMatrix() {}

    /** The two servers: their clause syntax and their InnoDB differ. */
    public enum Flavour {
        MYSQL,
        MARIADB
    }

    /**
     * {@code ALGORITHM=} values, strongest guarantee first. INSTANT changes metadata only; NOCOPY
     * (MariaDB 10.3.7+, a syntax error on MySQL) works in place without rebuilding the clustered
     * index; INPLACE may rebuild the table in place (MariaDB reads it as "INPLACE or better");
     * COPY copies every row into a new table.
     */
    public enum Algorithm {
        INSTANT,
        NOCOPY,
        INPLACE,
        COPY;

        /** True when this algorithm gives a stronger guarantee than {@code other}. */
        public boolean strongerThan(Algorithm other) {
            return ordinal() < other.ordinal();
        }
    }

    /**
     * {@code LOCK=} values, least blocking first: NONE lets concurrent reads and writes continue,
     * SHARED lets reads continue and blocks writes, EXCLUSIVE blocks both.
     */
    public enum Lock {
        NONE,
        SHARED,
        EXCLUSIVE
    }

    /**
     * The best the server can do for one operation (or for a whole statement, after
     * {@link OnlineDdlCombination#combine}).
     *
     * @param algorithm     the strongest algorithm the server accepts for it
     * @param lock          the least blocking lock the server accepts together with that algorithm
     * @param rebuildsTable whether the clustered index (every row) is rewritten, in place or by copy
     * @param note          why, with the manual or the measurement it comes from
     */
    public record Support(Algorithm algorithm, Lock lock, boolean rebuildsTable, String note) {

        public Support {
            Objects.requireNonNull(algorithm, "algorithm");
            Objects.requireNonNull(lock, "lock");
            note = note == null ? "" : note;
        }

        /** Concurrent INSERT/UPDATE/DELETE continue while the operation runs ({@code LOCK=NONE} allowed). */
        public boolean concurrentDml() {
            return lock == NONE;
        }

        /** The same support with a sentence added to the note. */
        public Support withNote(String more) {
            return new Support(algorithm, lock, rebuildsTable, note.isEmpty() ? more : note + " " + more);
        }

        // Row factories for MySqlOnlineDdl and MariaDbOnlineDdl.

        static Support instant(String note) {
            return new Support(INSTANT, NONE, false, note);
        }

        static Support instant(Lock lock, String note) {
            return new Support(INSTANT, lock, false, note);
        }

        static Support nocopy(Lock lock, String note) {
            return new Support(NOCOPY, lock, false, note);
        }

        static Support inplace(Lock lock, boolean rebuild, String note) {
            return new Support(INPLACE, lock, rebuild, note);
        }

        static Support copy(Lock lock, String note) {
            return new Support(COPY, lock, true, note);
        }

        @Override
        public String toString() {
            return "ALGORITHM=" + algorithm + ", LOCK=" + lock + (rebuildsTable ? ", rebuilds" : "")
                    + (note.isEmpty() ? "" : " (" + note + ")");
        }
    }

    // ---- versions ------------------------------------------------------------------------------

    /** MySQL 5.7: the first row of every MySQL band (no INSTANT at all). */
    public static final int MYSQL_5_7 = 50700;
    /** MySQL 8.0.12: ALGORITHM=INSTANT (ADD COLUMN last, defaults, ENUM/SET append, virtual columns, rename table). */
    public static final int MYSQL_8_0_12 = 80012;
    /** MySQL 8.0.16: CHECK constraints are enforced (parsed and ignored before). */
    public static final int MYSQL_8_0_16 = 80016;
    /** MySQL 8.0.28: RENAME COLUMN with ALGORITHM=INSTANT. */
    public static final int MYSQL_8_0_28 = 80028;
    /** MySQL 8.0.29: ADD COLUMN at any position and DROP COLUMN with ALGORITHM=INSTANT. */
    public static final int MYSQL_8_0_29 = 80029;
    /** MySQL 8.4 LTS: the 8.0.29+ rules; a sensible default version for {@code --target mysql}. */
    public static final int MYSQL_8_4 = 80400;
    /** MariaDB 10.3.7: the ALGORITHM=INSTANT and ALGORITHM=NOCOPY keywords (instant ADD COLUMN last from 10.3.2). */
    public static final int MARIADB_10_3_7 = 100307;
    /** MariaDB 10.4.0: instant DROP COLUMN and column reordering (MDEV-15562). */
    public static final int MARIADB_10_4 = 100400;
    /** MariaDB 10.4.3: more instant type changes: short VARCHAR to long, utf8mb3 to utf8mb4 (MDEV-15563). */
    public static final int MARIADB_10_4_3 = 100403;
    /** MariaDB 10.5.2: {@code RENAME INDEX} / {@code RENAME COLUMN} syntax. */
    public static final int MARIADB_10_5_2 = 100502;
    /** MariaDB 10.11 LTS: the version the MariaDB rows were measured on; a sensible default for {@code --target mariadb}. */
    public static final int MARIADB_10_11 = 101100;
    /** MariaDB 11.2: ALGORITHM=COPY with LOCK=NONE (online copy, MDEV-16329). */
    public static final int MARIADB_11_2 = 110200;
    /** MariaDB 11.4: EXCHANGE PARTITION … WITHOUT VALIDATION (MDEV-22164; 10.11 answers it with a syntax error). */
    public static final int MARIADB_11_4 = 110400;

    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

    /** {@code major * 10000 + minor * 100 + patch}: 8.0.35 = 80035, 10.11.6 = 101106. */
    public static int version(int major, int minor, int patch) {
        if (minor < 0 || minor > 99 || patch < 0 || patch > 99) {
            throw new IllegalArgumentException("version part out of range: " + major + "." + minor + "." + patch);
        }
        return major * 10000 + minor * 100 + patch;
    }

    /**
     * The version of a {@code VERSION()} string: {@code "8.0.35"}, {@code "10.11.6-MariaDB-log"},
     * {@code "5.5.5-10.11.6-MariaDB"} (the prefix MariaDB sends over the MySQL protocol is skipped).
     */
    public static int parseVersion(String serverVersion) {
        String v = serverVersion.trim();
        if (v.startsWith("5.5.5-")) {
            v = v.substring("5.5.5-".length());
        }
        Matcher m = VERSION.matcher(v);
        if (!m.find()) {
            throw new IllegalArgumentException("not a server version: " + serverVersion);
        }
        int patch = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        return version(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), patch);
    }

    /** MariaDB when {@code VERSION()} or {@code @@version_comment} says so, else MySQL. */
    public static Flavour flavourOf(String serverVersion, String versionComment) {
        String both = (serverVersion + " " + (versionComment == null ? "" : versionComment)).toLowerCase(Locale.ROOT);
        return both.contains("mariadb") ? Flavour.MARIADB : Flavour.MYSQL;
    }

    // ---- the matrix ----------------------------------------------------------------------------

    /** {@link #support(Flavour, int, OnlineDdlOperation, boolean)} on a table without a FULLTEXT index. */
    public static Support support(Flavour flavour, int version, OnlineDdlOperation op) {
        return support(flavour, version, op, false);
    }

    /**
     * What the server can do for {@code op}. A FULLTEXT index on the table changes the answer
     * (its hidden FTS_DOC_ID column rules out instant column changes and online rebuilds), so the
     * caller says whether the table has one.
     */
    public static Support support(Flavour flavour, int version, OnlineDdlOperation op, boolean tableHasFulltextIndex) {
        Objects.requireNonNull(op, "op");
        return flavour == Flavour.MARIADB
                ? (tableHasFulltextIndex
                        ? MariaDbOnlineDdl.onFulltextTable(op, version)
                        : MariaDbOnlineDdl.support(op, version))
                : (tableHasFulltextIndex
                        ? MySqlOnlineDdl.onFulltextTable(op, version)
                        : MySqlOnlineDdl.support(op, version));
    }

    // ---- the clause ----------------------------------------------------------------------------

    /**
     * The clause to append so the server does the work online or refuses it; {@code null} when
     * there is no online path (COPY, or no concurrent DML) and the rule should block instead. The
     * text is {@code "ALGORITHM=X, LOCK=Y"} (or {@code "ALGORITHM=INSTANT"}); how a statement spells
     * and places it is {@link MySqlClauses#render}.
     * <ul>
     * <li>MariaDB metadata only: {@code ALGORITHM=INSTANT, LOCK=NONE}; in place without rebuild:
     * {@code ALGORITHM=NOCOPY, LOCK=NONE} (INPLACE there means "INPLACE or better" and would still
     * allow a rebuild); online rebuild: {@code ALGORITHM=INPLACE, LOCK=NONE}; 11.2+ online copy:
     * {@code ALGORITHM=COPY, LOCK=NONE}. Always paired with LOCK=NONE: without it MariaDB accepts
     * INSTANT/NOCOPY on re-partitioning and copies every row anyway. The one exception is a
     * table rename, instant but refusing LOCK=NONE (1845): {@code ALGORITHM=INSTANT} alone.</li>
     * <li>MySQL instant: {@code ALGORITHM=INSTANT} without any LOCK clause (a LOCK clause with
     * INSTANT fails with ERROR 1221); in place with concurrent DML: {@code ALGORITHM=INPLACE,
     * LOCK=NONE} (NOCOPY is a syntax error there). Never INPLACE for an operation MySQL does
     * instantly: that turns it into a rebuild.</li>
     * </ul>
     */
    public static String clause(Flavour flavour, Support support) {
        Algorithm a = support.algorithm();
        if (flavour == Flavour.MYSQL) {
            if (a == NOCOPY) {
                throw new IllegalArgumentException("NOCOPY does not exist on MySQL: " + support);
            }
            if (a == INSTANT) {
                return "ALGORITHM=INSTANT";
            }
            return a == INPLACE && support.concurrentDml() ? "ALGORITHM=INPLACE, LOCK=NONE" : null;
        }
        if (a == INSTANT) {
            return support.concurrentDml() ? "ALGORITHM=INSTANT, LOCK=NONE" : "ALGORITHM=INSTANT";
        }
        return support.concurrentDml() ? "ALGORITHM=" + a + ", LOCK=NONE" : null;
    }

    /**
     * The next weaker clause that still keeps the table online, after the server refused
     * {@code clause}; null when there is none. MariaDB: {@code ALGORITHM=INSTANT, LOCK=NONE}, then
     * {@code NOCOPY}, then {@code INPLACE}, each with {@code LOCK=NONE}; MySQL: {@code ALGORITHM=INSTANT},
     * then {@code ALGORITHM=INPLACE, LOCK=NONE}. Never COPY (MariaDB 11.2's online copy included: it
     * copies every row) and never a lock that blocks writes; {@code ALGORITHM=INSTANT} alone (a
     * table rename on MariaDB) has no weaker online form.
     */
    public static String weakerOnlineClause(Flavour flavour, String clause) {
        String c = clause.trim()
                .replaceAll("\\s*,\\s*", ", ")
                .replaceAll("\\s+", " ")
                .toUpperCase(Locale.ROOT);
        if (flavour == Flavour.MYSQL) {
            return c.equals("ALGORITHM=INSTANT") ? "ALGORITHM=INPLACE, LOCK=NONE" : null;
        }
        return switch (c) {
            case "ALGORITHM=INSTANT, LOCK=NONE" -> "ALGORITHM=NOCOPY, LOCK=NONE";
            case "ALGORITHM=NOCOPY, LOCK=NONE" -> "ALGORITHM=INPLACE, LOCK=NONE";
            default -> null;
        };
    }

    /** The clause for one statement carrying {@code ops} (see {@link OnlineDdlCombination#combine} and {@link #clause(Flavour, Support)}). */
    public static String clause(Flavour flavour, int version, List<OnlineDdlOperation> ops) {
        return clause(flavour, OnlineDdlCombination.combine(flavour, version, ops));
    }
}
