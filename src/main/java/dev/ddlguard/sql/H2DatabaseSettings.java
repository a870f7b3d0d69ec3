package dev.ddlguard.sql;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * H2's statements on the whole database rather than the session, read as DDL (H2 manual, "Commands"):
 * {@code SET EXCLUSIVE 1 | 2 | TRUE} pauses every other connection's statements and refuses new connections (2 also
 * closes the others); {@code SET DATABASE_EVENT_LISTENER 'class'} loads and runs a Java class in the database;
 * {@code SET REFERENTIAL_INTEGRITY FALSE} switches foreign-key checks off for every connection; {@code SHUTDOWN}
 * closes the database for every connection. Read in H2's (ANSI) syntax only; any other SET is the session's.
 */
final class H2DatabaseSettings {

    private H2DatabaseSettings() {}

    /**
     * Settings of the whole database (H2 manual, "SET …": "affects all connections" or persistent, admin rights)
     * that change what every connection's statements do: literals refused (ALLOW_LITERALS NONE failed every query
     * with a literal, the guard's own SET LOCK_TIMEOUT too: an outside tester's find), lock waits and modes, name
     * case, where new tables live, cluster and durability settings. Read as SET DATABASE_SETTING (set-global).
     */
    static final Set<String> DATABASE_WIDE = Set.of(
            "ALLOW_LITERALS",
            "DEFAULT_LOCK_TIMEOUT",
            "LOCK_MODE",
            "CLUSTER",
            "WRITE_DELAY",
            "DB_CLOSE_DELAY",
            "IGNORECASE",
            "DEFAULT_TABLE_TYPE",
            "MAX_MEMORY_ROWS",
            "CACHE_SIZE");

    /** The settings read here: the pre-filter scans a SET for these words. */
    static final List<String> WORDS = Stream.concat(
                    Stream.of(
                            "EXCLUSIVE", "DATABASE_EVENT_LISTENER", "JAVA_OBJECT_SERIALIZER", "REFERENTIAL_INTEGRITY"),
                    DATABASE_WIDE.stream().sorted())
            .toList();

    /**
     * H2: whether a SET's first word after SET is one of the settings of the whole database
     * ({@link #WORDS}), for the pre-filter, after whitespace only (a comment there: the classifier reads it).
     */
    static boolean setMayReachDatabase(String sql, int from) {
        int k = from;
        while (k < sql.length() && CharClasses.isWhitespace(sql.charAt(k), SqlSyntax.ANSI)) {
            k++;
        }
        if (k >= sql.length()) {
            return false;
        }
        if (sql.charAt(k) == '/' || sql.charAt(k) == '-' || sql.charAt(k) >= 0x80) {
            return true;
        }
        for (String word : WORDS) {
            if (DdlPreFilter.is(sql, k, word) && TokenRules.wordEnd(sql, k, SqlSyntax.ANSI) == k + word.length()) {
                return true;
            }
        }
        return false;
    }

    /** H2's boolean false (and EXCLUSIVE 0); anything else, an expression included, counts as on. */
    private static final Set<String> OFF = Set.of("0", "FALSE", "OFF");

    /**
     * SET (after the word): object type EXCLUSIVE (its value as the name), EVENT_LISTENER (the class as the name) or
     * REFERENTIAL_INTEGRITY; null for a setting switched off or any other SET.
     */
    static DdlStatement set(TokenCursor c, DdlStatementBuilder b) {
        Token setting = c.next();
        if (setting == null || setting.kind() != TokenKind.WORD) {
            return null;
        }
        String name = setting.text(c.sql()).toUpperCase(Locale.ROOT);
        if (!WORDS.contains(name)) {
            return null;
        }
        if (DATABASE_WIDE.contains(name)) {
            b.objectType = "DATABASE_SETTING";
            b.names.add(new QualifiedName(List.of(new Identifier(name, true))));
            return b.build();
        }
        c.acceptKind(TokenKind.OPERATOR); // SET EXCLUSIVE = 1 is not H2's, but costs nothing to allow
        Token value = c.next();
        String text = value == null ? "" : unquoted(value.text(c.sql()));
        boolean literal = value != null && value.kind() != TokenKind.STRING;
        boolean off = literal && OFF.contains(text.toUpperCase(Locale.ROOT));
        switch (name) {
            case "EXCLUSIVE" -> {
                if (off) {
                    return null; // back to normal mode
                }
            }
            case "REFERENTIAL_INTEGRITY" -> {
                if (!off) {
                    return null; // TRUE switches the checks back on (without checking the rows written meanwhile)
                }
            }
            default -> {
                if (literal && text.equalsIgnoreCase("NULL")) {
                    return null; // SET DATABASE_EVENT_LISTENER | JAVA_OBJECT_SERIALIZER NULL removes it
                }
                name = "EVENT_LISTENER"; // a class H2 loads and runs: the listener, or JAVA_OBJECT_SERIALIZER
            }
        }
        b.objectType = name;
        if (!text.isEmpty()) {
            b.names.add(new QualifiedName(List.of(new Identifier(text, true))));
        }
        return b.build();
    }

    /** SHUTDOWN [IMMEDIATELY | COMPACT | DEFRAG] (after the word). */
    static DdlStatement shutdown(DdlStatementBuilder b) {
        b.objectType = "DATABASE";
        return b.build();
    }

    private static String unquoted(String text) {
        return text.length() >= 2 && text.startsWith("'") ? text.substring(1, text.length() - 1) : text;
    }
}
