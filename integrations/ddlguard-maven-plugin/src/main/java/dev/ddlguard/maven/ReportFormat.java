package dev.ddlguard.maven;

import dev.ddlguard.cli.lint.JsonReport;
import dev.ddlguard.cli.lint.LintResult;
import dev.ddlguard.cli.lint.SarifReport;
import dev.ddlguard.cli.lint.TextReport;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The {@code format} parameter: the report file written beside the build, by the command line's own writers. */
enum ReportFormat {
    TEXT("txt"), JSON("json"), SARIF("sarif");

    private final String extension;

    ReportFormat(String extension) {
        this.extension = extension;
    }

    static ReportFormat parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("format must be text, json or sarif, not '" + value + "'");
        }
    }

    /** Writes {@code lint.<ext>} into {@code directory} (created if needed) and returns the file. */
    Path write(LintResult result, Path directory) throws IOException {
        Files.createDirectories(directory);
        Path file = directory.resolve("lint." + extension);
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            switch (this) {
                case TEXT -> TextReport.write(result, out);
                case JSON -> JsonReport.write(result, out);
                case SARIF -> SarifReport.write(result, out);
            }
        }
        return file;
    }
}
