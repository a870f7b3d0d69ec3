package dev.ddlguard.cli.lint;

/**
 * A run of a script that a migration tool executes as one unit: a whole Flyway or plain file, or
 * one Liquibase changeset.
 *
 * @param text          the SQL of the unit (lines a tool does not execute already blanked out)
 * @param firstLine     the file line {@code text} starts on, so findings report file lines
 * @param inTransaction whether the tool wraps the unit in a transaction
 * @param flywayDetects whether Flyway decides that itself from the statements (PostgreSQL: any
 *                      CONCURRENTLY, VACUUM, … makes it run the whole script outside a transaction)
 * @param oneQueryString whether the tool sends the unit as one query string (Prisma): PostgreSQL runs a string
 *                      of several statements as one implicit transaction, a single statement on its own
 * @param changeset     the Liquibase changeset the unit is ({@code id::author}), or null
 */
record Segment(
        String text,
        int firstLine,
        boolean inTransaction,
        boolean flywayDetects,
        boolean oneQueryString,
        String changeset) {

    Segment(String text, int firstLine, boolean inTransaction, boolean flywayDetects, boolean oneQueryString) {
        this(text, firstLine, inTransaction, flywayDetects, oneQueryString, null);
    }

    Segment(String text, int firstLine, boolean inTransaction, boolean flywayDetects) {
        this(text, firstLine, inTransaction, flywayDetects, false, null);
    }
}
