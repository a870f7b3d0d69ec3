package dev.ddlguard.dialect.mysql;

import static dev.ddlguard.dialect.mysql.OnlineDdlOperation.*;

import dev.ddlguard.rules.Catalog;
import dev.ddlguard.sql.AlterAction;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.Token;
import dev.ddlguard.sql.TokenKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
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

    /**
     * Where a table option or a partitioning clause starts in an action's text: MySQL and MariaDB let table options
     * follow each other without commas and a partitioning clause follow them ({@code ROW_FORMAT=DYNAMIC ENGINE MEMORY},
     * {@code COMMENT 'x' PARTITION BY HASH(id)}: an outside tester's, where only the first was read and the copy to
     * MEMORY, or the re-partitioning, went unjudged). CONVERT TO … COLLATE … is one action.
     */
    private static final Pattern OPTION_START =
            Pattern.compile("(?i)\\b(?:CONVERT\\s+TO\\s+(?:CHARACTER\\s+SET|CHARSET)"
                    + "(?:\\s*=)?\\s*\\S+(?:\\s+COLLATE(?:\\s*=)?\\s*\\S+)?|DEFAULT\\s+(?:CHARACTER\\s+SET|CHARSET|COLLATE)"
                    + "|CHARACTER\\s+SET|CHARSET|COLLATE|PARTITION\\s+BY|REMOVE\\s+PARTITIONING|ALGORITHM|LOCK|COMMENT|ENGINE"
                    + "|ENGINE_ATTRIBUTE|ROW_FORMAT|KEY_BLOCK_SIZE|STATS_\\w+|AUTO_INCREMENT|AUTOEXTEND_SIZE|CHECKSUM|PACK_KEYS"
                    + "|DELAY_KEY_WRITE|AVG_ROW_LENGTH|MAX_ROWS|MIN_ROWS|PAGE_CHECKSUM|PAGE_COMPRESSED|PAGE_COMPRESSION_LEVEL"
                    + "|TRANSACTIONAL|ENCRYPTED|ENCRYPTION_KEY_ID|ENCRYPTION|COMPRESSION|IETF_QUOTES|CONNECTION|INSERT_METHOD"
                    + "|DATA\\s+DIRECTORY|INDEX\\s+DIRECTORY|TABLESPACE|UNION|PASSWORD|SEQUENCE)\\b");

    /** The statement's own ALGORITHM= / LOCK= clause, which is no operation. */
    private static final Pattern CLAUSE = Pattern.compile("(?is)\\s*(ALGORITHM|LOCK)\\s*=?\\s*\\w*\\s*");

    /** A table option written NAME=value. */
    private static final Pattern NAME_EQUALS = Pattern.compile("(?s)\\s*\\w+\\s*=");

    private MySqlTableOptions() {}

    /**
     * The operations of an action that is table options or a partitioning clause, one per option it holds; a null
     * for a part no operation matches (unmodelled). ALGORITHM and LOCK are the statement's clause, no operation.
     */
    static List<OnlineDdlOperation> operations(DdlStatement s, AlterAction a) {
        List<OnlineDdlOperation> ops = new ArrayList<>(1);
        for (String part : parts(s, a)) {
            if (!isClause(part)) {
                ops.add(operation(part));
            }
        }
        return ops;
    }

    /** Whether the part is only the statement's own ALGORITHM= / LOCK= clause. */
    static boolean isClause(String part) {
        return CLAUSE.matcher(part).matches();
    }

    /** One part's operation; null when none matches. */
    static OnlineDdlOperation operation(String part) {
        return NAME_EQUALS.matcher(part).lookingAt() ? option(part.strip()) : other(part);
    }

    /** The action's text cut where each option starts; text before the first option (FORCE, ORDER BY …) is a part. */
    static List<String> parts(DdlStatement s, AlterAction a) {
        String sql = s.text().source();
        List<Integer> starts = partStarts(s, a);
        List<String> parts = new ArrayList<>(starts.size());
        for (int i = 0; i < starts.size(); i++) {
            parts.add(sql.substring(starts.get(i), i + 1 < starts.size() ? starts.get(i + 1) : a.end()));
        }
        return parts;
    }

    /**
     * Where the action's parts start in the statement's text: the action's start, and each option's. Read on the
     * code as the lexer reads it: comments are blank, quoted text and what parentheses hold are not looked into, and
     * a MySQL executable comment's code counts.
     */
    static List<Integer> partStarts(DdlStatement s, AlterAction a) {
        String sql = s.text().source();
        char[] code = new char[a.end() - a.start()];
        Arrays.fill(code, ' ');
        int depth = 0;
        for (Token t : s.text().tokensWithin(a.start(), a.end())) {
            if (t.isComment()) {
                continue;
            }
            boolean open = t.kind() == TokenKind.LEFT_PAREN;
            depth -= t.kind() == TokenKind.RIGHT_PAREN ? 1 : 0;
            boolean words = depth == 0
                    && (t.kind() == TokenKind.WORD || t.kind() == TokenKind.OPERATOR || t.kind() == TokenKind.NUMBER);
            for (int i = t.start(); i < t.end(); i++) {
                code[i - a.start()] = words || open && depth == 0 ? sql.charAt(i) : '_';
            }
            depth += open ? 1 : 0;
        }
        Matcher m = OPTION_START.matcher(new String(code));
        List<Integer> starts = new ArrayList<>();
        while (m.find()) {
            starts.add(a.start() + m.start());
        }
        if (starts.isEmpty() || !sql.substring(a.start(), starts.get(0)).isBlank()) {
            starts.add(0, a.start());
        }
        return starts;
    }

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
