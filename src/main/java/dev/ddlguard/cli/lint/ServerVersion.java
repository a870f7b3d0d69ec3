package dev.ddlguard.cli.lint;

import dev.ddlguard.dialect.Dialects;
import dev.ddlguard.policy.Target;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server version lint judges for, in the encoding the rules compare against: PostgreSQL's
 * {@code server_version_num} (15 = 150000, 15.4 = 150004, 9.6.3 = 90603), and for MySQL/MariaDB
 * {@code major * 10000 + minor * 100 + patch} (8.0 = 80000, 10.11 = 101100), as the driver reads
 * them from a connection.
 *
 * @param number  the encoded version
 * @param assumed whether it is the target's default rather than what the user said
 */
public record ServerVersion(int number, boolean assumed) {

    /** {@code 15}, {@code 15.4}, {@code 9.6.3}, {@code 8.0.35}, {@code 10.11.6-MariaDB}: digits first, suffixes ignored. */
    private static final Pattern WRITTEN =
            Pattern.compile("(\\d{1,2})(?:\\.(\\d{1,2}))?(?:\\.(\\d{1,2}))?(?:-[\\w.-]*)?");

    /** The version lint assumes for a target when none is given: the one the driver assumes when not connected to it. */
    public static ServerVersion assumedFor(Target target) {
        return new ServerVersion(Dialects.offline(target).defaultServerVersion(), true);
    }

    /**
     * The version a user wrote for a target ({@code --target-version}).
     *
     * @throws IllegalArgumentException when it is not a version
     */
    public static ServerVersion parse(Target target, String written) {
        Matcher m = WRITTEN.matcher(written.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "not a server version: '" + written + "' (examples: 12, 15.4, 8.0, 10.11)");
        }
        int major = Integer.parseInt(m.group(1));
        int minor = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
        int patch = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        if (target == Target.MYSQL || target == Target.MARIADB) {
            return new ServerVersion(major * 10_000 + minor * 100 + patch, false);
        }
        if (major >= 10) {
            // PostgreSQL 10 and later have two parts: 15.4 is 150004, and a third part does not exist
            if (m.group(3) != null) {
                throw new IllegalArgumentException(
                        "not a PostgreSQL version: '" + written + "' (since 10 it is major.minor, e.g. 15.4)");
            }
            return new ServerVersion(major * 10_000 + minor, false);
        }
        return new ServerVersion(major * 10_000 + minor * 100 + patch, false);
    }

    /** {@code PostgreSQL 15}, {@code PostgreSQL 15.4}, {@code MariaDB 10.11}, {@code MySQL 8.0.35}. */
    public String describe(Target target) {
        return switch (target) {
            case MYSQL -> "MySQL " + threeParts();
            case MARIADB -> "MariaDB " + threeParts();
            default ->
                "PostgreSQL "
                        + (number >= 100_000
                                ? number / 10_000 + (number % 10_000 == 0 ? "" : "." + number % 10_000)
                                : threeParts());
        };
    }

    private String threeParts() {
        int patch = number % 100;
        return number / 10_000 + "." + number / 100 % 100 + (patch == 0 ? "" : "." + patch);
    }

    /** The line a report starts with: {@code judged as PostgreSQL 15 (assumed; --target-version to change)}. */
    public String judgedAs(Target target) {
        return "judged as " + describe(target) + (assumed ? " (assumed; --target-version to change)" : "");
    }
}
