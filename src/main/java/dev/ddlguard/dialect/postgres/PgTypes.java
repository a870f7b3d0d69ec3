package dev.ddlguard.dialect.postgres;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which ALTER COLUMN TYPE changes PostgreSQL does without rewriting the table: the binary-coercible
 * ones, where the old values are valid as they are (manual: ALTER TABLE, "Notes": "changing the type
 * of an existing column will normally cause the entire table and its indexes to be rewritten", except
 * when the old type is binary coercible to the new one and the USING clause does not change the value).
 */
final class PgTypes {

    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("varchar", "character varying"),
            Map.entry("char", "character"),
            Map.entry("bpchar", "character"),
            Map.entry("int", "integer"),
            Map.entry("int4", "integer"),
            Map.entry("int8", "bigint"),
            Map.entry("int2", "smallint"),
            Map.entry("decimal", "numeric"),
            Map.entry("bool", "boolean"),
            Map.entry("float8", "double precision"),
            Map.entry("float4", "real"),
            Map.entry("varbit", "bit varying"),
            Map.entry("timestamptz", "timestamp with time zone"),
            Map.entry("timestamp", "timestamp without time zone"),
            Map.entry("timetz", "time with time zone"),
            Map.entry("time", "time without time zone"));

    /** A name (letters, digits: int4, float8), its modifiers, and a time zone clause after them. */
    private static final Pattern SHAPE = Pattern.compile(
            "([a-z][a-z0-9_ ]*?)\\s*(?:\\((\\d+)(?:\\s*,\\s*(\\d+))?\\))?\\s*(with(?:out)? time zone)?");

    /**
     * Types whose precision 6 is what no precision means (microseconds, the most they store): {@code timestamp(6)} and
     * {@code timestamp} are one type to the table (measured on 15: no rewrite either way).
     */
    private static final Set<String> MICROSECONDS = Set.of(
            "timestamp without time zone",
            "timestamp with time zone",
            "time without time zone",
            "time with time zone",
            "interval");

    private PgTypes() {}

    /** Built-in types a column is commonly added with: no catalog question for them (none is a domain). */
    private static final Set<String> BUILT_IN = Set.of(
            "integer",
            "bigint",
            "smallint",
            "numeric",
            "real",
            "double precision",
            "boolean",
            "text",
            "character varying",
            "character",
            "bytea",
            "date",
            "timestamp without time zone",
            "timestamp with time zone",
            "time without time zone",
            "time with time zone",
            "interval",
            "uuid",
            "json",
            "jsonb",
            "inet",
            "cidr",
            "macaddr",
            "money",
            "bit",
            "bit varying",
            "xml",
            "tsvector",
            "oid",
            "serial",
            "bigserial",
            "smallserial");

    /** Whether the type is one of the common built-in ones (arrays of them included), which no domain can be. */
    static boolean builtIn(String text) {
        String t = text.strip();
        while (t.endsWith("[]")) {
            t = t.substring(0, t.length() - 2).strip();
        }
        return BUILT_IN.contains(parse(t).name());
    }

    /** A type as name plus modifiers, aliases resolved: {@code varchar(20)} and {@code character varying(20)} agree. */
    record Type(String name, Integer length, Integer scale) {}

    static Type parse(String text) {
        String t = text.toLowerCase(Locale.ROOT).trim().replaceAll("\\s+", " ").replace("\"", "");
        if (t.startsWith("pg_catalog.")) {
            t = t.substring("pg_catalog.".length()); // where every built-in type lives: the same type
        }
        Matcher m = SHAPE.matcher(t);
        if (!m.matches()) {
            return new Type(t, null, null);
        }
        String name = m.group(1).trim();
        if (m.group(4) != null) {
            name = name + " " + m.group(4); // timestamp(3) with time zone
        }
        name = ALIASES.getOrDefault(name, name);
        Integer length = m.group(2) == null ? null : Integer.valueOf(m.group(2));
        Integer scale = m.group(3) == null ? null : Integer.valueOf(m.group(3));
        if (length != null && length == 6 && MICROSECONDS.contains(name)) {
            length = null;
        }
        return new Type(name, length, scale);
    }

    /**
     * Whether changing {@code from} to {@code to} leaves the table as it is.
     *
     * @param sessionTimeZone the session's TimeZone: timestamp ↔ timestamptz is free only in UTC (PostgreSQL 12+)
     */
    static boolean withoutRewrite(String from, String to, String sessionTimeZone, boolean atLeast12) {
        Type a = parse(from);
        Type b = parse(to);
        if (a.equals(b)) {
            return true;
        }
        String x = a.name();
        String y = b.name();
        if (x.equals("character varying") && (y.equals("text") || (y.equals(x) && wider(a, b)))) {
            return true;
        }
        if (x.equals("text") && y.equals("character varying") && b.length() == null) {
            return true;
        }
        if ((x.equals("numeric") || x.equals("bit varying"))
                && y.equals(x)
                && (b.length() == null || (a.length() != null && b.length() >= a.length() && sameScale(a, b)))) {
            return true;
        }
        if (x.equals("cidr") && y.equals("inet")) {
            return true;
        }
        boolean timestamps = (x.equals("timestamp without time zone") && y.equals("timestamp with time zone"))
                || (y.equals("timestamp without time zone") && x.equals("timestamp with time zone"));
        return timestamps && atLeast12 && isUtc(sessionTimeZone);
    }

    private static boolean wider(Type a, Type b) {
        return b.length() == null || (a.length() != null && b.length() >= a.length());
    }

    private static boolean sameScale(Type a, Type b) {
        int sa = a.scale() == null ? 0 : a.scale();
        int sb = b.scale() == null ? 0 : b.scale();
        return sa == sb;
    }

    private static boolean isUtc(String zone) {
        return zone != null
                && (zone.equalsIgnoreCase("UTC")
                        || zone.equalsIgnoreCase("Etc/UTC")
                        || zone.equalsIgnoreCase("GMT")
                        || zone.equalsIgnoreCase("Etc/GMT")
                        || zone.equalsIgnoreCase("Zulu"));
    }
}
