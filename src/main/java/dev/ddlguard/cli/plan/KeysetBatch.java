package dev.ddlguard.cli.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * The two statements of a keyset backfill batch, the same in PostgreSQL and MySQL/MariaDB: find the last
 * primary key of the next batch, then update the rows up to it. Keyset batches (last key seen, next key)
 * read each row once, where re-selecting "rows still to do" would rescan the finished part of the table for
 * every batch. {@link PostgresSql} and {@link MySqlSql} wrap them in their own loop and variables.
 *
 * @param key  the primary key columns, as SQL
 * @param last the variables holding the last key of the previous batch (all NULL before the first)
 * @param next the variables the next batch's last key is selected into
 */
record KeysetBatch(List<String> key, List<String> last, List<String> next) {

    /** A batch over {@code key} with variables named {@code prefix + "last_" + i} and {@code prefix + "next_" + i}. */
    static KeysetBatch over(List<String> key, String prefix) {
        List<String> last = new ArrayList<>();
        List<String> next = new ArrayList<>();
        for (int i = 1; i <= key.size(); i++) {
            last.add(prefix + "last_" + i);
            next.add(prefix + "next_" + i);
        }
        return new KeysetBatch(List.copyOf(key), last, next);
    }

    /** Selects the last key of the next batch of {@code batchSize} rows into {@link #next}; no row when done. */
    String selectNext(String table, int batchSize) {
        String keys = String.join(", ", key);
        return "SELECT " + keys + " INTO " + String.join(", ", next) + " FROM (SELECT " + keys + " FROM " + table
                + " WHERE " + after() + " ORDER BY " + keys + " LIMIT " + batchSize + ") AS ddlguard_batch ORDER BY "
                + String.join(", ", key.stream().map(k -> k + " DESC").toList()) + " LIMIT 1";
    }

    /** Updates the rows of the batch that still match {@code filter}. */
    String update(String table, String set, String filter) {
        return "UPDATE " + table + " SET " + set + " WHERE " + after() + " AND " + row(key) + " <= " + row(next)
                + " AND (" + filter + ")";
    }

    private String after() {
        return "(" + last.get(0) + " IS NULL OR " + row(key) + " > " + row(last) + ")";
    }

    private static String row(List<String> items) {
        return items.size() == 1 ? items.get(0) : "(" + String.join(", ", items) + ")";
    }
}
