package dev.ddlguard.bench;

import dev.ddlguard.dialect.postgres.PostgresDialect;
import dev.ddlguard.engine.Decision;
import dev.ddlguard.engine.Judgement;
import dev.ddlguard.engine.StatementJudge;
import dev.ddlguard.policy.Policy;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Issue 13: judging must be linear in the statement. The whole judge (split, classify, rules, lock
 * model, policy, redaction), offline, on one PostgreSQL statement of 1 KB, 100 KB and 10 MB of each
 * shape that was once super-linear or could be: long identifiers, long lists, deep and many parentheses,
 * many comments, many quoted strings. Linear means the time per character stays flat across sizes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class JudgeScaleBench {

    /** The shapes of LargeStatementsTest (src/test/java/dev/ddlguard/engine); keep the two in step. */
    public enum Shape {
        /** ADD COLUMN … DEFAULT with one long identifier (the quadratic CALL pattern: 57 s for 40,000 characters). */
        LONG_IDENTIFIER(Decision.ALLOWED),
        /** DROP TABLE with many names (the locked-table list copied per name: 4 s for 10,000 names). */
        NAME_LIST(Decision.BLOCKED),
        /** ALTER TABLE with many actions (each action's tokens were once found by scanning every token). */
        ACTION_LIST(Decision.ALLOWED),
        /** A DEFAULT nested in parentheses, half of them opening. */
        DEEP_PARENTHESES(Decision.ALLOWED),
        /** A DEFAULT summing many parenthesised groups. */
        MANY_PARENTHESES(Decision.ALLOWED),
        /** CREATE TABLE with a comment between every column. */
        COMMENTS(Decision.ALLOWED),
        /** A DEFAULT concatenating many literals with doubled quotes (a 3,000-character one overflowed the stack). */
        STRINGS(Decision.ALLOWED);

        final Decision expected;

        Shape(Decision expected) {
            this.expected = expected;
        }

        /** A statement of about {@code length} characters. */
        String sql(int length) {
            StringBuilder sb = new StringBuilder(length + 64);
            switch (this) {
                case LONG_IDENTIFIER -> {
                    sb.append("ALTER TABLE t ADD COLUMN c int DEFAULT ");
                    sb.append("x".repeat(Math.max(1, length - sb.length())));
                }
                case NAME_LIST -> {
                    sb.append("DROP TABLE t0");
                    for (int i = 1; sb.length() < length; i++) {
                        sb.append(", t").append(i);
                    }
                }
                case ACTION_LIST -> {
                    sb.append("ALTER TABLE t ALTER COLUMN c0 SET STATISTICS 100");
                    for (int i = 1; sb.length() < length; i++) {
                        sb.append(", ALTER COLUMN c").append(i).append(" SET STATISTICS 100");
                    }
                }
                case MANY_PARENTHESES -> {
                    sb.append("ALTER TABLE t ADD COLUMN c int DEFAULT (1)");
                    while (sb.length() < length) {
                        sb.append(" + (1)");
                    }
                }
                case DEEP_PARENTHESES -> {
                    sb.append("ALTER TABLE t ADD COLUMN c int DEFAULT ");
                    int depth = Math.max(1, (length - sb.length()) / 2);
                    sb.append("(".repeat(depth)).append('1').append(")".repeat(depth));
                }
                case COMMENTS -> {
                    sb.append("CREATE TABLE t (c0 int");
                    for (int i = 1; sb.length() < length; i++) {
                        sb.append(" /* column ").append(i).append(" */, c").append(i).append(" int");
                    }
                    sb.append(')');
                }
                case STRINGS -> {
                    sb.append("ALTER TABLE t ADD COLUMN c text DEFAULT 'a''b'");
                    while (sb.length() < length) {
                        sb.append(" || 'it''s a ''quote'''");
                    }
                }
                default -> throw new IllegalStateException();
            }
            return sb.toString();
        }
    }

    @Param
    public Shape shape;

    @Param({"1000", "100000", "10000000"})
    public int length;

    private StatementJudge judge;
    private StatementJudge.Context context;
    private String sql;

    @Setup
    public void setUp() {
        judge = new StatementJudge(Policy.defaults(), new PostgresDialect(), new PostgresDialect());
        context = StatementJudge.Context.offline(true);
        sql = shape.sql(length);
        Decision decision = judge.judge(sql, context).statements().get(0).decision();
        if (decision != shape.expected) {
            throw new IllegalStateException(shape + " judged " + decision + ", expected " + shape.expected);
        }
    }

    @Benchmark
    public Judgement judge() {
        return judge.judge(sql, context);
    }
}
