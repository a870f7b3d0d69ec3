package dev.ddlguard.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The shared corpus of real migration SQL, read in place and never copied into the project: where
 * DDLGUARD_TEST_CORPUS points, else beside the checkout ({@code ../shared/corpus}, relative to the project
 * folder Maven runs the tests in). No machine path is assumed. A missing corpus skips the tests that read
 * it, except under CI=true, where it fails them (as {@link TestDatabases} does for the servers): CI must
 * never pass by skipping.
 */
public final class Corpus {

    private static final Path BESIDE_THE_CHECKOUT = Path.of("..", "shared", "corpus");

    private Corpus() {}

    /** The corpus folder; empty when neither place holds it (under CI=true that fails the calling test). */
    public static Optional<Path> root() {
        Optional<Path> root = Stream.of(System.getenv("DDLGUARD_TEST_CORPUS"), BESIDE_THE_CHECKOUT.toString())
                .filter(p -> p != null && !p.isBlank() && Files.isDirectory(Path.of(p)))
                .map(Path::of)
                .findFirst();
        if (root.isEmpty() && "true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(missing() + " (CI=true: corpus tests must run)");
        }
        return root;
    }

    /** The corpus folder; when it is missing the calling test is skipped (failed under CI=true). */
    public static Path require() {
        Optional<Path> root = root();
        Assumptions.assumeTrue(root.isPresent(), Corpus::missing);
        return root.orElseThrow();
    }

    private static String missing() {
        return "corpus not found: set DDLGUARD_TEST_CORPUS or place it at "
                + BESIDE_THE_CHECKOUT.toAbsolutePath().normalize();
    }
}
