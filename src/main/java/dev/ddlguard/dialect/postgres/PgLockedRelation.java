package dev.ddlguard.dialect.postgres;

import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.TokenCursor;
import java.util.Locale;
import java.util.Set;

/**
 * The relation a PostgreSQL statement locks, read from its text where the classifier leaves {@code table}
 * empty: the view or sequence it names, the table after ON of a trigger or policy, after TO of a rule, and so on.
 */
final class PgLockedRelation {

    private PgLockedRelation() {}

    /** The relation whose lock {@code mode} names, where the classifier leaves {@code table} empty. */
    static QualifiedName of(DdlStatement s) {
        if (s.table() != null) {
            return s.table();
        }
        String type = s.objectType() == null ? "" : s.objectType();
        QualifiedName first = s.names().isEmpty() ? null : s.names().get(0);
        return switch (s.verb()) {
            case CREATE ->
                switch (type) {
                    case "VIEW", "MATERIALIZED VIEW", "SEQUENCE" -> first;
                    case "TRIGGER", "CONSTRAINT TRIGGER", "POLICY" -> nameAfter(s, "ON");
                    case "RULE" -> nameAfter(s, "TO");
                    case "STATISTICS" -> nameAfter(s, "FROM");
                    case "PUBLICATION" -> nameAfter(s, "TABLE");
                    default -> null;
                };
            case DROP ->
                switch (type) {
                    case "VIEW", "MATERIALIZED VIEW", "SEQUENCE" -> first;
                    case "POLICY", "RULE" -> nameAfter(s, "ON");
                    default -> null;
                };
            case ALTER ->
                switch (type) {
                    case "VIEW", "MATERIALIZED VIEW", "SEQUENCE", "INDEX", "FOREIGN TABLE" -> first;
                    case "TRIGGER", "POLICY", "RULE" -> nameAfter(s, "ON");
                    case "PUBLICATION" -> nameAfter(s, "TABLE");
                    default -> null;
                };
            case REFRESH -> first;
            case COMMENT ->
                switch (type) {
                    case "TABLE", "VIEW", "MATERIALIZED VIEW", "FOREIGN TABLE", "INDEX", "SEQUENCE" -> first;
                    case "COLUMN" ->
                        first != null && first.parts().size() > 1
                                ? new QualifiedName(
                                        first.parts().subList(0, first.parts().size() - 1))
                                : null;
                    default -> null;
                };
            default -> null;
        };
    }

    /**
     * The name after the first {@code keyword}: CREATE TRIGGER name … ON table, CREATE POLICY name ON table,
     * CREATE RULE name AS ON event TO table, CREATE STATISTICS … FROM table, … FOR TABLE t / ADD TABLE t.
     * CREATE RULE's {@code AS ON event} is skipped: the word after ON there is an event, not a name.
     */
    private static QualifiedName nameAfter(DdlStatement s, String keyword) {
        TokenCursor c = new TokenCursor(s.text());
        while (!c.atEnd()) {
            if (c.acceptWord(keyword)) {
                QualifiedName name = c.acceptName();
                if (name != null && !isEvent(name)) {
                    return name;
                }
            } else {
                c.next();
            }
        }
        return null;
    }

    private static boolean isEvent(QualifiedName name) {
        return name.parts().size() == 1
                && Set.of("select", "insert", "update", "delete")
                        .contains(name.toSql().toLowerCase(Locale.ROOT));
    }
}
