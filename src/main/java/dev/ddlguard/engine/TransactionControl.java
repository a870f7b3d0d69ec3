package dev.ddlguard.engine;

import java.util.Locale;

/**
 * A statement that ends the session's transaction or marks a point in it, recognised from its first
 * words only (PostgreSQL manual, "SQL Commands": COMMIT, END, ROLLBACK, ABORT, ROLLBACK TO SAVEPOINT,
 * SAVEPOINT, PREPARE TRANSACTION). Only looked for while an open transaction holds DDL, and only in
 * short statements, so that ordinary statements pay nothing for it.
 *
 * @param savepoint the savepoint's name for {@link Kind#SAVEPOINT} and {@link Kind#ROLLBACK_TO}
 *                  (folded to lower case unless quoted, as the server folds it), else null
 */
record TransactionControl(Kind kind, String savepoint) {

    enum Kind {
        COMMIT,
        ROLLBACK,
        ROLLBACK_TO,
        SAVEPOINT,
        PREPARE
    }

    /** Longer statements are not transaction control in any form the guard looks for. */
    static final int MAX_LENGTH = 200;

    /** What the statement does to the transaction, or null when it is none of these. */
    static TransactionControl of(String sql) {
        if (sql == null || sql.length() > MAX_LENGTH) {
            return null;
        }
        Words words = new Words(sql);
        String first = words.next();
        if (first == null) {
            return null;
        }
        switch (first) {
            case "commit", "end" -> {
                String next = words.next();
                return "prepared".equals(next) ? null : new TransactionControl(Kind.COMMIT, null);
            }
            case "abort" -> {
                return new TransactionControl(Kind.ROLLBACK, null);
            }
            case "rollback" -> {
                String next = words.next();
                if ("work".equals(next) || "transaction".equals(next)) {
                    next = words.next();
                }
                if ("prepared".equals(next)) {
                    return null; // another, prepared transaction: not this session's
                }
                if (!"to".equals(next)) {
                    return new TransactionControl(Kind.ROLLBACK, null);
                }
                String name = words.nextName();
                if ("savepoint".equals(name)) {
                    name = words.nextName();
                }
                return new TransactionControl(Kind.ROLLBACK_TO, name);
            }
            case "savepoint" -> {
                return new TransactionControl(Kind.SAVEPOINT, words.nextName());
            }
            case "prepare" -> {
                return "transaction".equals(words.next()) ? new TransactionControl(Kind.PREPARE, null) : null;
            }
            default -> {
                return null;
            }
        }
    }

    /** Words of a short statement: letters, digits, underscores, or a double-quoted name; comments skipped. */
    private static final class Words {
        private final String sql;
        private int at;

        Words(String sql) {
            this.sql = sql;
        }

        /** The next keyword in lower case, or null. */
        String next() {
            String word = nextName();
            return word == null || word.startsWith("\"") ? null : word;
        }

        /** The next word: lower-cased when unquoted, the quoted text (with its quotes) when double-quoted. */
        String nextName() {
            skipBlanks();
            if (at >= sql.length()) {
                return null;
            }
            int start = at;
            if (sql.charAt(at) == '"') {
                int close = sql.indexOf('"', at + 1);
                if (close < 0) {
                    return null;
                }
                at = close + 1;
                return sql.substring(start, at);
            }
            while (at < sql.length() && (Character.isLetterOrDigit(sql.charAt(at)) || sql.charAt(at) == '_')) {
                at++;
            }
            return at == start ? null : sql.substring(start, at).toLowerCase(Locale.ROOT);
        }

        private void skipBlanks() {
            while (at < sql.length()) {
                char c = sql.charAt(at);
                if (Character.isWhitespace(c)) {
                    at++;
                } else if (sql.startsWith("--", at)) {
                    int end = sql.indexOf('\n', at);
                    at = end < 0 ? sql.length() : end + 1;
                } else if (sql.startsWith("/*", at)) {
                    int end = sql.indexOf("*/", at + 2);
                    at = end < 0 ? sql.length() : end + 2;
                } else {
                    return;
                }
            }
        }
    }
}
