package dev.ddlguard.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.ddlguard.support.Corpus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Runs the splitter and the pre-filter over real PostgreSQL scripts from the shared corpus. */
class CorpusTest {

    static List<Path> sqlFiles(String folder) throws IOException {
        Path dir = Corpus.require().resolve(folder);
        assertThat(dir).as("corpus folder").isDirectory();
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".sql")).sorted().toList();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pg-migrations", "pg-regress"})
    void everyDdlStatementIsFlaggedOnItsOwn(String folder) throws IOException {
        List<Path> files = sqlFiles(folder);
        assertThat(files).isNotEmpty();
        int ddl = 0;
        for (Path file : files) {
            String sql = Files.readString(file, StandardCharsets.UTF_8);
            assertThatCode(() -> StatementSplitter.split(sql, SqlSyntax.POSTGRESQL))
                    .as("%s", file)
                    .doesNotThrowAnyException();
            List<StatementText> statements = StatementSplitter.split(sql, SqlSyntax.POSTGRESQL);
            StatementSplitterTest.assertSpansCoverAllCode(sql, SqlSyntax.POSTGRESQL);
            for (StatementText statement : statements) {
                if (startsWithCreateAlterOrDrop(statement)) {
                    ddl++;
                    assertThat(DdlPreFilter.mightContainDdl(statement.text(), SqlSyntax.POSTGRESQL))
                            .as("%s line %d: %s", file, statement.line(), statement.text())
                            .isTrue();
                }
            }
            if (statements.stream().anyMatch(CorpusTest::startsWithCreateAlterOrDrop)) {
                assertThat(DdlPreFilter.mightContainDdl(sql, SqlSyntax.POSTGRESQL))
                        .as("%s", file)
                        .isTrue();
            }
        }
        assertThat(ddl).isPositive();
    }

    private static boolean startsWithCreateAlterOrDrop(StatementText statement) {
        String sql = statement.source();
        return statement.tokens().stream()
                .filter(t -> !t.isComment())
                .findFirst()
                .map(t -> t.isWord(sql, "CREATE") || t.isWord(sql, "ALTER") || t.isWord(sql, "DROP"))
                .orElse(false);
    }
}
