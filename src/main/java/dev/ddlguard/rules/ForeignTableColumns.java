package dev.ddlguard.rules;

import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.TokenCursor;
import java.util.ArrayList;
import java.util.List;

/**
 * The columns an {@code ALTER FOREIGN TABLE … DROP [COLUMN] [IF EXISTS] c} drops. The classifier reads no actions of a
 * foreign table: it has no storage, and ALTER TABLE's lock rules would judge a rewrite or a scan that never happens.
 * Its columns still are what deployed code selects, so drop-column reads them here.
 */
final class ForeignTableColumns {

    private ForeignTableColumns() {}

    /** "drops column total of foreign table remote_orders", or null when no column is dropped. */
    static String dropped(DdlStatement s) {
        if (s.names().isEmpty()) {
            return null;
        }
        List<String> columns = new ArrayList<>();
        // outside parentheses: OPTIONS (DROP name) drops an option, not a column
        for (TokenCursor c : StatementWords.afterEach(s, "DROP")) {
            boolean column = c.acceptWord("COLUMN");
            c.acceptWords("IF", "EXISTS");
            // ALTER [COLUMN] c DROP DEFAULT | NOT NULL, DROP CONSTRAINT k: no column goes
            if (column || !(c.peekWord("NOT") || c.peekWord("DEFAULT") || c.peekWord("CONSTRAINT"))) {
                Identifier dropped = c.acceptIdentifier();
                if (dropped != null) {
                    columns.add(dropped.toString());
                }
            }
        }
        return columns.isEmpty()
                ? null
                : "drops column " + String.join(", ", columns) + " of foreign table "
                        + s.names().get(0);
    }
}
