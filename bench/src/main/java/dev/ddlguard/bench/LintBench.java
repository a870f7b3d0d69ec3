package dev.ddlguard.bench;

import dev.ddlguard.cli.lint.LintOptions;
import dev.ddlguard.cli.lint.Linter;
import dev.ddlguard.policy.Policy;
import dev.ddlguard.policy.Target;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Linting the whole corpus in process, warm: the lint figure with JVM start excluded. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class LintBench {

    private List<Path> paths;
    private LintOptions options;

    @Setup
    public void setUp() {
        paths = List.of(Corpus.pgMigrations());
        options = new LintOptions(Target.POSTGRESQL, Policy.defaults());
    }

    @Benchmark
    public Object lintCorpus() {
        return Linter.lint(paths, options);
    }
}
