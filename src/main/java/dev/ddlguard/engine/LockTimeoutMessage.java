package dev.ddlguard.engine;

import dev.ddlguard.LockTimeoutException;
import dev.ddlguard.rules.Catalog;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Writes the message of a statement that gave up waiting for its lock: how long, how often, and who held it. */
final class LockTimeoutMessage {

    private LockTimeoutMessage() {}

    static LockTimeoutException exception(
            Judgement j,
            SQLException database,
            int attempts,
            String notRetried,
            Optional<Duration> timeout,
            Catalog catalog) {
        JudgedStatement first = j.statements().get(0);
        StringBuilder m =
                new StringBuilder("ddlguard: ").append(first.summary()).append(" gave up waiting for its lock");
        if (first.lock() != null && first.lock().mode() != null) {
            m.append(" (")
                    .append(first.lock().mode())
                    .append(
                            first.lock().table() == null
                                    ? ""
                                    : " on " + first.lock().table())
                    .append(')');
        }
        timeout.ifPresent(t -> m.append(" after ").append(t.toMillis()).append(" ms"));
        m.append(attempts == 1 ? ", once" : ", " + attempts + " times");
        if (notRetried != null) {
            m.append(notRetried);
        }
        List<Catalog.Session> holders =
                first.executed() == null || first.executed().table() == null
                        ? List.of()
                        : catalog.lockHolders(first.executed().table());
        if (!holders.isEmpty()) {
            m.append(". Held by: ")
                    .append(holders.stream().map(Catalog.Session::describe).collect(Collectors.joining("; ")));
        }
        m.append(". Database said: ").append(j.secrets().scrub(database.getMessage()));
        return new LockTimeoutException(m.toString(), database, attempts);
    }
}
