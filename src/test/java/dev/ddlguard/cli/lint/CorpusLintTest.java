package dev.ddlguard.cli.lint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddlguard.dialect.postgres.PostgresDialect;
import dev.ddlguard.policy.Policy;
import dev.ddlguard.policy.Target;
import dev.ddlguard.rules.UnanalyzableRule;
import dev.ddlguard.sql.DdlClassifier;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.StatementSplitter;
import dev.ddlguard.sql.StatementText;
import dev.ddlguard.support.Corpus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Lint over real-world migrations and PostgreSQL's own regression scripts (psql meta-commands
 * included): it never fails, judges every DDL statement, and says how much it cannot read.
 */
class CorpusLintTest {

    /** Measured at 1.9% (pg-migrations: DO blocks and function bodies) and 0.2% (pg-regress); a jump means a classifier regression. */
    private static final double UNANALYZABLE_CEILING = 0.05;

    @ParameterizedTest
    @ValueSource(strings = {"pg-migrations", "pg-regress"})
    void lintsTheCorpus(String folder) throws IOException {
        Path dir = Corpus.require().resolve(folder);
        assertThat(dir).as("corpus folder").isDirectory();
        LintOptions options = new LintOptions(Target.POSTGRESQL, Policy.defaults());

        long start = System.nanoTime();
        LintResult result = Linter.lint(List.of(dir), options);
        long firstMs = (System.nanoTime() - start) / 1_000_000;
        start = System.nanoTime();
        Linter.lint(List.of(dir), options);
        long againMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(result.errors()).isEmpty();
        assertThat(result.files()).isPositive();
        long unanalyzable = result.findings().stream()
                .filter(f -> f.rules().stream().anyMatch(v -> v.ruleId().equals(UnanalyzableRule.ID)))
                .count();
        double share = (double) unanalyzable / result.findings().size();
        System.out.printf(
                "lint corpus %s: %d files, %d statements, %d DDL judged, %d unanalyzable (%.1f%%), "
                        + "%d blocked; %d ms in-process (%d ms warm)%n",
                folder,
                result.files(),
                result.statements(),
                result.findings().size(),
                unanalyzable,
                100 * share,
                result.count(dev.ddlguard.engine.Decision.BLOCKED),
                firstMs,
                againMs);

        // Every statement is judged or ignored as non-DDL: the findings per file are exactly the DDL statements in it.
        Map<String, Long> judged =
                result.findings().stream().collect(Collectors.groupingBy(LintFinding::file, Collectors.counting()));
        int statements = 0;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(SqlFiles::isSql).toList()) {
                List<StatementText> parts = StatementSplitter.split(
                        PsqlScript.neutralize(Files.readString(file, StandardCharsets.UTF_8)), SqlSyntax.POSTGRESQL);
                statements += parts.size();
                long ddl = parts.stream().map(ddlOf()).filter(d -> d).count();
                assertThat(judged.getOrDefault(file.toString(), 0L))
                        .as("%s", file)
                        .isEqualTo(ddl);
            }
        }
        assertThat(result.statements()).isEqualTo(statements);
        assertThat(result.findings()).allSatisfy(f -> {
            assertThat(f.line()).isPositive();
            assertThat(f.decision()).isNotNull();
        });
        assertThat(share).as("share of DDL judged unanalyzable in %s", folder).isLessThan(UNANALYZABLE_CEILING);
    }

    private static Function<StatementText, Boolean> ddlOf() {
        SqlSyntax syntax = new PostgresDialect().syntax();
        return part -> DdlClassifier.classify(part, syntax) != null;
    }
}
