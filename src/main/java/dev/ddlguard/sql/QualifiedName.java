package dev.ddlguard.sql;

import java.util.List;
import java.util.stream.Collectors;

/** A possibly schema-qualified object name: {@code public.orders}. */
public record QualifiedName(List<Identifier> parts) {

    public QualifiedName {
        parts = List.copyOf(parts);
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("empty name");
        }
    }

    public static QualifiedName of(String... unquotedParts) {
        return new QualifiedName(java.util.Arrays.stream(unquotedParts).map(p -> new Identifier(p, false)).toList());
    }

    /** The object's own name, without its schema. */
    public Identifier name() {
        return parts.get(parts.size() - 1);
    }

    /** The schema, when the name was qualified. */
    public Identifier schema() {
        return parts.size() > 1 ? parts.get(parts.size() - 2) : null;
    }

    public String toSql() {
        if (parts.size() == 1) {
            return parts.get(0).toSql();   // the common case, without a stream: DROP TABLE of many names renders each
        }
        return parts.stream().map(Identifier::toSql).collect(Collectors.joining("."));
    }

    @Override
    public String toString() {
        return toSql();
    }
}
