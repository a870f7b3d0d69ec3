package dev.ddlguard.cli.lint;

import dev.ddlguard.sql.StatementText;
import java.util.List;
import java.util.Set;

/**
 * The statements Flyway's PostgreSQL parser knows cannot run in a transaction: one of them in a
 * script makes Flyway run the whole script outside one, with no script config needed. Only these
 * forms count: others (REINDEX … CONCURRENTLY, DETACH PARTITION … CONCURRENTLY) still run inside
 * Flyway's transaction and fail there, which is what the guard reports for them.
 */
final class FlywayDetection {

    private static final Set<String> SERVER_OBJECTS = Set.of("DATABASE", "TABLESPACE", "SUBSCRIPTION");
    private static final Set<String> REINDEX_WIDE = Set.of("SCHEMA", "DATABASE", "SYSTEM");

    private FlywayDetection() {}

    /** Whether any statement is one Flyway runs outside a transaction (PostgreSQL only). */
    static boolean anyNonTransactional(List<StatementText> statements) {
        return statements.stream().anyMatch(FlywayDetection::nonTransactional);
    }

    static boolean nonTransactional(StatementText statement) {
        List<String> w = SessionState.leadingWords(statement, 4);
        String w0 = at(w, 0);
        String w1 = at(w, 1);
        String w2 = at(w, 2);
        String w3 = at(w, 3);
        return switch (w0) {
            case "CREATE", "DROP" ->
                SERVER_OBJECTS.contains(w1)
                        || (w1.equals("INDEX") && w2.equals("CONCURRENTLY"))
                        || (w0.equals("CREATE")
                                && w1.equals("UNIQUE")
                                && w2.equals("INDEX")
                                && w3.equals("CONCURRENTLY"));
            case "ALTER" -> w1.equals("SYSTEM");
            case "REINDEX" -> REINDEX_WIDE.contains(w1) || (w1.equals("VERBOSE") && REINDEX_WIDE.contains(w2));
            case "VACUUM" -> true;
            case "DISCARD" -> w1.equals("ALL");
            default -> false;
        };
    }

    private static String at(List<String> words, int i) {
        return i < words.size() ? words.get(i) : "";
    }
}
