package dev.ddlguard.sql;

/**
 * One part of a name as written: {@code orders}, {@code "Orders"} or {@code `orders`}.
 *
 * @param text   the name without its quotes
 * @param quoted whether it was quoted, which decides case folding in the catalog
 */
public record Identifier(String text, boolean quoted) {

    /** The name as the user wrote it, for messages and generated SQL. */
    public String toSql() {
        return quoted ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }

    /** Case-insensitive match for unquoted names, exact for quoted ones. */
    public boolean sameAs(Identifier other) {
        return quoted || other.quoted ? text.equals(other.text) : text.equalsIgnoreCase(other.text);
    }

    @Override
    public String toString() {
        return toSql();
    }
}
