package dev.ddlguard.policy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * A Flyway version ({@code 42}, {@code 1.2.3}, {@code 2024.01.15.1}), compared as Flyway does: part by
 * part, numerically, a missing part counting as 0 ({@code 1.0} equals {@code 1}). Flyway stores a
 * script's {@code V1_2__x.sql} version as {@code 1.2}; both separators are accepted here.
 */
public record MigrationVersion(List<BigInteger> parts, String text) implements Comparable<MigrationVersion> {

    public MigrationVersion {
        parts = List.copyOf(parts);
    }

    /** Parses a version, or throws {@link InvalidSettingException} when it is not one. */
    public static MigrationVersion parse(String raw) {
        String text = raw.strip();
        List<BigInteger> parts = new ArrayList<>();
        for (String part : text.split("[._]", -1)) {
            if (part.isEmpty() || part.length() > 40 || !part.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                throw new InvalidSettingException("not a Flyway version (digits separated by dots: 42, 1.2.3)");
            }
            parts.add(new BigInteger(part));
        }
        return new MigrationVersion(parts, text);
    }

    /** The version, or null when the text is none (a repeatable migration has no version). */
    public static MigrationVersion parseOrNull(String raw) {
        try {
            return raw == null ? null : parse(raw);
        } catch (InvalidSettingException e) {
            return null;
        }
    }

    @Override
    public int compareTo(MigrationVersion other) {
        for (int i = 0; i < Math.max(parts.size(), other.parts.size()); i++) {
            BigInteger a = i < parts.size() ? parts.get(i) : BigInteger.ZERO;
            BigInteger b = i < other.parts.size() ? other.parts.get(i) : BigInteger.ZERO;
            int c = a.compareTo(b);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    @Override
    public String toString() {
        return text;
    }
}
