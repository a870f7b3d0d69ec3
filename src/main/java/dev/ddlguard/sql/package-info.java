/**
 * SQL text handling that needs no parser: a lexer, a script splitter and a cheap DDL pre-filter.
 *
 * <p>Everything here works on positions in the caller's {@link java.lang.String}, never throws on
 * malformed input (an unterminated string, comment or dollar quote runs to the end of the text),
 * and depends on nothing beyond the JDK.
 */
package dev.ddlguard.sql;
