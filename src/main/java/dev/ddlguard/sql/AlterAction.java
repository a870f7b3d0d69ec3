package dev.ddlguard.sql;

/**
 * One action of an {@code ALTER TABLE} statement (they are comma-separated); its span in the
 * original text lets a rewrite splice around it.
 *
 * @param column        the column acted on (for ATTACH/DETACH PARTITION: the partition), when there is one
 * @param newName       the new name for renames
 * @param definition    the column definition for ADD COLUMN / MODIFY / CHANGE, and the new type of ALTER … TYPE
 * @param constraintDef for ADD CONSTRAINT (and ADD INDEX): what is added
 * @param start         offset of the action's first token in the source
 * @param end           offset just after its last token
 */
public record AlterAction(
        Kind kind,
        Identifier column,
        Identifier newName,
        ColumnDefinition definition,
        Constraint constraintDef,
        boolean ifExists,
        int start,
        int end) {

    /** For ADD CONSTRAINT: the constraint's kind (FOREIGN KEY, CHECK, UNIQUE, PRIMARY KEY, INDEX, EXCLUDE); else null. */
    public String constraint() {
        return constraintDef == null ? null : constraintDef.kind();
    }

    /** A rename of the table to {@code newName} (MySQL's RENAME TABLE a TO b, one action a pair). */
    static AlterAction renameTable(Identifier newName, int start, int end) {
        return new AlterAction(Kind.RENAME_TABLE, null, newName, null, null, false, start, end);
    }

    /** This action ending at {@code end}: a reader knows where an action ends only once it has read past it. */
    AlterAction endingAt(int end) {
        return new AlterAction(kind, column, newName, definition, constraintDef, ifExists, start, end);
    }

    /** The action's text as written. */
    public String text(String source) {
        return source.substring(start, end);
    }

    /** The actions the rules distinguish; everything else is {@link #OTHER}. */
    public enum Kind {
        ADD_COLUMN,
        DROP_COLUMN,
        RENAME_COLUMN,
        RENAME_TABLE,
        ALTER_COLUMN_TYPE,
        SET_NOT_NULL,
        DROP_NOT_NULL,
        SET_DEFAULT,
        DROP_DEFAULT,
        ADD_CONSTRAINT,
        DROP_CONSTRAINT,
        VALIDATE_CONSTRAINT,
        ADD_INDEX,
        DROP_INDEX,
        SET_TABLESPACE,
        SET_LOGGED,
        ATTACH_PARTITION,
        DETACH_PARTITION,
        OPTION,
        OTHER
    }
}
