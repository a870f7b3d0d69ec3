package dev.ddlguard.policy;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Reads a settings file ({@code ddlguard.config}, or {@code ddlguard.properties} on the classpath) as a
 * properties file, with two promises the JDK's {@code Properties.load} does not keep by itself:
 * <ul>
 *   <li>bounded: a regular file of at most {@value #MAX_BYTES} bytes ({@code /dev/zero} never ends, and
 *       ran the JVM out of memory at connect);</li>
 *   <li>discreet: an error names the file, a line number and at most a setting name the guard knows, never
 *       the text of the file ({@code ddlguard.config=/proc/self/environ} echoed a variable's name and value).</li>
 * </ul>
 * Each logical line (with its {@code \} continuations) is still read by {@code Properties}, so escapes and
 * separators mean what they always meant.
 */
final class SettingsFile {

    /** Far more than all settings and every rule's action; far less than anything that could hurt. */
    static final int MAX_BYTES = 64 * 1024;

    private final String source;
    private final Set<String> knownRuleIds;

    private SettingsFile(String source, Set<String> knownRuleIds) {
        this.source = source;
        this.knownRuleIds = knownRuleIds;
    }

    /** The settings of the file {@code ddlguard.config} names. */
    static Map<String, String> read(Path path, Set<String> knownRuleIds) {
        String source = "ddlguard.config file " + path;
        if (!Files.exists(path)) {
            throw new InvalidSettingException("ddlguard.config names a file that does not exist: " + path);
        }
        if (!Files.isRegularFile(path)) {
            throw new InvalidSettingException(source + " is not a regular file (a directory, a device or a pipe)");
        }
        try (InputStream in = Files.newInputStream(path)) {
            return new SettingsFile(source, knownRuleIds).parse(in);
        } catch (NoSuchFileException e) {
            throw new InvalidSettingException("ddlguard.config names a file that does not exist: " + path);
        } catch (IOException e) {
            throw new InvalidSettingException(
                    "cannot read " + source + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** The settings of a file opened elsewhere (the classpath's), named {@code source} in errors. */
    static Map<String, String> read(InputStream in, String source, Set<String> knownRuleIds) {
        try {
            return new SettingsFile(source, knownRuleIds).parse(in);
        } catch (IOException e) {
            throw new InvalidSettingException(
                    "cannot read " + source + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    private Map<String, String> parse(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BYTES + 1);
        if (bytes.length > MAX_BYTES) {
            throw new InvalidSettingException(
                    source + " is larger than " + MAX_BYTES / 1024 + " KiB: not a settings file");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidSettingException(source + " is not UTF-8 text: not a settings file");
        }
        Map<String, String> settings = new HashMap<>();
        Map<String, Integer> lineOf = new HashMap<>();
        String[] lines = text.split("\r\n|\r|\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int first = i;
            StringBuilder logical = new StringBuilder(lines[i]);
            if (isBlankOrComment(lines[i])) {
                continue;
            }
            while (endsWithContinuation(logical) && i + 1 < lines.length) {
                logical.append('\n').append(lines[++i]);
            }
            Properties one = new Properties();
            one.load(new StringReader(logical.toString()));
            for (String name : one.stringPropertyNames()) {
                add(settings, lineOf, name, one.getProperty(name), first + 1);
            }
        }
        return settings;
    }

    /** Checks one setting against what the guard knows; the messages name only known keys and the line. */
    private void add(Map<String, String> settings, Map<String, Integer> lineOf, String name, String value, int line) {
        String key = Setting.ownKey(name);
        boolean known = key != null
                && (key.startsWith(Setting.RULE_PREFIX)
                        ? knownRuleIds.contains(key.substring(Setting.RULE_PREFIX.length()))
                        : Setting.byKey(key).isPresent());
        if (!known) {
            throw new InvalidSettingException(
                    "an unknown setting at line " + line + " of " + source
                            + " (every key is ddlguard. and a setting or rule id the guard knows; see the README and RULES.md)");
        }
        if (key.equals(Setting.CONFIG.key())) {
            throw new InvalidSettingException(
                    "ddlguard.config cannot be set inside " + source + " (line " + line + ")");
        }
        try {
            if (key.startsWith(Setting.RULE_PREFIX)) {
                Setting.parseAction(key, value);
            } else {
                Setting.byKey(key).orElseThrow().parse(value);
            }
        } catch (InvalidSettingException e) {
            String allowed = key.startsWith(Setting.RULE_PREFIX)
                    ? "allow | warn | rewrite | block"
                    : Setting.byKey(key).orElseThrow().allowedValues();
            throw new InvalidSettingException(
                    "invalid value for " + key + " at line " + line + " of " + source + " (allowed: " + allowed + ")");
        }
        Integer earlier = lineOf.put(key, line);
        String before = settings.put(key, value);
        if (earlier != null && !value.equals(before)) {
            throw new InvalidSettingException(key + " is set twice in " + source + ", at lines " + earlier + " and "
                    + line + " (setting names are case-insensitive)");
        }
    }

    private static boolean isBlankOrComment(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '#' || c == '!') {
                return true;
            }
            if (c != ' ' && c != '\t' && c != '\f') {
                return false;
            }
        }
        return true;
    }

    /** An odd number of trailing backslashes continues the line (java.util.Properties#load). */
    private static boolean endsWithContinuation(CharSequence line) {
        int backslashes = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }
}
