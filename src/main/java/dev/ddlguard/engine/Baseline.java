package dev.ddlguard.engine;

import dev.ddlguard.policy.MigrationVersion;
import dev.ddlguard.policy.Policy;
import dev.ddlguard.rules.Catalog;

/** {@code ddlguard.baseline}: the migrations at or below it are audited and run as written, not enforced. */
final class Baseline {

    private Baseline() {}

    /**
     * Why a statement that would be blocked runs as written under {@code ddlguard.baseline}, or null. The
     * running script's version is not visible to a JDBC driver; Flyway records each script in its history
     * table after it ran and applies them in version order, so while no applied version reaches the
     * baseline, the script now running is at most the baseline's own (when the baseline names an existing
     * script, and out-of-order migrations are off).
     */
    static String notEnforced(Policy policy, Catalog catalog) {
        if (policy.baseline().isEmpty()) {
            return null;
        }
        MigrationVersion baseline = policy.baseline().get();
        String latest = catalog.latestMigrationVersion();
        if (latest == null) {
            return null; // no history readable: enforced (the catalog note says why)
        }
        if (latest.isEmpty() || MigrationVersion.parse(latest).compareTo(baseline) < 0) {
            return "not enforced: at or below ddlguard.baseline " + baseline + " (Flyway's latest applied version: "
                    + (latest.isEmpty() ? "none" : latest) + "), so audited and run as written";
        }
        return null;
    }
}
