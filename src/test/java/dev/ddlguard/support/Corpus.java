package dev.ddlguard.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The shared corpus of real migration SQL, read in place and never copied into the project: where
 * DDLGUARD_TEST_CORPUS points, else beside the checkout ({@code ../shared/corpus}), else this machine's
 * workspace (a clean clone made elsewhere for CI has no sibling folder; issue 18 asks to drop that last one).
 */
public final class Corpus {

    private Corpus() {
    }

    /** The corpus folder, if one of the places holds it. */
    public static Optional<Path> root() {
        return Stream.of(System.getenv("DDLGUARD_TEST_CORPUS"), "../shared/corpus", "/work/shared/corpus")
                .filter(p -> p != null && Files.isDirectory(Path.of(p)))
                .map(Path::of)
                .findFirst();
    }

    /** The corpus folder, or where it would be beside the checkout (for a skip message naming it). */
    public static Path rootOrDefault() {
        return root().orElse(Path.of("..", "shared", "corpus"));
    }
}
