package dev.ddlguard.bench;

import dev.ddlguard.sql.DdlPreFilter;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.StatementSplitter;
import dev.ddlguard.sql.StatementText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** The shared PostgreSQL migration corpus, read in place at setup time (never copied into bench/). */
final class Corpus {

    private Corpus() {
    }

    /** bench.corpus, else ../shared/corpus/pg-migrations seen from the repository root or from bench/. */
    static Path pgMigrations() {
        String configured = System.getProperty("bench.corpus");
        List<Path> candidates = configured != null
                ? List.of(Path.of(configured))
                : List.of(Path.of("../shared/corpus/pg-migrations"), Path.of("../../shared/corpus/pg-migrations"));
        for (Path p : candidates) {
            if (Files.isDirectory(p)) {
                return p.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("corpus not found; set -Dbench.corpus=... (tried " + candidates + ")");
    }

    /**
     * {@code count} DDL statements spread evenly over the corpus (files in name order), so the mix
     * covers every project in it rather than the first file's CREATE TABLEs.
     */
    static List<String> ddlStatements(int count) {
        List<String> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(pgMigrations())) {
            for (Path f : files.filter(p -> p.toString().endsWith(".sql")).sorted().toList()) {
                for (StatementText st : StatementSplitter.split(Files.readString(f), SqlSyntax.POSTGRESQL)) {
                    String sql = st.text().strip();
                    String head = sql.length() > 12 ? sql.substring(0, 12).toUpperCase(Locale.ROOT) : sql.toUpperCase(Locale.ROOT);
                    if ((head.startsWith("CREATE") || head.startsWith("ALTER") || head.startsWith("DROP"))
                            && DdlPreFilter.mightContainDdl(sql, SqlSyntax.POSTGRESQL)) {
                        all.add(sql);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (all.size() < count) {
            throw new IllegalStateException("only " + all.size() + " DDL statements in the corpus");
        }
        List<String> picked = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            picked.add(all.get((int) ((long) i * all.size() / count)));
        }
        return List.copyOf(picked);
    }
}
