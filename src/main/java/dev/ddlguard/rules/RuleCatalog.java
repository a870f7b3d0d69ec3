package dev.ddlguard.rules;

import dev.ddlguard.dialect.mysql.MySqlDialect;
import dev.ddlguard.dialect.postgres.PostgresRules;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Every rule any dialect knows: for validating {@code ddlguard.rule.<id>} settings and listing them in RULES.md. */
public final class RuleCatalog {

    private RuleCatalog() {
    }

    public static List<Rule> all() {
        List<Rule> all = new ArrayList<>(CoreRules.ALL);
        all.addAll(PostgresRules.ALL);
        all.addAll(new MySqlDialect(true).rules());
        all.add(BlockingLockRule.RULE);   // asked by the judge last, not through a dialect's list
        return List.copyOf(all);
    }

    public static Set<String> ids() {
        Set<String> ids = new LinkedHashSet<>();
        for (Rule rule : all()) {
            ids.add(rule.id());
        }
        return Set.copyOf(ids);
    }
}
