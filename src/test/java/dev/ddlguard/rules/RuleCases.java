package dev.ddlguard.rules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Every rule's case table: the {@code .cases} files of the test resources, each in the package of the rule
 * file it is named after ({@code dev/ddlguard/dialect/postgres/IndexRules.cases} holds the rows of
 * {@code IndexRules.java}). One row a line, {@code #} starts a comment line:
 * <pre>
 * # target [version] | given | SQL | rule-id action | rewrite
 * postgresql | | CREATE INDEX i ON orders (a) | require-concurrent-index rewrite | CREATE INDEX CONCURRENTLY i ON orders (a)
 * postgresql | new orders | CREATE INDEX i ON orders (a) | require-concurrent-index none
 * </pre>
 * The action is what the rule does under the default policy (allow, warn, rewrite, block), or {@code none} for
 * a near miss: a harmless statement the rule must leave alone. {@code given} is explained in {@link CaseCatalog}.
 */
public final class RuleCases {

    private RuleCases() {}

    /** Every row of every case table, in file then line order. */
    public static List<RuleCase> all() {
        List<RuleCase> cases = new ArrayList<>();
        for (Path file : files()) {
            String name = file.getFileName().toString();
            try {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i).strip();
                    if (!line.isEmpty() && !line.startsWith("#")) {
                        cases.add(RuleCase.parse(name + ":" + (i + 1), line));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return cases;
    }

    /** The case tables, found on the test class path. */
    public static List<Path> files() {
        try (Stream<Path> walk =
                Files.walk(Path.of(RuleCases.class.getResource("/dev/ddlguard").toURI()))) {
            return walk.filter(p -> p.toString().endsWith(".cases")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
