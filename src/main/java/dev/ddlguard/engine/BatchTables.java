package dev.ddlguard.engine;

import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.DdlStatement.Flag;
import dev.ddlguard.sql.TablesTakenIn;
import dev.ddlguard.sql.Verb;
import java.util.Locale;
import java.util.Map;

/**
 * The tables a batch entry creates or takes away, as settings entries for the entries after it ({@link
 * ChangedRelations#given}): a table created by an earlier entry is the batch's own, as one created earlier in the same
 * string is ({@link StringTables}).
 */
final class BatchTables {

    private BatchTables() {}

    /** A plain CREATE TABLE's table is "yes"; every table a DROP, RENAME or renaming ALTER (SET SCHEMA too) names, "no". */
    static void createdOrGone(DdlStatement ddl, Map<String, String> given) {
        if (ddl.is(Verb.CREATE, "TABLE")) {
            if (ddl.table() != null
                    && !ddl.has(Flag.TEMPORARY)
                    && !ddl.has(Flag.IF_NOT_EXISTS)
                    && !TablesTakenIn.reachesOtherRows(ddl)) {
                given.put(ChangedRelations.CREATED + ddl.table().toSql().toLowerCase(Locale.ROOT), "yes");
            }
            return;
        }
        if (ddl.is(Verb.ALTER, "TABLE")
                && (ddl.text().hasWord("INHERIT")
                        || ddl.text().hasWord("ATTACH")
                        || ddl.text().hasWord("REFERENCES")
                        || TablesTakenIn.reachesOtherRows(ddl))) {
            // an old table hung on a table of the batch (an outside tester's CREATE TABLE n; ALTER TABLE old INHERIT n;
            // TRUNCATE n emptied old): no name the statement holds is the batch's any more, the safe side
            StringTables.wordsOf(ddl)
                    .forEach(word -> given.put(ChangedRelations.LINKED + word.toLowerCase(Locale.ROOT), ""));
        }
        boolean gone = ddl.verb() == Verb.DROP
                || ddl.verb() == Verb.RENAME
                || (ddl.verb() == Verb.ALTER
                        && (ddl.text().hasWord("RENAME") || ddl.text().hasWord("SCHEMA")));
        if (gone) {
            ddl.names().stream()
                    .filter(n -> n != null)
                    .forEach(n -> given.put(ChangedRelations.CREATED + n.toSql().toLowerCase(Locale.ROOT), "no"));
            if (ddl.table() != null) {
                given.put(ChangedRelations.CREATED + ddl.table().toSql().toLowerCase(Locale.ROOT), "no");
            }
        }
    }
}
