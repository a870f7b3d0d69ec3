package dev.ddlguard.cli.lint;

/**
 * A path lint could not read (missing, not permitted, not UTF-8, not a {@code .sql} file):
 * recorded rather than thrown, so one bad path does not hide the findings of the others.
 *
 * @param path    the path as the user gave it or as the folder walk reached it
 * @param message what is wrong, for a human
 */
public record InputError(String path, String message) {

    @Override
    public String toString() {
        return path + ": " + message;
    }
}
