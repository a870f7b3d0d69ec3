package dev.ddlguard.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes audit records as JSON lines at INFO on the SLF4J logger {@value #LOGGER_NAME}. Route that
 * logger to a file in the application's logging configuration (see the README).
 */
public final class AuditLog {

    public static final String LOGGER_NAME = "ddlguard.audit";

    private static final Logger AUDIT = LoggerFactory.getLogger(LOGGER_NAME);
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);

    private AuditLog() {}

    /**
     * Records the event. A logging backend that throws must not fail the caller's statement, whose
     * fate is already sealed by the time it is audited: the failure is reported on the guard's own logger.
     */
    public static void record(AuditEvent event) {
        try {
            if (AUDIT.isInfoEnabled()) { // a record nobody writes is not built: JSON of every statement costs CPU
                AUDIT.info(event.toJson());
            }
        } catch (RuntimeException | LinkageError e) {
            try {
                LOG.error(
                        "ddlguard could not write an audit record ({}); the statement's outcome was {}",
                        e,
                        event.outcome());
            } catch (RuntimeException ignored) {
                // the backend is broken for every logger; nothing more can be done without failing the caller
            }
        }
    }
}
