package dev.ddlguard.dialect;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A session setting that bounds a wait (PostgreSQL's lock_timeout and statement_timeout, MySQL's
 * lock_wait_timeout, MariaDB's max_statement_time, H2's LOCK_TIMEOUT): read before a guarded statement, set
 * for it, put back after. Plain statements without a query timeout: they run around every guarded DDL.
 */
public final class SessionTimeout {

    /** A database without such a setting: nothing is read ({@link #current} is null), set or restored. */
    public static final SessionTimeout NONE = new SessionTimeout(null, null, null, null, null);

    /** Puts a value {@link #current} read back. */
    @FunctionalInterface
    private interface Restore {
        void restore(Connection connection, String previous) throws SQLException;
    }

    /** How a value written in a SET of this setting reads: the duration, or null when it is no plain duration. */
    @FunctionalInterface
    public interface Reading {
        Duration duration(String value);
    }

    private final String name;
    private final Reading reading;
    private final String read;
    private final Function<Duration, String> set;
    private final Restore restore;

    private SessionTimeout(String name, Reading reading, String read, Function<Duration, String> set, Restore restore) {
        this.name = name;
        this.reading = reading;
        this.read = read;
        this.set = set;
        this.restore = restore;
    }

    /**
     * @param name    the setting's name, lower case, as a SET names it ({@code lock_wait_timeout})
     * @param reading how a value a SET gives it reads as a duration
     * @param read    the query whose first column is the current value
     * @param set     the command that sets a timeout
     * @param restore the command that sets a value {@code read} gave back (parse it: it is written into the SQL)
     */
    public static SessionTimeout of(
            String name,
            Reading reading,
            String read,
            Function<Duration, String> set,
            Function<String, String> restore) {
        return new SessionTimeout(
                name, reading, read, set, (c, previous) -> CatalogQuery.execute(c, restore.apply(previous.trim())));
    }

    /** As {@link #of}, restored by a query that takes the previous value as its one parameter ({@code set_config}). */
    public static SessionTimeout bound(
            String name, Reading reading, String read, Function<Duration, String> set, String restore) {
        return new SessionTimeout(name, reading, read, set, (c, previous) -> {
            try (PreparedStatement ps = c.prepareStatement(restore)) {
                ps.setString(1, previous);
                ps.execute();
            }
        });
    }

    /** The setting's name as a SET names it, lower case; null when the database has no such setting. */
    public String name() {
        return name;
    }

    /**
     * What a value a SET gave the setting bounds a wait to: {@link Duration#ZERO} for none (0 turns these off), null
     * when the guard does not read it as a plain duration (DEFAULT, an expression, a unit it does not know).
     */
    public Duration duration(String value) {
        return value == null || reading == null ? null : reading.duration(value.strip());
    }

    /** MySQL and MariaDB: a number of seconds, fractions allowed (max_statement_time). */
    public static Duration seconds(String value) {
        Matcher m = NUMBER.matcher(value);
        return m.matches() ? nanos(new BigDecimal(value).movePointRight(9)) : null;
    }

    /**
     * PostgreSQL: a number (1e3 too), in milliseconds unless a unit follows (us, ms, s, min, h, d; case matters, white
     * space may stand between), PostgreSQL manual 19.1.1 "Parameter Names and Values". The server rounds it to whole
     * milliseconds, and 0 turns the timeout off: '100us' is no bound (an outside tester's was read as 100 µs).
     */
    public static Duration milliseconds(String value) {
        Matcher m = WITH_UNIT.matcher(value);
        if (!m.matches()) {
            return null;
        }
        BigDecimal amount = new BigDecimal(m.group(1));
        BigDecimal msPerUnit = switch (m.group(2)) {
            case "", "ms" -> BigDecimal.ONE;
            case "us" -> new BigDecimal("0.001");
            case "s" -> BigDecimal.valueOf(1_000);
            case "min" -> BigDecimal.valueOf(60_000);
            case "h" -> BigDecimal.valueOf(3_600_000);
            case "d" -> BigDecimal.valueOf(86_400_000);
            default -> null;
        };
        if (msPerUnit == null) {
            return null;
        }
        BigDecimal ms = amount.multiply(msPerUnit).setScale(0, RoundingMode.HALF_EVEN);
        return nanos(ms.movePointRight(6));
    }

    /** MySQL's lock_wait_timeout: seconds; 0 is no wait on MariaDB and 1 s on MySQL (its least): a bound either way. */
    public static Duration lockWaitSeconds(String value) {
        Duration d = seconds(value);
        return d != null && d.isZero() ? Duration.ofSeconds(1) : d;
    }

    /** A wait too long for a Duration of nanoseconds (three centuries) is no bound the guard reads: null. */
    private static Duration nanos(BigDecimal nanos) {
        return nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0 ? null : Duration.ofNanos(nanos.longValue());
    }

    private static final Pattern NUMBER = Pattern.compile("\\d{1,12}(\\.\\d{1,9})?");
    private static final Pattern WITH_UNIT =
            Pattern.compile("(\\d{1,12}(?:\\.\\d{1,9})?(?:[eE][+-]?\\d{1,2})?)\\s*([a-z]*)");

    /** The session's current value as {@link #restore} accepts it back, or null when the database has no such setting. */
    public String current(Connection connection) throws SQLException {
        return read == null ? null : CatalogQuery.value(connection, read);
    }

    public void set(Connection connection, Duration timeout) throws SQLException {
        if (set != null) {
            CatalogQuery.execute(connection, set.apply(timeout));
        }
    }

    public void restore(Connection connection, String previous) throws SQLException {
        if (restore != null) {
            restore.restore(connection, previous);
        }
    }
}
