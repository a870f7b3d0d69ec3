package dev.ddlguard.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * How often a statement was sent, what was cleaned up after failed attempts, and the online clauses
 * the server refused before the one it took (MySQL/MariaDB). One per execution; {@link Retries} fills it in.
 */
final class Attempts {
    int count;
    String cleanUp;
    /** What the server answered to each refused rewrite: "ALGORITHM=INSTANT, LOCK=NONE: ERROR 1845 …". */
    final List<String> refused = new ArrayList<>();
    /** The statement as finally sent, when a weaker rewrite replaced the judged one; else null. */
    JudgedStatement weakened;
    /** Whether the call sends the string it is given (not a prepared statement's fixed SQL). */
    boolean resendable = true;
    /**
     * Whether the call sends the caller's whole string, which may hold statements besides the DDL: sent again after a
     * lock timeout, the ones before it ran again (MariaDB: an outside tester's UPDATE n = n + 1 ran four times).
     */
    boolean wholeString;

    /** For the audit note: which clauses were refused, and what was sent instead. */
    String refusalNote() {
        if (refused.isEmpty()) {
            return null;
        }
        return "the server refused " + String.join("; then ", refused)
                + (weakened == null ? "" : "; sent the next weaker online form instead");
    }
}
