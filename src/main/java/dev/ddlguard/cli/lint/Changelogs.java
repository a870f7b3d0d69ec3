package dev.ddlguard.cli.lint;

import dev.ddlguard.policy.Target;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The door to {@link LiquibaseChangelog}: liquibase-core is an optional dependency (the CLI jar carries it, the
 * driver jar does not), so its absence is a message for the user, not a {@link NoClassDefFoundError}.
 */
final class Changelogs {

    static final String NO_LIQUIBASE =
            "a Liquibase changelog: lint turns its changes into SQL with Liquibase's own generator, "
                    + "and liquibase-core (4.x) is not on the class path; run the ddlguard CLI jar (it carries it), "
                    + "or add org.liquibase:liquibase-core to the class path";

    private Changelogs() {}

    /** Whether liquibase-core can be loaded from where ddlguard was. */
    static boolean liquibaseAvailable() {
        try {
            Class.forName("liquibase.changelog.ChangeLogIterator", false, Changelogs.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** The changesets of a root changelog as Liquibase would run them on the target, or an error saying why not. */
    static ChangelogRun generate(Path root, Target target, ServerVersion version) {
        if (!liquibaseAvailable()) {
            return new ChangelogRun(
                    List.of(),
                    Set.of(root.toAbsolutePath().normalize()),
                    List.of(new InputError(root.toString(), NO_LIQUIBASE)));
        }
        return LiquibaseChangelog.generate(root, target, version);
    }
}
