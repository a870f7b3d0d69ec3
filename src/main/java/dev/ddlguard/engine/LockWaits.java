package dev.ddlguard.engine;

import dev.ddlguard.rules.LockImpact;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.DdlStatement.Flag;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.Token;
import dev.ddlguard.sql.TokenKind;
import dev.ddlguard.sql.Verb;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which tables a judged string locks, as far as the guard sets a lock timeout for it: a statement that can
 * only lock tables this process created through the guard in this run (and a new table) cannot queue behind
 * another session's lock on a table that existed before, so the session's lock timeout is neither read, set
 * nor restored for it (three round trips per statement of a fresh-schema migration). Any doubt keeps it.
 */
final class LockWaits {

    /** Words after which a statement names another table it reads or locks, in ways not followed here. */
    private static final List<String> NAMES_ANOTHER_TABLE =
            List.of("LIKE", "INHERITS", "PARTITION", "SELECT", "RENAME");

    private LockWaits() {}

    /**
     * Whether the string may wait for a lock another session holds on a table that existed before this run:
     * then it runs under the lock timeout. False only for CREATE TABLE, ALTER TABLE and CREATE INDEX whose
     * every locked table (the statement's table, the lock model's other tables, every table after a
     * REFERENCES) was created by this run through the guard, or is the new table itself.
     *
     * @param schema the schema the string runs in, for unqualified names
     */
    static boolean canWaitOnOthers(Judgement j, LiveCatalog catalog, String schema) {
        String database = catalog.database();
        if (database == null || j.concurrently() || j.statements().isEmpty()) {
            return true;
        }
        schema = schema != null
                ? schema
                : catalog.currentSchema(); // MySQL/MariaDB: the database, as the record of created tables keys it
        for (JudgedStatement s : j.statements()) {
            DdlStatement ddl = s.executed();
            LockImpact lock = s.executedLock() != null ? s.executedLock() : s.lock();
            if (ddl == null || lock == null || !knownKind(ddl) || ddl.has(Flag.TEMPORARY)) {
                return true;
            }
            List<QualifiedName> locked = referenced(ddl);
            if (locked == null) {
                return true; // a table named where the guard does not follow (LIKE, INHERITS, PARTITION OF, a SELECT)
            }
            for (LockImpact.OtherTable other : lock.otherTables()) {
                locked.add(QualifiedName.fromSql(other.table()));
            }
            if (!ddl.is(Verb.CREATE, "TABLE")) {
                locked.add(ddl.table());
                if (lock.table() != null) {
                    locked.add(QualifiedName.fromSql(lock.table()));
                }
            }
            for (QualifiedName table : locked) {
                if (table == null
                        || !RunCreatedTables.contains(
                                database, catalog.syntax(), schema, table, catalog::foldsTableNameCase)
                        || !catalog.trustedWithoutAsking(table.schema() != null ? null : schema, table)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The tables named after REFERENCES (a foreign key locks its parent on both servers; MySQL's lock model
     * does not list them), or null when the statement names another table in a way this does not follow.
     */
    private static List<QualifiedName> referenced(DdlStatement ddl) {
        String sql = ddl.text().source();
        List<Token> tokens = ddl.text().code();
        List<QualifiedName> tables = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            for (String word : NAMES_ANOTHER_TABLE) {
                if (t.isWord(sql, word)) {
                    return null;
                }
            }
            if (!t.isWord(sql, "REFERENCES")) {
                continue;
            }
            List<Identifier> parts = new ArrayList<>(2);
            int k = i + 1;
            while (k < tokens.size()) {
                Token name = tokens.get(k);
                if (name.kind() == TokenKind.WORD) {
                    parts.add(new Identifier(name.text(sql), false));
                } else if (name.kind() == TokenKind.QUOTED_IDENTIFIER) {
                    parts.add(Identifier.ofQuoted(name.text(sql)));
                } else {
                    return null;
                }
                if (k + 1 < tokens.size() && tokens.get(k + 1).kind() == TokenKind.DOT) {
                    k += 2;
                } else {
                    break;
                }
            }
            if (parts.isEmpty() || parts.size() > 2) {
                return null;
            }
            tables.add(new QualifiedName(parts));
        }
        return tables;
    }

    private static boolean knownKind(DdlStatement ddl) {
        return ddl.is(Verb.CREATE, "TABLE") && !ddl.has(Flag.AS_SELECT)
                || ddl.is(Verb.ALTER, "TABLE")
                || ddl.is(Verb.CREATE, "INDEX") && !ddl.has(Flag.CONCURRENTLY);
    }

    /** The tables a string's DDL changed or dropped, whose cached sizes are no longer to be trusted. */
    static Set<QualifiedName> changedTables(Judgement j) {
        Set<QualifiedName> tables = new LinkedHashSet<>();
        for (JudgedStatement s : j.statements()) {
            DdlStatement ddl = s.executed();
            if (ddl == null) {
                continue;
            }
            if (ddl.table() != null) {
                tables.add(ddl.table());
            }
            if (ddl.verb() == Verb.DROP || ddl.verb() == Verb.RENAME || ddl.verb() == Verb.TRUNCATE) {
                tables.addAll(ddl.names());
            }
        }
        return tables;
    }
}
