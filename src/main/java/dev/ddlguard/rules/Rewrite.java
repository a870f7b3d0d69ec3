package dev.ddlguard.rules;

import dev.ddlguard.sql.StatementText;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A safe equivalent built by splicing the original text at token boundaries (comments and
 * formatting survive), plus statements to run after it, such as {@code VALIDATE CONSTRAINT}.
 *
 * @param edits          replacements in the source's coordinates, non-overlapping
 * @param followUps      statements to run, in order, after the rewritten one succeeded
 * @param needsAutocommit why the rewrite cannot run inside a transaction block, or null when it can
 * @param undo           statements that take back what the rewritten statement did, run when a follow-up fails
 *                       (a NOT VALID constraint whose VALIDATE failed), so that a re-run of the migration works
 */
public record Rewrite(List<TextEdit> edits, List<String> followUps, String needsAutocommit, List<String> undo) {

    public Rewrite(List<TextEdit> edits, List<String> followUps, String needsAutocommit) {
        this(edits, followUps, needsAutocommit, List.of());
    }

    /** Replace {@code [start, end)} of the source with {@code replacement}; start == end inserts. */
    public record TextEdit(int start, int end, String replacement) {}

    public Rewrite {
        edits = List.copyOf(edits);
        followUps = List.copyOf(followUps);
        undo = List.copyOf(undo);
    }

    public static Rewrite insert(int at, String text, String needsAutocommit) {
        return new Rewrite(List.of(new TextEdit(at, at, text)), List.of(), needsAutocommit);
    }

    /** Combines two rewrites of the same statement; edits must not overlap. */
    public Rewrite and(Rewrite other) {
        List<TextEdit> all = new ArrayList<>(edits);
        all.addAll(other.edits);
        List<String> follow = new ArrayList<>(followUps);
        follow.addAll(other.followUps);
        List<String> back = new ArrayList<>(undo);
        back.addAll(other.undo);
        return new Rewrite(all, follow, needsAutocommit != null ? needsAutocommit : other.needsAutocommit, back);
    }

    /** The statement's text with the edits applied. */
    public String apply(StatementText statement) {
        List<TextEdit> sorted = new ArrayList<>(edits);
        sorted.sort(Comparator.comparingInt(TextEdit::start));
        String source = statement.source();
        StringBuilder out = new StringBuilder(statement.end() - statement.start() + 32);
        int copied = statement.start();
        for (TextEdit edit : sorted) {
            if (edit.start() < copied || edit.end() > statement.end()) {
                throw new IllegalStateException("overlapping or out-of-statement edit " + edit);
            }
            out.append(source, copied, edit.start()).append(edit.replacement());
            copied = edit.end();
        }
        return out.append(source, copied, statement.end()).toString();
    }
}
