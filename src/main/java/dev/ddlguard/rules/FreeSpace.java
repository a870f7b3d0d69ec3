package dev.ddlguard.rules;

/**
 * The free disk space the server reports for its data, or why it reports none. Never a guess: a server
 * without a way to say it (PostgreSQL has no SQL for it) gives null bytes and says where to look instead.
 *
 * @param bytes   free bytes on the volume that holds the data directory, or null when the server cannot say
 * @param where   the data directory (or the volume) the figure is for, when the server tells it; else null
 * @param unknown why there is no figure (and what to check by hand), or null when there is one
 */
public record FreeSpace(Long bytes, String where, String unknown) {

    /** What a catalog that cannot ask says. */
    public static final FreeSpace UNKNOWN = new FreeSpace(null, null, "the server was not asked");

    public static FreeSpace unknown(String where, String why) {
        return new FreeSpace(null, where, why);
    }
}
