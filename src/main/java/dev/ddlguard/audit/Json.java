package dev.ddlguard.audit;

import java.util.List;

/**
 * A minimal JSON object writer for the audit record: fields in the order written, strings escaped
 * per RFC 8259. Small enough not to justify a JSON library on other people's classpaths.
 */
public final class Json {

    private final StringBuilder out;
    private boolean first = true;

    public Json(StringBuilder out) {
        this.out = out;
        out.append('{');
    }

    public Json field(String name, String value) {
        name(name);
        string(out, value);
        return this;
    }

    public Json field(String name, Long value) {
        name(name);
        out.append(value == null ? "null" : value.toString());
        return this;
    }

    public Json strings(String name, List<String> values) {
        name(name);
        out.append('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            string(out, values.get(i));
        }
        out.append(']');
        return this;
    }

    /** Starts a nested value: the caller appends it to {@link #out()}. */
    public StringBuilder raw(String name) {
        name(name);
        return out;
    }

    public void end() {
        out.append('}');
    }

    private void name(String name) {
        if (!first) {
            out.append(',');
        }
        first = false;
        string(out, name);
        out.append(':');
    }

    public static void string(StringBuilder out, String value) {
        if (value == null) {
            out.append("null");
            return;
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
