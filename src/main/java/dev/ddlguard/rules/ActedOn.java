package dev.ddlguard.rules;

import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.TablesTakenIn;
import dev.ddlguard.sql.Verb;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The relations a statement acts on, whose age decides whether it is exempt as acting on new objects only: every
 * name of a list ({@code TRUNCATE a, b}, {@code LOCK a, b}, {@code VACUUM FULL a, b}, {@code OPTIMIZE TABLE a, b},
 * {@code DROP TABLE a, b}, {@code RENAME TABLE a TO b, c TO d}), the table of every index a {@code DROP INDEX a, b}
 * names, else the statement's table. A statement is new only when each of them is: one existing table among new
 * ones is locked, truncated or dropped all the same.
 */
public final class ActedOn {

    /** Object types whose names are relations (a list of them: each is acted on). */
    private static final Set<String> RELATIONS =
            Set.of("TABLE", "VIEW", "MATERIALIZED VIEW", "SEQUENCE", "FOREIGN TABLE");

    /** Types and domains (PostgreSQL): an ALTER of one this run created is as new as one of its tables. */
    private static final Set<String> TYPES = Set.of("TYPE", "DOMAIN");

    private ActedOn() {}

    /**
     * The relations, in order, without repeats; null when one of them cannot be told (an index whose table the
     * catalog does not know, a name the reader could not read): then the statement is not known to act on new
     * objects only.
     */
    public static List<QualifiedName> relations(DdlStatement s, Catalog catalog) {
        Set<QualifiedName> out = new LinkedHashSet<>(); // a list may be long: no quadratic check for repeats
        boolean named = s.verb() == Verb.RENAME
                || (s.objectType() != null
                        && (RELATIONS.contains(s.objectType())
                                || (s.verb() == Verb.ALTER && TYPES.contains(s.objectType()))));
        if (named) {
            for (QualifiedName name : s.names()) {
                if (name == null) {
                    return null;
                }
                out.add(name);
            }
        } else if ("INDEX".equals(s.objectType())
                && s.syntax() != SqlSyntax.MYSQL // MySQL: DROP INDEX i ON t names its one table
                && s.verb() != Verb.CREATE
                && s.names().size() > 1) {
            for (QualifiedName index : s.names()) {
                QualifiedName table = index == null ? null : catalog.tableOfIndex(index);
                if (table == null) {
                    return null;
                }
                out.add(table);
            }
        }
        if (s.table() != null) {
            out.add(s.table());
        }
        out.addAll(TablesTakenIn.takenIn(s)); // MariaDB's CONVERT TABLE x TO PARTITION, EXCHANGE … WITH TABLE x
        return new ArrayList<>(out);
    }

    /** Whether the statement acts on at least one relation, and every one of them passes {@code isNew}. */
    public static boolean allNew(DdlStatement s, Catalog catalog, Predicate<QualifiedName> isNew) {
        List<QualifiedName> relations = relations(s, catalog);
        return relations != null && !relations.isEmpty() && relations.stream().allMatch(isNew);
    }
}
