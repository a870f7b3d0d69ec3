package dev.ddlguard.dialect.mysql;

import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.*;

import dev.ddlguard.rules.Catalog;
import dev.ddlguard.sql.DdlStatement;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The online-DDL operation of an ALTER TABLE action the statement reader leaves as text: a table option
 * ({@code ENGINE=}, {@code ROW_FORMAT=}, {@code STATS_…}, a character set), a {@code CONVERT TO CHARACTER
 * SET}, a {@code FORCE}, an index rename or a partitioning clause. Each is found by the words it starts
 * with, the first matching text of a table deciding.
 */
final class MySqlTableOptions {

    /** An operation and the leading texts (synonyms) of the actions that perform it; texts are tried in the order written. */
    private record Prefixes(OnlineDdlOperation operation, String... texts) {}

    /** Options written {@code NAME=value}, matched on the upper-cased action without spaces. */
    private static final List<Prefixes> OPTIONS = List.of(
            // MariaDB's PAGE_COMPRESSED and ENCRYPTED rewrite every page: "Changing table options requires the table to
            // be
            // rebuilt. Try ALGORITHM=INPLACE" (1846, measured on 10.11); PAGE_COMPRESSION_LEVEL and the rest are
            // instant
            new Prefixes(REBUILD_FORCE, "ENGINE", "PAGE_COMPRESSED", "ENCRYPTED"),
            new Prefixes(CHANGE_ROW_FORMAT_OR_KEY_BLOCK_SIZE, "ROW_FORMAT", "KEY_BLOCK_SIZE"),
            new Prefixes(SET_TABLE_OPTIONS_STATS, "STATS_"),
            new Prefixes(SET_AUTO_INCREMENT_VALUE, "AUTO_INCREMENT"),
            new Prefixes(
                    SET_TABLE_DEFAULT_CHARACTER_SET,
                    "CHARACTERSET",
                    "CHARSET",
                    "DEFAULTCHARACTERSET",
                    "DEFAULTCHARSET",
                    "COLLATE",
                    "DEFAULTCOLLATE"));

    /** Other actions, matched on the upper-cased action with its white space made single spaces. */
    private static final List<Prefixes> OTHER_ACTIONS = List.of(
            new Prefixes(CONVERT_CHARACTER_SET, "CONVERT TO"), // refined by convert(), which knows the table's columns
            new Prefixes(
                    SET_TABLE_DEFAULT_CHARACTER_SET,
                    "DEFAULT CHARACTER SET",
                    "DEFAULT CHARSET",
                    "CHARACTER SET",
                    "DEFAULT COLLATE",
                    "COLLATE"),
            new Prefixes(REBUILD_FORCE, "ENGINE"),
            new Prefixes(RENAME_INDEX, "RENAME INDEX", "RENAME KEY"),
            new Prefixes(PARTITION_BY, "PARTITION BY"),
            new Prefixes(ADD_PARTITION, "ADD PARTITION"),
            new Prefixes(DROP_PARTITION, "DROP PARTITION"),
            new Prefixes(TRUNCATE_PARTITION, "TRUNCATE PARTITION"),
            new Prefixes(REORGANIZE_OR_REPARTITION, "REORGANIZE PARTITION", "COALESCE PARTITION"),
            new Prefixes(REMOVE_PARTITIONING, "REMOVE PARTITIONING"));

    /** Table options written without {@code =} ({@code COMMENT 'x'}, {@code ENGINE InnoDB}), read as options. */
    private static final Pattern OPTION_WITHOUT_EQUALS = Pattern.compile("(?i)(COMMENT|ENGINE|ROW_FORMAT|KEY_BLOCK_SIZE"
            + "|STATS_\\w+|AUTO_INCREMENT|CHECKSUM|PACK_KEYS|DELAY_KEY_WRITE|AVG_ROW_LENGTH|MAX_ROWS|MIN_ROWS|PAGE_CHECKSUM"
            + "|PAGE_COMPRESSED|PAGE_COMPRESSION_LEVEL|TRANSACTIONAL|ENCRYPTED|ENCRYPTION_KEY_ID|IETF_QUOTES)\\b");

    private MySqlTableOptions() {}

    /** Table options written as {@code NAME=value}; ALGORITHM and LOCK are the statement's own clause, not an operation. */
    static OnlineDdlOperation option(String text) {
        String upper = text.toUpperCase(Locale.ROOT).replace(" ", "");
        if (upper.startsWith("ALGORITHM") || upper.startsWith("LOCK")) {
            // PARTITION BY and REMOVE PARTITIONING take the clause as a prefix without a comma, so the action
            // reads "ALGORITHM=INSTANT REMOVE PARTITIONING": what follows the clause is the operation.
            String rest = text.replaceFirst("(?is)^\\s*(ALGORITHM|LOCK)\\s*=?\\s*\\w+\\s*", "");
            return rest.isBlank() ? null : other(rest);
        }
        OnlineDdlOperation op = firstMatch(OPTIONS, upper);
        return op != null ? op : SET_TABLE_OPTIONS_STATS; // COMMENT=, other metadata-only table options
    }

    /** An action that is neither a column, index nor constraint change, nor an option with {@code =}; null when unknown. */
    static OnlineDdlOperation other(String text) {
        if (OPTION_WITHOUT_EQUALS.matcher(text.strip()).lookingAt()) {
            return option(text.strip());
        }
        String upper = text.toUpperCase(Locale.ROOT).replaceAll("\\s+", " ").trim();
        return upper.equals("FORCE") ? REBUILD_FORCE : firstMatch(OTHER_ACTIONS, upper);
    }

    /**
     * {@code CONVERT TO CHARACTER SET utf8mb4} of a table whose string columns are all utf8mb3 (or
     * already utf8mb4) changes no stored byte: MariaDB 10.4.3+ does it instantly. Any other column
     * (latin1 …) is re-encoded by a copy; without the catalog the copy is assumed.
     */
    static OnlineDdlOperation convert(DdlStatement s, OnlineDdlOperation op, String text, Catalog catalog) {
        if (op != CONVERT_CHARACTER_SET || s.table() == null) {
            return op;
        }
        String upper = text.toUpperCase(Locale.ROOT).replaceAll("\\s+", " ").trim();
        if (!upper.startsWith("CONVERT TO CHARACTER SET UTF8MB4") && !upper.startsWith("CONVERT TO CHARSET UTF8MB4")) {
            return op;
        }
        Set<String> charsets = catalog.columnCharsets(s.table());
        boolean allUtf8 = !charsets.isEmpty()
                && charsets.stream().allMatch(c -> c.equals("utf8mb3") || c.equals("utf8") || c.equals("utf8mb4"));
        return allUtf8 ? CONVERT_CHARACTER_SET_UTF8MB3_TO_UTF8MB4 : op;
    }

    private static OnlineDdlOperation firstMatch(List<Prefixes> table, String upper) {
        for (Prefixes row : table) {
            for (String text : row.texts()) {
                if (upper.startsWith(text)) {
                    return row.operation();
                }
            }
        }
        return null;
    }
}
