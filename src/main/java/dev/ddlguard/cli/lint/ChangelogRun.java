package dev.ddlguard.cli.lint;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * What a root Liquibase changelog gives lint: its changesets in Liquibase's order, every file it reached (the
 * root and the files it includes, formatted SQL ones too, which are then not linted again on their own), and
 * what could not be read or generated.
 */
record ChangelogRun(List<ChangesetUnit> units, Set<Path> files, List<InputError> errors) {

    ChangelogRun {
        units = List.copyOf(units);
        files = Set.copyOf(files);
        errors = List.copyOf(errors);
    }
}
