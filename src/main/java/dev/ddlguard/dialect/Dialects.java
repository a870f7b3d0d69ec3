package dev.ddlguard.dialect;

import dev.ddlguard.dialect.h2.H2Dialect;
import dev.ddlguard.dialect.mysql.MySqlDialect;
import dev.ddlguard.dialect.mysql.OnlineDdlMatrix;
import dev.ddlguard.dialect.postgres.PostgresDialect;
import dev.ddlguard.dialect.postgres.PostgresRules;
import dev.ddlguard.policy.Target;
import dev.ddlguard.rules.BlockingLockRule;
import dev.ddlguard.rules.CoreRules;
import dev.ddlguard.rules.Rule;
import dev.ddlguard.rules.TimeoutOverrideRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * The one place a dialect is chosen (as Flyway's plugin register chooses a {@code Database}): by name, by
 * target setting, or by what a connection reports itself to be. Every caller, the driver, lint, the rule
 * listings and the tests, gets its dialect here; adding a database is one line of {@link #BY_NAME}.
 */
public final class Dialects {

    /**
     * Each dialect by its name ({@link Dialect#name()}, the {@code target} setting's value), made for a server
     * version: MySQL's and MariaDB's rules and lock model take it at construction (the matrix encoding, 0 for the
     * default); PostgreSQL reads it from the catalog or the lint context; H2 has none.
     */
    private static final Map<String, IntFunction<Dialect>> BY_NAME = new LinkedHashMap<>();

    static {
        BY_NAME.put("postgresql", version -> new PostgresDialect());
        BY_NAME.put("mysql", version -> new MySqlDialect(false, version));
        BY_NAME.put("mariadb", version -> new MySqlDialect(true, version));
        BY_NAME.put("h2", version -> new H2Dialect());
    }

    private Dialects() {}

    /**
     * The dialect of that name for a server version (0: the dialect's default).
     *
     * @throws IllegalArgumentException when no dialect has that name
     */
    public static Dialect named(String name, int version) {
        IntFunction<Dialect> make = BY_NAME.get(name.toLowerCase(Locale.ROOT));
        if (make == null) {
            throw new IllegalArgumentException(
                    "no dialect named '" + name + "' (known: " + String.join(", ", BY_NAME.keySet()) + ")");
        }
        return make.apply(version);
    }

    /** The dialect judged for a target without a connection (lint, rule listings): {@code auto} is PostgreSQL. */
    public static Dialect offline(Target target, int version) {
        return named(target == Target.AUTO ? "postgresql" : target.value(), version);
    }

    /** {@link #offline(Target, int)} at the target's default version. */
    public static Dialect offline(Target target) {
        return offline(target, 0);
    }

    /** The dialect of the connected database, from {@code DatabaseMetaData} product name and version. */
    public static Dialect connected(String productName, String productVersion) {
        String product = productName == null ? "" : productName.toLowerCase(Locale.ROOT);
        String version = productVersion == null ? "" : productVersion.toLowerCase(Locale.ROOT);
        if (product.contains("postgres")) {
            return named("postgresql", 0);
        }
        if (product.contains("mariadb") || (product.contains("mysql") && version.contains("mariadb"))) {
            return named("mariadb", OnlineDdlMatrix.parseVersion(productVersion));
        }
        if (product.contains("mysql")) {
            return named("mysql", OnlineDdlMatrix.parseVersion(productVersion));
        }
        return named("h2", 0);
    }

    /**
     * The dialect statements are judged against: the target setting, or the connected one for {@code auto} or when
     * the target is the connected database (its version is the server's).
     */
    public static Dialect target(Target target, Dialect connected) {
        if (target == Target.AUTO || target.value().equals(connected.name())) {
            return connected;
        }
        return offline(target);
    }

    /**
     * Every rule any dialect knows, each id once: the core rules, each dialect's pack (MariaDB's MySQL-family pack
     * has every MySQL rule id), the blocking-lock rule the judge asks last, and the timeout-override rule it asks with the policy's timeouts. For validating
     * {@code ddlguard.rule.<id>} settings and listing them in RULES.md.
     */
    public static List<Rule> allRules() {
        List<Rule> all = new ArrayList<>(CoreRules.ALL);
        all.addAll(PostgresRules.ALL);
        all.addAll(offline(Target.MARIADB).rules());
        all.add(BlockingLockRule.RULE); // asked by the judge last, not through a dialect's list
        all.add(TimeoutOverrideRule.RULE); // asked by the judge, which knows the policy's timeouts
        return List.copyOf(all);
    }

    /** The ids of {@link #allRules()}. */
    public static Set<String> ruleIds() {
        Set<String> ids = new LinkedHashSet<>();
        for (Rule rule : allRules()) {
            ids.add(rule.id());
        }
        return Set.copyOf(ids);
    }
}
