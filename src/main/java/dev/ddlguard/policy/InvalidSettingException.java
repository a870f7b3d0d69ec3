package dev.ddlguard.policy;

/**
 * A {@code ddlguard.*} setting that no version knows, or a value out of range. Raised while
 * settings are resolved; the driver turns it into an {@link java.sql.SQLException} at connect time.
 */
public final class InvalidSettingException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidSettingException(String message) {
        super(message);
    }
}
