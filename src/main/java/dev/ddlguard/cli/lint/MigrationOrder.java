package dev.ddlguard.cli.lint;

import dev.ddlguard.policy.MigrationVersion;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The order a migration tool runs the files of a folder in, so that lint carries the schema forward as
 * the tool builds it. Flyway (Documentation, "Migrations": versioned migrations are applied in version
 * order; "repeatable migrations are always applied last, after all pending versioned migrations", in the
 * order of their description) scans its locations recursively, so a version in a subfolder sorts among
 * the others: {@code V1 < V1.1 < V1_2 < V2 < V10}, then {@code R__} by description. Undo scripts
 * ({@code U…__}) are not run by {@code migrate}: they come after; then Drizzle's files in the order of
 * their folder's {@code meta/_journal.json}; then every other file in natural order (digit runs by value,
 * as {@code includeAll} users number their files, and as Prisma's timestamped folders sort).
 */
final class MigrationOrder {

    private static final Pattern VERSIONED = Pattern.compile("([VU])(\\d[0-9._]*?)__(.*)\\.sql");
    private static final Pattern REPEATABLE = Pattern.compile("R__(.*)\\.sql");

    private MigrationOrder() {}

    /** Where a file falls: its group, then its version, description or journal position, then its path. */
    private record Place(int group, MigrationVersion version, String description, Path journalFolder, int position) {}

    private static final int VERSIONED_GROUP = 0;
    private static final int REPEATABLE_GROUP = 1;
    private static final int UNDO_GROUP = 2;
    private static final int JOURNALED_GROUP = 3;
    private static final int OTHER_GROUP = 4;

    /**
     * Flyway's order, then Drizzle's journaled files in journal order (folder by folder), then the rest.
     *
     * @param journal the journal position of each Drizzle file ({@link PrismaDrizzle#journalOrder})
     */
    static Comparator<Path> of(Map<Path, Integer> journal) {
        return (a, b) -> {
            Place pa = place(a, journal);
            Place pb = place(b, journal);
            int c = Integer.compare(pa.group(), pb.group());
            if (c == 0 && pa.version() != null) {
                c = pa.version().compareTo(pb.version());
            }
            if (c == 0 && pa.description() != null) {
                c = pa.description().compareTo(pb.description());
            }
            if (c == 0 && pa.journalFolder() != null) {
                c = SqlFiles.NATURAL.compare(pa.journalFolder(), pb.journalFolder());
                c = c != 0 ? c : Integer.compare(pa.position(), pb.position());
            }
            return c != 0 ? c : SqlFiles.NATURAL.compare(a, b);
        };
    }

    /** The version of a Flyway versioned migration ({@code V2_1__x.sql} is 2.1), or null for any other file. */
    static MigrationVersion flywayVersion(Path file) {
        Matcher v = VERSIONED.matcher(file.getFileName().toString());
        return v.matches() && v.group(1).equals("V") ? MigrationVersion.parseOrNull(v.group(2)) : null;
    }

    private static Place place(Path file, Map<Path, Integer> journal) {
        Integer position =
                journal.isEmpty() ? null : journal.get(file.toAbsolutePath().normalize());
        if (position != null) {
            return new Place(
                    JOURNALED_GROUP,
                    null,
                    null,
                    file.toAbsolutePath().normalize().getParent(),
                    position);
        }
        String name = file.getFileName().toString();
        Matcher v = VERSIONED.matcher(name);
        if (v.matches()) {
            MigrationVersion version = MigrationVersion.parseOrNull(v.group(2));
            if (version != null) {
                return new Place(v.group(1).equals("V") ? VERSIONED_GROUP : UNDO_GROUP, version, null, null, 0);
            }
        }
        Matcher r = REPEATABLE.matcher(name);
        if (r.matches()) {
            return new Place(REPEATABLE_GROUP, null, r.group(1), null, 0);
        }
        return new Place(OTHER_GROUP, null, null, null, 0);
    }
}
