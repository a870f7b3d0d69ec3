package dev.ddlguard.sql;

import java.util.ArrayList;
import java.util.Arrays;
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
        Identifier[] parts = new Identifier[unquotedParts.length];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = new Identifier(unquotedParts[i], false);
        }
        return new QualifiedName(Arrays.asList(parts));
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
            return parts.get(0).toSql(); // the common case, without a stream: DROP TABLE of many names renders each
        }
        return parts.stream().map(Identifier::toSql).collect(Collectors.joining("."));
    }

    @Override
    public String toString() {
        return toSql();
    }

    /** A name as {@link QualifiedName#toSql()} wrote it, back into its parts; null when it cannot be read. */
    public static QualifiedName fromSql(String sql) {
        List<Identifier> parts = new ArrayList<>(2);
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            int end;
            if (c == '"' || c == '`') {
                end = i + 1;
                while (end < sql.length()) {
                    if (sql.charAt(end) == c) {
                        if (end + 1 < sql.length() && sql.charAt(end + 1) == c) {
                            end += 2;
                            continue;
                        }
                        break;
                    }
                    end++;
                }
                if (end >= sql.length()) {
                    return null;
                }
                parts.add(Identifier.ofQuoted(sql.substring(i, end + 1)));
                end++;
            } else {
                end = sql.indexOf('.', i);
                end = end < 0 ? sql.length() : end;
                String part = sql.substring(i, end);
                if (part.isEmpty() || part.indexOf('"') >= 0 || part.indexOf('`') >= 0) {
                    return null;
                }
                parts.add(new Identifier(part, false));
            }
            if (end < sql.length() && sql.charAt(end) != '.') {
                return null;
            }
            i = end + 1;
        }
        return parts.isEmpty() ? null : new QualifiedName(parts);
    }
}
