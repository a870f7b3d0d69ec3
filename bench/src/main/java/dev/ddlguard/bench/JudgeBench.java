package dev.ddlguard.bench;

import dev.ddlguard.dialect.postgres.PostgresDialect;
import dev.ddlguard.engine.Judgement;
import dev.ddlguard.engine.StatementJudge;
import dev.ddlguard.policy.Policy;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Judging one DDL statement with no database: pre-filter, split, classify, rules, policy. Each
 * invocation judges the next of 20 real statements from the corpus; SampleTime gives the median.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class JudgeBench {

    private StatementJudge judge;
    private StatementJudge.Context context;
    private String[] statements;
    private int next;

    @Setup
    public void setUp() {
        judge = new StatementJudge(Policy.defaults(), new PostgresDialect(), new PostgresDialect());
        context = StatementJudge.Context.offline(true);
        List<String> ddl = Corpus.ddlStatements(20);
        statements = ddl.toArray(new String[0]);
    }

    @Benchmark
    public Judgement judgeOneDdl() {
        String sql = statements[next];
        next = next == statements.length - 1 ? 0 : next + 1;
        return judge.judge(sql, context);
    }
}
