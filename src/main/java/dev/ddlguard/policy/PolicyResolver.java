package dev.ddlguard.policy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * Resolves a {@link Policy} from its layers, highest first: driver {@code Properties} and URL
 * parameters, system properties {@code ddlguard.*}, environment {@code DDLGUARD_*}, the file named
 * by {@code ddlguard.config} or else {@code ddlguard.properties} at the classpath root, defaults.
 *
 * <p>Every key is checked: one that no version knows, or a value out of range, is an
 * {@link InvalidSettingException}. No setting names a class; the only file read is the policy file, bounded
 * and never echoed ({@link SettingsFile}).
 */
public final class PolicyResolver {

    /** Environment variables with this prefix belong to the test suite (README: "Test databases"), not to settings. */
    private static final String TEST_ENV_PREFIX = "DDLGUARD_TEST_";

    private static final String CLASSPATH_FILE = "ddlguard.properties";

    private PolicyResolver() {}

    /** Resolves against this JVM's system properties, environment and classpath. */
    public static Policy resolve(Map<String, String> explicit, Set<String> knownRuleIds) {
        return resolve(
                explicit,
                System.getProperties(),
                System.getenv(),
                Thread.currentThread().getContextClassLoader(),
                knownRuleIds);
    }

    /**
     * Resolves from one policy file alone, or the defaults when {@code file} is null: for build tools
     * (the Maven plugin), whose JVM's system properties ({@code -Dddlguard.lint.skip}) and environment
     * belong to the build and must not change the verdicts nor be rejected as unknown settings.
     */
    public static Policy resolveFile(Path file, Set<String> knownRuleIds) {
        return fromMap(file == null ? Map.of() : SettingsFile.read(file, knownRuleIds), knownRuleIds);
    }

    static Policy resolve(
            Map<String, String> explicit,
            Properties systemProperties,
            Map<String, String> environment,
            ClassLoader classLoader,
            Set<String> knownRuleIds) {
        Map<String, String> system = new LinkedHashMap<>();
        for (String name : systemProperties.stringPropertyNames()) {
            if (Setting.ownKey(name) != null) {
                Setting.putOwn(system, name, systemProperties.getProperty(name), "the system properties");
            }
        }
        explicit = ownKeys(explicit);
        Map<String, String> env = fromEnvironment(environment, knownRuleIds);

        String configPath = firstNonNull(
                explicit.get(Setting.CONFIG.key()), system.get(Setting.CONFIG.key()), env.get(Setting.CONFIG.key()));
        Map<String, String> file = configPath != null
                ? SettingsFile.read(Path.of(configPath), knownRuleIds)
                : readClasspath(classLoader, knownRuleIds);

        Map<String, String> merged = new HashMap<>(file);
        merged.putAll(env);
        merged.putAll(system);
        merged.putAll(explicit);
        return fromMap(merged, knownRuleIds);
    }

    /** The explicit settings with our keys in their own spelling; anything else stays, to be reported as unknown. */
    private static Map<String, String> ownKeys(Map<String, String> explicit) {
        Map<String, String> result = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : explicit.entrySet()) {
            if (Setting.ownKey(entry.getKey()) == null) {
                result.put(entry.getKey(), entry.getValue());
            } else {
                Setting.putOwn(result, entry.getKey(), entry.getValue(), "the settings given");
            }
        }
        return result;
    }

    /** Builds a policy from already merged {@code ddlguard.*} keys, validating each. */
    static Policy fromMap(Map<String, String> settings, Set<String> knownRuleIds) {
        Map<String, Action> ruleActions = new HashMap<>();
        Map<Setting, Object> values = new HashMap<>();
        for (Map.Entry<String, String> entry : settings.entrySet()) {
            String key = entry.getKey();
            if (key.startsWith(Setting.RULE_PREFIX)) {
                String ruleId = key.substring(Setting.RULE_PREFIX.length());
                if (!knownRuleIds.contains(ruleId)) {
                    throw new InvalidSettingException(
                            "unknown rule '" + ruleId + "' in " + key + " (rule ids are listed in RULES.md)");
                }
                ruleActions.put(ruleId, Setting.parseAction(key, entry.getValue()));
                continue;
            }
            Setting setting = Setting.byKey(key)
                    .orElseThrow(() -> new InvalidSettingException(
                            "unknown setting '" + key + "'; known settings: " + knownKeys()));
            values.put(setting, setting.parse(entry.getValue()));
        }
        return new Policy(
                (Mode) value(values, Setting.MODE),
                (Target) value(values, Setting.TARGET),
                ruleActions,
                duration(values, Setting.LOCK_TIMEOUT),
                (Integer) value(values, Setting.LOCK_TIMEOUT_RETRIES),
                duration(values, Setting.LOCK_TIMEOUT_CONCURRENT),
                (Long) value(values, Setting.SMALL_TABLE),
                (Long) value(values, Setting.THROUGHPUT),
                duration(values, Setting.STATEMENT_TIMEOUT),
                baseline(values));
    }

    @SuppressWarnings("unchecked")
    private static Optional<MigrationVersion> baseline(Map<Setting, Object> values) {
        return (Optional<MigrationVersion>) value(values, Setting.BASELINE);
    }

    private static Object value(Map<Setting, Object> values, Setting setting) {
        return values.computeIfAbsent(setting, s -> s.parse(s.defaultValue()));
    }

    @SuppressWarnings("unchecked")
    private static Optional<Duration> duration(Map<Setting, Object> values, Setting setting) {
        return (Optional<Duration>) value(values, setting);
    }

    /** {@code DDLGUARD_LOCK_TIMEOUT_RETRIES} names {@code ddlguard.lock-timeout.retries}: dots and dashes become underscores. */
    private static Map<String, String> fromEnvironment(Map<String, String> environment, Set<String> knownRuleIds) {
        Map<String, String> byEnvName = new HashMap<>();
        for (Setting setting : Setting.values()) {
            byEnvName.put(envName(setting.key()), setting.key());
        }
        for (String ruleId : knownRuleIds) {
            byEnvName.put(envName(Setting.RULE_PREFIX + ruleId), Setting.RULE_PREFIX + ruleId);
        }
        Map<String, String> result = new HashMap<>();
        for (Map.Entry<String, String> entry : environment.entrySet()) {
            String name = entry.getKey();
            if (!name.startsWith("DDLGUARD_") || name.startsWith(TEST_ENV_PREFIX)) {
                continue;
            }
            String key = byEnvName.get(name);
            if (key == null) {
                throw new InvalidSettingException(
                        "unknown setting in environment variable " + name + "; known settings: " + knownKeys());
            }
            result.put(key, entry.getValue());
        }
        return result;
    }

    static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static Map<String, String> readClasspath(ClassLoader classLoader, Set<String> knownRuleIds) {
        ClassLoader loader = classLoader != null ? classLoader : PolicyResolver.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(CLASSPATH_FILE)) {
            if (in == null) {
                return Map.of();
            }
            return SettingsFile.read(in, "classpath:" + CLASSPATH_FILE, knownRuleIds);
        } catch (IOException e) {
            throw new InvalidSettingException("cannot read classpath:" + CLASSPATH_FILE + ": " + e.getMessage());
        }
    }

    private static String knownKeys() {
        StringBuilder keys = new StringBuilder();
        for (Setting setting : Setting.values()) {
            keys.append(setting.key()).append(", ");
        }
        return keys.append(Setting.RULE_PREFIX).append("<rule-id>").toString();
    }

    @SafeVarargs
    private static <T> T firstNonNull(T... values) {
        for (T value : values) {
            if (value != null) {
                return value;
            }
        }
        return null;
    }
}
