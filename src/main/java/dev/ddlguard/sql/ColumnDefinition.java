package dev.ddlguard.sql;

import java.util.Locale;

/**
 * What a column definition in {@code ADD COLUMN}, {@code MODIFY} or {@code CHANGE} says, as far
 * as the rules need it.
 *
 * @param type        the data type as written, e.g. {@code varchar(20)}
 * @param defaultExpr the DEFAULT expression as written, or null when there is none
 * @param generated   a generated (computed) column: {@code GENERATED ALWAYS AS (…) [STORED]} or MySQL {@code AS (…)}
 * @param identity    {@code GENERATED … AS IDENTITY} or {@code AUTO_INCREMENT}
 */
public record ColumnDefinition(
        Identifier name,
        String type,
        boolean notNull,
        String defaultExpr,
        boolean generated,
        boolean identity,
        boolean primaryKey,
        boolean unique,
        QualifiedName references) {

    public boolean hasDefault() {
        return defaultExpr != null;
    }

    /** A DEFAULT other than NULL (in any case, cast or parentheses: {@code (NULL::int)}): existing rows get a value. */
    public boolean fillsExistingRows() {
        return defaultExpr != null && !isNull(defaultExpr);
    }

    /** Whether a DEFAULT expression is NULL, in any case, cast or parentheses ({@code (NULL::int)}). */
    public static boolean isNull(String expression) {
        String e = expression
                .strip()
                .toLowerCase(Locale.ROOT)
                .replaceAll("^\\(+|\\)+$", "")
                .strip();
        return e.equals("null") || e.startsWith("null::") || e.startsWith("null ::");
    }

    /** An inline REFERENCES the server validates against the parent row by row: the DEFAULT filled every row. */
    public boolean checksParentRows() {
        return references != null && fillsExistingRows();
    }
}
