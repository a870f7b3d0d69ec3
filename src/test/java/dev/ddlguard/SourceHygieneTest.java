package dev.ddlguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What issue 18 asked of the code, kept from coming back: classes a newcomer can read in one sitting, and types
 * imported rather than spelled out inline. The JDBC pass-through classes are not in src/main: they are generated at
 * build time (src/build/java, {@code ForwardingGenerator}).
 */
class SourceHygieneTest {

    private static final Path MAIN = Path.of("src/main/java");
    private static final int MAX_LINES = 400;

    /** {@code java.util.Locale.ROOT}, {@code dev.ddlguard.sql.QualifiedName.of(…)}: a package path, then a type. */
    private static final Pattern QUALIFIED =
            Pattern.compile("\\b(java|javax|dev\\.ddlguard)(\\.[a-z][a-z0-9]*)+\\.[A-Z]");

    @Test
    void noHandWrittenClassIsOverFourHundredLines() throws IOException {
        List<String> tooLong = new ArrayList<>();
        for (Path file : sources()) {
            int lines = Files.readAllLines(file).size();
            if (lines > MAX_LINES) {
                tooLong.add(MAIN.relativize(file) + ": " + lines + " lines");
            }
        }
        assertThat(tooLong).as("split these by concern").isEmpty();
    }

    @Test
    void typesAreImportedNotQualifiedInline() throws IOException {
        List<String> inline = new ArrayList<>();
        for (Path file : sources()) {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                String code = code(lines.get(i));
                if (!code.startsWith("import ")
                        && !code.startsWith("package ")
                        && QUALIFIED.matcher(code).find()) {
                    inline.add(MAIN.relativize(file) + ":" + (i + 1) + ": " + code);
                }
            }
        }
        assertThat(inline).as("import these types").isEmpty();
    }

    /** The line without string literals and comments (a javadoc or block comment line is no code at all). */
    private static String code(String line) {
        String stripped = line.strip();
        if (stripped.startsWith("*") || stripped.startsWith("/*") || stripped.startsWith("//")) {
            return "";
        }
        String noStrings = stripped.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"");
        int comment = noStrings.indexOf("//");
        return comment < 0 ? noStrings : noStrings.substring(0, comment);
    }

    private static List<Path> sources() throws IOException {
        try (Stream<Path> walk = Files.walk(MAIN)) {
            List<Path> files =
                    walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
            assertThat(files)
                    .as("the main sources, read from the module's directory")
                    .isNotEmpty();
            return files;
        }
    }
}
