package dev.ddlguard.policy;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every {@code ddlguard.*} setting with its default, allowed values and description, in one place
 * (as pgjdbc's {@code PGProperty}): validation and the README's settings table both come from here.
 * Per-rule actions ({@code ddlguard.rule.<rule-id>}) are a family of keys handled by {@link #RULE_PREFIX}.
 */
public enum Setting {
    MODE(
            "ddlguard.mode",
            "enforce",
            "enforce | audit | off",
            "enforce applies actions; audit never blocks or rewrites but records what enforce would have done; off passes everything through",
            v -> parseEnum(Mode.class, v)),
    TARGET(
            "ddlguard.target",
            "auto",
            "auto | postgresql | mysql | mariadb",
            "the database whose lock semantics statements are judged against; auto = the connected one",
            v -> parseEnum(Target.class, v)),
    LOCK_TIMEOUT(
            "ddlguard.lock-timeout",
            "5s",
            "a duration (3s, 500ms, 1m) or off",
            "set on the session around each DDL statement the guard lets through, restored after",
            Setting::parseDuration),
    LOCK_TIMEOUT_RETRIES(
            "ddlguard.lock-timeout.retries",
            "3",
            "0 to 20",
            "retries with exponential backoff and jitter after a lock timeout, in autocommit and for a string of one statement only",
            v -> parseInt(v, 0, 20)),
    LOCK_TIMEOUT_CONCURRENT(
            "ddlguard.lock-timeout.concurrent",
            "off",
            "a duration or off",
            "the lock timeout for CONCURRENTLY statements, which wait for every older snapshot",
            Setting::parseDuration),
    STATEMENT_TIMEOUT(
            "ddlguard.statement-timeout",
            "off",
            "a duration (30s, 10m) or off",
            "bounds the run of each DDL statement the guard sends (PostgreSQL statement_timeout, MariaDB "
                    + "max_statement_time, else the JDBC query timeout), set around it and restored after; not retried",
            Setting::parseDuration),
    SMALL_TABLE(
            "ddlguard.small-table",
            "0",
            "a size (10MB, 512kB) or 0 = off",
            "under this size (from the live catalog) a rule that blocks because of a long lock only warns",
            Setting::parseSize),
    THROUGHPUT(
            "ddlguard.throughput",
            "200MB",
            "a size per second (200MB, 1GB)",
            "the disk throughput estimated_ms assumes for a scan; index builds count at 40% of it, table rewrites at 25%",
            v -> {
                long bytes = parseSize(v);
                if (bytes <= 0) {
                    throw new InvalidSettingException("must be more than 0");
                }
                return bytes;
            }),
    BASELINE(
            "ddlguard.baseline",
            "off",
            "a Flyway version (42, 1.2.3) or off",
            "the version of the last migration that is audited but never blocked: while Flyway's history table "
                    + "(flyway_schema_history, in the connection's schema) shows no applied version at or above it, a "
                    + "statement that would be blocked runs as written and its record says why; it must be the version "
                    + "of an existing script (see \"Baseline\" in the README)",
            v -> v.equalsIgnoreCase("off") ? Optional.empty() : Optional.of(MigrationVersion.parse(v))),
    CONFIG(
            "ddlguard.config",
            null,
            "a file path",
            "a properties file of ddlguard.* settings (else ddlguard.properties at the classpath root, if any)",
            v -> v);

    /** Prefix of the per-rule action keys: {@code ddlguard.rule.<rule-id> = allow | warn | rewrite | block}. */
    public static final String RULE_PREFIX = "ddlguard.rule.";

    public static final String PREFIX = "ddlguard.";

    private final String key;
    private final String defaultValue;
    private final String allowedValues;
    private final String description;
    private final Function<String, Object> parser;

    Setting(
            String key,
            String defaultValue,
            String allowedValues,
            String description,
            Function<String, Object> parser) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.allowedValues = allowedValues;
        this.description = description;
        this.parser = parser;
    }

    public String key() {
        return key;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String allowedValues() {
        return allowedValues;
    }

    public String description() {
        return description;
    }

    /** Parses a raw value; the result's type is the setting's own (Mode, Target, Optional<Duration>, Integer, Long, String). */
    public Object parse(String raw) {
        try {
            return parser.apply(raw.trim());
        } catch (InvalidSettingException e) {
            throw new InvalidSettingException("invalid value '" + raw + "' for " + key + ": " + e.getMessage()
                    + " (allowed: " + allowedValues + ")");
        }
    }

    /**
     * The key as the guard reads it when {@code name} is one of ours, else null. The prefix is matched in
     * any case, as the {@code jdbc:ddlguard:} scheme is (and H2 its own URL keys): {@code DDLGUARD.MODE}
     * is {@code ddlguard.mode}, never a parameter handed on to the real driver. Every key is lower case.
     */
    public static String ownKey(String name) {
        return name != null && name.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
                ? name.toLowerCase(Locale.ROOT)
                : null;
    }

    /**
     * Adds one of a source's settings under its own key; the same setting spelled twice in one source
     * ({@code ddlguard.mode} and {@code DDLGUARD.MODE}) with different values is an error, not a guess.
     */
    public static void putOwn(Map<String, String> settings, String name, String value, String source) {
        String key = ownKey(name);
        String earlier = settings.put(key, value);
        if (earlier != null && !earlier.equals(value)) {
            throw new InvalidSettingException(key + " is set twice in " + source + ", to '" + earlier + "' and to '"
                    + value + "' (setting names are case-insensitive)");
        }
    }

    public static Optional<Setting> byKey(String key) {
        return Arrays.stream(values()).filter(s -> s.key.equals(key)).findFirst();
    }

    public static Action parseAction(String key, String raw) {
        try {
            return parseEnum(Action.class, raw.trim());
        } catch (InvalidSettingException e) {
            throw new InvalidSettingException("invalid value '" + raw + "' for " + key + ": " + e.getMessage()
                    + " (allowed: allow | warn | rewrite | block)");
        }
    }

    static <E extends Enum<E>> E parseEnum(Class<E> type, String raw) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(raw)) {
                return constant;
            }
        }
        throw new InvalidSettingException("not one of the allowed values");
    }

    static Object parseInt(String raw, int min, int max) {
        final int value;
        try {
            value = Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw new InvalidSettingException("not a whole number");
        }
        if (value < min || value > max) {
            throw new InvalidSettingException("out of range");
        }
        return value;
    }

    /** {@code off}, or a number with a unit: ms, s, m, h. Between 1 ms and 24 h. */
    static Optional<Duration> parseDuration(String raw) {
        if (raw.equalsIgnoreCase("off")) {
            return Optional.empty();
        }
        String lower = raw.toLowerCase(Locale.ROOT);
        int unitAt = firstNonDigit(lower);
        if (unitAt == 0 || unitAt == lower.length()) {
            throw new InvalidSettingException("expected a number and a unit (ms, s, m, h), or off");
        }
        long amount = parseAmount(lower.substring(0, unitAt));
        final Duration duration;
        try {
            duration = switch (lower.substring(unitAt).trim()) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m", "min" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> throw new InvalidSettingException("unknown unit; use ms, s, m or h");
            };
        } catch (ArithmeticException overflow) { // Duration.ofHours(Long.MAX_VALUE)
            throw new InvalidSettingException("out of range (1ms to 24h; use off for none)");
        }
        if (duration.isZero() || duration.compareTo(Duration.ofHours(24)) > 0) {
            throw new InvalidSettingException("out of range (1ms to 24h; use off for none)");
        }
        return Optional.of(duration);
    }

    /** {@code 0}, or a number with a unit: B, kB, MB, GB, TB (powers of 1024, as PostgreSQL's pg_size_pretty). */
    static Long parseSize(String raw) {
        String upper = raw.toUpperCase(Locale.ROOT);
        int unitAt = firstNonDigit(upper);
        if (unitAt == 0) {
            throw new InvalidSettingException("expected a number and a unit (B, kB, MB, GB, TB)");
        }
        long amount = parseAmount(upper.substring(0, unitAt));
        String unit = upper.substring(unitAt).trim();
        if (unit.isEmpty()) {
            if (amount != 0) {
                throw new InvalidSettingException("a size needs a unit (B, kB, MB, GB, TB); only 0 may go without");
            }
            return 0L;
        }
        int shift = switch (unit) {
            case "B" -> 0;
            case "KB" -> 10;
            case "MB" -> 20;
            case "GB" -> 30;
            case "TB" -> 40;
            default -> throw new InvalidSettingException("unknown unit; use B, kB, MB, GB or TB");
        };
        if (amount > (Long.MAX_VALUE >> shift)) {
            throw new InvalidSettingException("out of range");
        }
        return amount << shift;
    }

    private static int firstNonDigit(String s) {
        int i = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static long parseAmount(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new InvalidSettingException("number out of range");
        }
    }
}
