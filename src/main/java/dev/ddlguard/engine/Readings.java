package dev.ddlguard.engine;

import dev.ddlguard.sql.CompoundStatements;
import dev.ddlguard.sql.DdlClassifier;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.Lexing;
import dev.ddlguard.sql.StatementSplitter;
import dev.ddlguard.sql.StatementText;
import dev.ddlguard.sql.Token;
import java.util.ArrayList;
import java.util.List;

/**
 * The readings of a text the server may read in more than one way (a backslash that may or may not escape,
 * a versioned comment it may skip, ...): the DDL each reading finds, whether they agree, and what they
 * differ in. {@link StatementJudge} judges under each only when they disagree.
 */
final class Readings {

    private Readings() {}

    /** One statement as one reading of the text sees it: its DDL, or the classifier's failure on it. */
    record Reading(StatementText text, DdlStatement ddl, Throwable failure) {}

    /** The statements of one reading that are DDL (or that the classifier failed on). */
    static List<Reading> read(String sql, Lexing lexing) {
        List<Reading> ddl = new ArrayList<>();
        for (StatementText piece : StatementSplitter.splitUnder(sql, lexing)) {
            StatementText text = piece;
            try {
                DdlStatement statement = DdlClassifier.classify(piece, lexing.syntax());
                if (statement == null) {
                    text = CompoundStatements.inner(piece, lexing.syntax());
                    statement = text == piece ? null : DdlClassifier.classify(text, lexing.syntax());
                }
                if (statement != null) {
                    ddl.add(new Reading(text, statement, null));
                }
            } catch (RuntimeException | StackOverflowError e) {
                ddl.add(new Reading(text, null, e));
            }
        }
        return ddl;
    }

    /** Whether every reading finds the same DDL statements, made of the same code tokens, as the first. */
    static boolean agree(List<List<Reading>> all) {
        for (List<Reading> other : all) {
            if (!sameDdl(all.get(0), other)) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameDdl(List<Reading> a, List<Reading> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!sameCode(a.get(i).text(), b.get(i).text())) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameCode(StatementText a, StatementText b) {
        if (a.start() != b.start() || a.end() != b.end()) {
            return false;
        }
        List<Token> ta = a.code();
        List<Token> tb = b.code();
        return ta.equals(tb);
    }

    /** The settings the readings differ in, e.g. "backslash escapes on/off". */
    static String describe(List<Lexing> lexings) {
        Lexing first = lexings.get(0);
        List<String> parts = new ArrayList<>();
        for (Lexing l : lexings) {
            if (l.backslashEscapes() != first.backslashEscapes() && !parts.contains("backslash escapes")) {
                parts.add("backslash escapes");
            }
            if (l.ansiQuotes() != first.ansiQuotes() && !parts.contains("ANSI_QUOTES")) {
                parts.add("ANSI_QUOTES");
            }
            if (l.multibyteSwallow() != first.multibyteSwallow() && !parts.contains("multibyte character set")) {
                parts.add("multibyte character set");
            }
            if (l.versionedRun() != first.versionedRun() && !parts.contains("versioned comments run or not")) {
                parts.add("versioned comments run or not");
            }
            if (l.bracketNames() != first.bracketNames() && !parts.contains("[bracket] names")) {
                parts.add("[bracket] names");
            }
        }
        return String.join(", ", parts);
    }
}
