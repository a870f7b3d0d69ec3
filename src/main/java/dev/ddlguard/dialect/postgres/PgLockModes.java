package dev.ddlguard.dialect.postgres;

import java.util.List;
import java.util.Locale;

/**
 * PostgreSQL's table-level lock modes and which pairs conflict (manual 13.3.1, "Table 13.2.
 * Conflicting Lock Modes"). pg_locks names them in CamelCase ("AccessExclusiveLock"), messages in
 * upper case with spaces ("ACCESS EXCLUSIVE"); both are accepted.
 */
final class PgLockModes {

    /** In order of strength; index i conflicts with the modes listed in CONFLICTS[i]. */
    private static final List<String> MODES = List.of(
            "ACCESS SHARE",
            "ROW SHARE",
            "ROW EXCLUSIVE",
            "SHARE UPDATE EXCLUSIVE",
            "SHARE",
            "SHARE ROW EXCLUSIVE",
            "EXCLUSIVE",
            "ACCESS EXCLUSIVE");

    private static final boolean[][] CONFLICTS = {
        //          AS     RS     RE     SUE    S      SRE    E      AE
        /* AS  */ {false, false, false, false, false, false, false, true},
        /* RS  */ {false, false, false, false, false, false, true, true},
        /* RE  */ {false, false, false, false, true, true, true, true},
        /* SUE */ {false, false, false, true, true, true, true, true},
        /* S   */ {false, false, true, true, false, true, true, true},
        /* SRE */ {false, false, true, true, true, true, true, true},
        /* E   */ {false, true, true, true, true, true, true, true},
        /* AE  */ {true, true, true, true, true, true, true, true},
    };

    private PgLockModes() {}

    /** {@code AccessExclusiveLock} or {@code ACCESS EXCLUSIVE} to the index in MODES, or -1. */
    static int index(String mode) {
        if (mode == null) {
            return -1;
        }
        String normal = mode.endsWith("Lock")
                ? mode.substring(0, mode.length() - 4).replaceAll("([a-z])([A-Z])", "$1 $2")
                : mode;
        return MODES.indexOf(normal.toUpperCase(Locale.ROOT));
    }

    static boolean conflict(String a, String b) {
        int i = index(a);
        int j = index(b);
        return i >= 0 && j >= 0 && CONFLICTS[i][j];
    }
}
