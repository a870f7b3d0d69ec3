package dev.ddlguard.cli.lint;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Expands the paths given on the command line into the files to lint ({@code .sql} files and Liquibase changelogs,
 * {@link ChangelogFiles}): a folder in the order its migration tool runs it ({@link MigrationOrder}), named files as given.
 */
final class SqlFiles {

    /** The files found, and the paths that could not be read. */
    record Collected(List<Path> files, List<InputError> errors) {}

    private SqlFiles() {}

    static Collected collect(List<Path> paths) {
        Set<Path> seen = new LinkedHashSet<>();
        List<Path> files = new ArrayList<>();
        List<InputError> errors = new ArrayList<>();
        for (Path given : paths) {
            if (Files.isDirectory(given)) {
                List<Path> found = new ArrayList<>();
                int errorsBefore = errors.size();
                walk(given, found, errors);
                if (found.isEmpty() && errors.size() == errorsBefore) {
                    // A wrong folder (a typo, the project root of another layout) must not pass as "0 statements".
                    errors.add(
                            new InputError(
                                    given.toString(),
                                    "no .sql file or Liquibase changelog found under this folder (hidden folders are skipped)"));
                }
                found.sort(MigrationOrder.of(PrismaDrizzle.journalOrder(found)));
                addNew(found, seen, files);
            } else if (!Files.exists(given)) {
                errors.add(new InputError(given.toString(), "no such file or directory"));
            } else if (!isSql(given) && !ChangelogFiles.isChangelog(given)) {
                // Explicitly named: the user meant it, so saying nothing would hide a typo; Flyway's .conf companions
                // are expected.
                if (!isConf(given)) {
                    errors.add(new InputError(
                            given.toString(),
                            ChangelogFiles.hasChangelogExtension(given)
                                    ? "not a Liquibase changelog (no databaseChangeLog at its root)"
                                    : "not a .sql file or a Liquibase changelog"));
                }
            } else {
                addNew(List.of(given), seen, files);
            }
        }
        return new Collected(files, errors);
    }

    static boolean isSql(Path file) {
        return file.getFileName() != null
                && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".sql");
    }

    private static boolean isConf(Path file) {
        return file.getFileName() != null && file.getFileName().toString().endsWith(".conf");
    }

    private static void addNew(List<Path> found, Set<Path> seen, List<Path> files) {
        for (Path file : found) {
            if (seen.add(file.toAbsolutePath().normalize())) {
                files.add(file);
            }
        }
    }

    private static void walk(Path root, List<Path> found, List<InputError> errors) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path folder, BasicFileAttributes attrs) {
                    // .git, .idea and the like hold no migrations; a hidden folder named on the command line is still
                    // read
                    boolean hidden = !folder.equals(root)
                            && folder.getFileName().toString().startsWith(".");
                    return hidden ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    // a symbolic link to a script counts (links to folders are not followed, so no cycles)
                    boolean regular = attrs.isRegularFile() || (attrs.isSymbolicLink() && Files.isRegularFile(file));
                    if (regular && (isSql(file) || ChangelogFiles.isChangelog(file))) {
                        found.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    errors.add(new InputError(file.toString(), describe(e)));
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            errors.add(new InputError(root.toString(), describe(e)));
        }
    }

    static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e.getClass() == IOException.class && e.getMessage() != null) {
            return e.getMessage();
        }
        return e.getMessage() == null
                ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** Digit runs compare by value, so V2__ sorts before V10__ as Flyway applies them. */
    static final Comparator<Path> NATURAL = (a, b) -> compareNatural(a.toString(), b.toString());

    static int compareNatural(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char x = a.charAt(i);
            char y = b.charAt(j);
            if (Character.isDigit(x) && Character.isDigit(y)) {
                int ei = digitsEnd(a, i);
                int ej = digitsEnd(b, j);
                // leading zeros do not count: V01 and V1 are the same version to Flyway
                int si = skipZeros(a, i, ei);
                int sj = skipZeros(b, j, ej);
                int c = ei - si != ej - sj
                        ? Integer.compare(ei - si, ej - sj)
                        : a.substring(si, ei).compareTo(b.substring(sj, ej));
                if (c != 0) {
                    return c;
                }
                i = ei;
                j = ej;
            } else {
                if (x != y) {
                    return Character.compare(x, y);
                }
                i++;
                j++;
            }
        }
        int c = Integer.compare(a.length() - i, b.length() - j);
        return c != 0 ? c : a.compareTo(b);
    }

    private static int skipZeros(String s, int from, int end) {
        int k = from;
        while (k < end - 1 && s.charAt(k) == '0') {
            k++;
        }
        return k;
    }

    private static int digitsEnd(String s, int from) {
        int k = from;
        while (k < s.length() && Character.isDigit(s.charAt(k))) {
            k++;
        }
        return k;
    }
}
