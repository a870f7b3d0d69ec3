package dev.ddlguard.dialect.postgres;

import dev.ddlguard.rules.TableNames;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.Token;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Names the rewrites need: PostgreSQL's own naming conventions for constraints and indexes. */
final class PgNames {

    /** NAMEDATALEN - 1: PostgreSQL truncates longer identifiers. */
    private static final int MAX = 63;

    private PgNames() {}

    /** {@code orders_customer_id_fkey}, {@code orders_pkey}, {@code orders_email_key}: as PostgreSQL would name it. */
    static Identifier constraintName(QualifiedName table, List<Identifier> columns, String suffix) {
        String base = folded(table.name());
        if (!columns.isEmpty()) {
            base += "_" + columns.stream().map(PgNames::folded).collect(Collectors.joining("_"));
        }
        String name = base + "_" + suffix;
        if (name.length() > MAX) {
            name = base.substring(0, Math.max(1, MAX - suffix.length() - 1)) + "_" + suffix;
        }
        boolean needsQuotes = !name.equals(name.toLowerCase(Locale.ROOT)) || !name.matches("[a-z_][a-z0-9_$]*");
        return new Identifier(name, needsQuotes);
    }

    /**
     * The name as PostgreSQL stores it: unquoted, A to Z fold to lower case and nothing else does (TableNames); cut to
     * 63 bytes, whole characters, as the server cuts an identifier (an outside tester's DROP COLUMN IF EXISTS of a
     * 66-character name was judged a no-op and dropped the 63-character column it named).
     */
    static String folded(Identifier id) {
        String name = id.quoted() ? id.text() : TableNames.foldUnquoted(SqlSyntax.POSTGRESQL, id.text());
        if (name.length() * 3 <= MAX || name.getBytes(StandardCharsets.UTF_8).length <= MAX) {
            return name;
        }
        int bytes = 0;
        int end = 0;
        while (end < name.length()) {
            int cp = name.codePointAt(end);
            int size = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + size > MAX) {
                break;
            }
            bytes += size;
            end += Character.charCount(cp);
        }
        return name.substring(0, end);
    }

    static String columnList(List<Identifier> columns) {
        return columns.stream().map(Identifier::toSql).collect(Collectors.joining(", "));
    }

    /** The offset just after the first code token that is the keyword, or -1. */
    static int afterWord(DdlStatement s, String keyword, int from) {
        for (Token token : s.text().tokens()) {
            if (token.start() >= from && token.isWord(s.text().source(), keyword)) {
                return token.end();
            }
        }
        return -1;
    }

    /** Whether the statement has the two keywords in a row anywhere (comments skipped). */
    static boolean hasWords(DdlStatement s, String first, String second) {
        Token previous = null;
        for (Token token : s.text().tokens()) {
            if (token.isComment()) {
                continue;
            }
            if (previous != null
                    && previous.isWord(s.text().source(), first)
                    && token.isWord(s.text().source(), second)) {
                return true;
            }
            previous = token;
        }
        return false;
    }
}
