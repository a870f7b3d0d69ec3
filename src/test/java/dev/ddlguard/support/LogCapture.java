package dev.ddlguard.support;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * Captures every log event while open: the audit records of {@code ddlguard.audit} as parsed JSON,
 * and all other lines as formatted text, so tests can assert on what a user would read.
 */
public final class LogCapture implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();
    private final AppenderBase<ILoggingEvent> appender;
    private final Logger root;
    private volatile Consumer<ILoggingEvent> listener = e -> {};

    private LogCapture() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                events.add(event);
                listener.accept(event);
            }
        };
        appender.setContext(context);
        appender.setName("capture-" + System.identityHashCode(this));
        appender.start();
        root.addAppender(appender);
    }

    public static LogCapture start() {
        return new LogCapture();
    }

    /** Called for every event as it happens (on the logging thread), e.g. to release a latch. */
    public void onEvent(Consumer<ILoggingEvent> listener) {
        this.listener = listener;
    }

    /** The audit records, parsed, in the order written. */
    public List<JsonNode> audit() {
        List<JsonNode> records = new ArrayList<>();
        for (ILoggingEvent e : events) {
            if (e.getLoggerName().equals("ddlguard.audit")) {
                try {
                    records.add(JSON.readTree(e.getFormattedMessage()));
                } catch (Exception bad) {
                    throw new AssertionError("audit record is not JSON: " + e.getFormattedMessage(), bad);
                }
            }
        }
        return records;
    }

    /** The single audit record written, failing when there is not exactly one. */
    public JsonNode onlyAudit() {
        List<JsonNode> records = audit();
        if (records.size() != 1) {
            throw new AssertionError("expected exactly one audit record, got " + records.size() + ": " + records);
        }
        return records.get(0);
    }

    /** WARN lines of the guard's own logger. */
    public List<String> warnings() {
        return events.stream()
                .filter(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN)
                .map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    /** Every line logged by anything, with exceptions, for searching (secrets must appear nowhere). */
    public String everything() {
        StringBuilder all = new StringBuilder();
        for (ILoggingEvent e : events) {
            all.append(e.getLoggerName())
                    .append(' ')
                    .append(e.getFormattedMessage())
                    .append('\n');
            if (e.getThrowableProxy() != null) {
                all.append(e.getThrowableProxy().getMessage()).append('\n');
            }
        }
        return all.toString();
    }

    public void clear() {
        events.clear();
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
    }
}
