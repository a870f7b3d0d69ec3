package dev.ddlguard;

import java.sql.SQLException;
import java.util.List;

/**
 * Thrown instead of running a statement the policy blocks; nothing of it reached the database.
 * SQLState {@value #SQL_STATE} is outside the classes that make pools evict a connection
 * (08 connection exception, 0A000, 57P0x), so the connection stays usable.
 */
public final class BlockedStatementException extends SQLException {
    private static final long serialVersionUID = 1L;

    public static final String SQL_STATE = "XDG01";

    private final List<String> ruleIds;

    public BlockedStatementException(String message, List<String> ruleIds) {
        super(message, SQL_STATE);
        this.ruleIds = List.copyOf(ruleIds);
    }

    /** The ids of the rules that blocked the statement. */
    public List<String> ruleIds() {
        return ruleIds;
    }
}
