package dev.ddlguard.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Settings layers, their precedence and the validation of every key and value. */
class PolicyResolverTest {

    static final Set<String> RULES = Set.of("drop-table", "drop-column", "unanalyzable", "require-concurrent-index");

    @TempDir
    Path dir;

    /** A class loader that sees only {@code dir}: no ddlguard.properties unless a test writes one. */
    ClassLoader classpath() {
        try {
            return new URLClassLoader(new URL[] {dir.toUri().toURL()}, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Policy resolve(Map<String, String> explicit, Map<String, String> system, Map<String, String> env) {
        Properties properties = new Properties();
        properties.putAll(system);
        properties.setProperty("user.home", "/home/someone"); // not ours: ignored
        Map<String, String> environment = new HashMap<>(env);
        environment.put("PATH", "/usr/bin"); // not ours: ignored
        return PolicyResolver.resolve(explicit, properties, environment, classpath(), RULES);
    }

    Policy resolve(Map<String, String> explicit) {
        return resolve(explicit, Map.of(), Map.of());
    }

    Path file(String name, String content) {
        try {
            return Files.writeString(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code a=1 b=2} as a map; an empty cell is an empty map. */
    static Map<String, String> map(String cell) {
        Map<String, String> map = new LinkedHashMap<>();
        if (cell != null) {
            for (String pair : cell.trim().split("\\s+")) {
                int eq = pair.indexOf('=');
                map.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return map;
    }

    // ---------------------------------------------------------------- defaults and precedence

    @Test
    void defaults() {
        Policy p = resolve(Map.of());

        assertThat(p).isEqualTo(Policy.defaults());
        assertThat(p.mode()).isEqualTo(Mode.ENFORCE);
        assertThat(p.target()).isEqualTo(Target.AUTO);
        assertThat(p.ruleActions()).isEmpty();
        assertThat(p.lockTimeout()).contains(Duration.ofSeconds(5));
        assertThat(p.lockTimeoutRetries()).isEqualTo(3);
        assertThat(p.concurrentLockTimeout()).isEmpty();
        assertThat(p.smallTableBytes()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
      # name                   | explicit | system | env   | file  | mode
      explicit wins            | audit    | off    | off   | off   | AUDIT
      system beats env         |          | audit  | off   | off   | AUDIT
      env beats file           |          |        | audit | off   | AUDIT
      file beats default       |          |        |       | audit | AUDIT
      default                  |          |        |       |       | ENFORCE
      explicit over all layers | enforce  | audit  | audit | audit | ENFORCE
      """)
    void precedenceOfMode(String name, String explicit, String system, String env, String file, Mode expected) {
        if (file != null) {
            this.file("ddlguard.properties", "ddlguard.mode=" + file + "\n");
        }
        Policy p = resolve(
                explicit == null ? Map.of() : Map.of("ddlguard.mode", explicit),
                system == null ? Map.of() : Map.of("ddlguard.mode", system),
                env == null ? Map.of() : Map.of("DDLGUARD_MODE", env));

        assertThat(p.mode()).as(name).isEqualTo(expected);
    }

    @Test
    void layersMergeKeyByKey() {
        file("ddlguard.properties", "ddlguard.mode=audit\nddlguard.lock-timeout=1s\nddlguard.rule.drop-table=warn\n");
        Policy p = resolve(
                Map.of("ddlguard.rule.drop-table", "allow"),
                Map.of("ddlguard.lock-timeout", "2s"),
                Map.of("DDLGUARD_LOCK_TIMEOUT_RETRIES", "7"));

        assertThat(p.mode()).isEqualTo(Mode.AUDIT);
        assertThat(p.lockTimeout()).contains(Duration.ofSeconds(2));
        assertThat(p.lockTimeoutRetries()).isEqualTo(7);
        assertThat(p.ruleActions()).isEqualTo(Map.of("drop-table", Action.ALLOW));
    }

    // ---------------------------------------------------------------- environment

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
      # variable                        | value  | what the policy reads
      DDLGUARD_MODE                     | audit  | mode=AUDIT
      DDLGUARD_TARGET                   | mysql  | target=MYSQL
      DDLGUARD_LOCK_TIMEOUT             | 2s     | lockTimeout=Optional[PT2S]
      DDLGUARD_LOCK_TIMEOUT_RETRIES     | 7      | lockTimeoutRetries=7
      DDLGUARD_LOCK_TIMEOUT_CONCURRENT  | 1m     | concurrentLockTimeout=Optional[PT1M]
      DDLGUARD_SMALL_TABLE              | 1MB    | smallTableBytes=1048576
      DDLGUARD_RULE_DROP_TABLE          | warn   | ruleActions={drop-table=WARN}
      DDLGUARD_RULE_REQUIRE_CONCURRENT_INDEX | block | ruleActions={require-concurrent-index=BLOCK}
      """)
    void environmentVariableNamesTheSetting(String variable, String value, String expected) {
        assertThat(resolve(Map.of(), Map.of(), Map.of(variable, value)).toString())
                .contains(expected);
    }

    @Test
    void testDatabaseVariablesAreNotSettings() {
        Policy p = resolve(
                Map.of(),
                Map.of(),
                Map.of(
                        "DDLGUARD_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres",
                        "DDLGUARD_TEST_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/test?user=root"));
        assertThat(p).isEqualTo(Policy.defaults());
    }

    @Test
    void unknownEnvironmentVariableIsAnError() {
        assertThatThrownBy(() -> resolve(Map.of(), Map.of(), Map.of("DDLGUARD_FOO", "1")))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("DDLGUARD_FOO")
                .hasMessageContaining("ddlguard.mode");
    }

    @Test
    void environmentVariableOfAnUnknownRuleIsAnError() {
        assertThatThrownBy(() -> resolve(Map.of(), Map.of(), Map.of("DDLGUARD_RULE_DROP_TABEL", "warn")))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("DDLGUARD_RULE_DROP_TABEL");
    }

    // ---------------------------------------------------------------- the case of a key

    @Test
    void keysAreReadWhateverTheirCase() {
        file("ddlguard.properties", "DDLGUARD.LOCK-TIMEOUT=1s\n");
        Policy p = resolve(
                Map.of("DDLGUARD.MODE", "audit", "DdlGuard.Rule.Drop-Table", "warn"),
                Map.of("Ddlguard.Small-Table", "1MB"),
                Map.of());

        assertThat(p.mode()).isEqualTo(Mode.AUDIT);
        assertThat(p.ruleActions()).isEqualTo(Map.of("drop-table", Action.WARN));
        assertThat(p.smallTableBytes()).isEqualTo(1L << 20);
        assertThat(p.lockTimeout()).contains(Duration.ofSeconds(1));
    }

    @Test
    void anUpperCaseKeyTakesItsLayersPlace() {
        Policy p = resolve(Map.of("DDLGUARD.MODE", "off"), Map.of("ddlguard.mode", "audit"), Map.of());
        assertThat(p.mode()).isEqualTo(Mode.OFF);
    }

    @Test
    void oneKeySpelledTwiceWithDifferentValuesIsAnError() {
        Map<String, String> both = new LinkedHashMap<>();
        both.put("ddlguard.mode", "audit");
        both.put("DDLGUARD.MODE", "enforce");
        assertThatThrownBy(() -> resolve(both))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("ddlguard.mode is set twice")
                .hasMessageContaining("'audit'")
                .hasMessageContaining("'enforce'");
        both.put("DDLGUARD.MODE", "audit");
        assertThat(resolve(both).mode())
                .as("the same value twice is no conflict")
                .isEqualTo(Mode.AUDIT);
    }

    @Test
    void anUnknownUpperCaseKeyIsNamedInItsOwnSpelling() {
        assertThatThrownBy(() -> resolve(Map.of("DDLGUARD.MOED", "audit")))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("'ddlguard.moed'");
    }

    // ---------------------------------------------------------------- unknown keys

    @Test
    void unknownKeyIsNamedWithTheKnownOnes() {
        assertThatThrownBy(() -> resolve(Map.of("ddlguard.moed", "audit")))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("'ddlguard.moed'")
                .hasMessageContaining("known settings")
                .hasMessageContaining("ddlguard.mode")
                .hasMessageContaining("ddlguard.lock-timeout.retries")
                .hasMessageContaining("ddlguard.rule.<rule-id>");
    }

    @Test
    void unknownSystemPropertyIsAnError() {
        assertThatThrownBy(() -> resolve(Map.of(), Map.of("ddlguard.lock_timeout", "3s"), Map.of()))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("ddlguard.lock_timeout");
    }

    @Test
    void unknownRuleIdIsAnError() {
        assertThatThrownBy(() -> resolve(Map.of("ddlguard.rule.drop-tabel", "warn")))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("drop-tabel")
                .hasMessageContaining("ddlguard.rule.drop-tabel");
    }

    // ---------------------------------------------------------------- values

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
      # key                              | value                 | allowed values named in the message
      ddlguard.mode                      | strict                | ~enforce | audit | off~
      ddlguard.mode                      | ~~                    | ~enforce | audit | off~
      ddlguard.target                    | oracle                | ~auto | postgresql | mysql | mariadb~
      ddlguard.lock-timeout              | 5                     | a duration (3s, 500ms, 1m) or off
      ddlguard.lock-timeout              | -1s                   | a duration (3s, 500ms, 1m) or off
      ddlguard.lock-timeout              | 0s                    | a duration (3s, 500ms, 1m) or off
      ddlguard.lock-timeout              | 25h                   | a duration (3s, 500ms, 1m) or off
      ddlguard.lock-timeout              | 1.5s                  | a duration (3s, 500ms, 1m) or off
      ddlguard.lock-timeout              | 3 days                | a duration (3s, 500ms, 1m) or off
      ddlguard.lock-timeout              | 9223372036854775807h  | a duration (3s, 500ms, 1m) or off
      ddlguard.lock-timeout              | 99999999999999999999s | a duration (3s, 500ms, 1m) or off
      ddlguard.lock-timeout.concurrent   | soon                  | a duration or off
      ddlguard.lock-timeout.retries      | 21                    | 0 to 20
      ddlguard.lock-timeout.retries      | -1                    | 0 to 20
      ddlguard.lock-timeout.retries      | x                     | 0 to 20
      ddlguard.small-table               | 10                    | a size (10MB, 512kB) or 0 = off
      ddlguard.small-table               | 10XB                  | a size (10MB, 512kB) or 0 = off
      ddlguard.small-table               | -1MB                  | a size (10MB, 512kB) or 0 = off
      ddlguard.small-table               | 99999999999TB         | a size (10MB, 512kB) or 0 = off
      ddlguard.rule.drop-table           | maybe                 | ~allow | warn | rewrite | block~
      """)
    void badValueNamesTheKeyAndTheAllowedValues(String key, String value, String allowed) {
        assertThatThrownBy(() -> resolve(Map.of(key, value)))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining(key)
                .hasMessageContaining("'" + value + "'")
                .hasMessageContaining(allowed);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
      # value   | duration
      500ms     | PT0.5S
      3s        | PT3S
      2m        | PT2M
      1h        | PT1H
      24h       | PT24H
      1ms       | PT0.001S
      3S        | PT3S
      ~ 3s ~    | PT3S
      off       |
      OFF       |
      """)
    void lockTimeoutValues(String value, Duration expected) {
        Policy p = resolve(Map.of("ddlguard.lock-timeout", value, "ddlguard.lock-timeout.concurrent", value));

        assertThat(p.lockTimeout()).isEqualTo(Optional.ofNullable(expected));
        assertThat(p.concurrentLockTimeout()).isEqualTo(Optional.ofNullable(expected));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
      # value  | bytes
      0        | 0
      100B     | 100
      512kB    | 524288
      512KB    | 524288
      10MB     | 10485760
      10mb     | 10485760
      1GB      | 1073741824
      2TB      | 2199023255552
      """)
    void smallTableSizes(String value, long bytes) {
        assertThat(resolve(Map.of("ddlguard.small-table", value)).smallTableBytes())
                .isEqualTo(bytes);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
      # settings                                                       | expected (parts of Policy.toString())
      ddlguard.lock-timeout.retries=0                                  | lockTimeoutRetries=0
      ddlguard.lock-timeout.retries=20                                 | lockTimeoutRetries=20
      ddlguard.mode=AUDIT                                              | mode=AUDIT
      ddlguard.mode=off                                                | mode=OFF
      ddlguard.target=postgresql                                       | target=POSTGRESQL
      ddlguard.target=mariadb                                          | target=MARIADB
      ddlguard.rule.drop-table=Rewrite                                 | ruleActions={drop-table=REWRITE}
      """)
    void goodValues(String settings, String expected) {
        assertThat(resolve(map(settings)).toString()).contains(expected);
    }

    // ---------------------------------------------------------------- the settings file

    @Test
    void configFileLoadsBelowEnvironmentAndSystem() {
        Path config = file("team.properties", """
        # the team's policy
        ddlguard.mode = audit
        ddlguard.lock-timeout = 1s
        ddlguard.lock-timeout.retries = 5
        ddlguard.rule.drop-table = warn
        """);
        Policy p = resolve(
                Map.of("ddlguard.config", config.toString()),
                Map.of("ddlguard.lock-timeout", "2s"),
                Map.of("DDLGUARD_LOCK_TIMEOUT_RETRIES", "6"));

        assertThat(p.mode()).isEqualTo(Mode.AUDIT);
        assertThat(p.lockTimeout()).contains(Duration.ofSeconds(2));
        assertThat(p.lockTimeoutRetries()).isEqualTo(6);
        assertThat(p.ruleActions()).isEqualTo(Map.of("drop-table", Action.WARN));
    }

    @ParameterizedTest(name = "config from {0}")
    @CsvSource({"explicit", "system", "environment"})
    void configPathFromAnyLayer(String layer) {
        String path = file("policy.properties", "ddlguard.mode=audit\n").toString();
        Policy p = switch (layer) {
            case "explicit" -> resolve(Map.of("ddlguard.config", path));
            case "system" -> resolve(Map.of(), Map.of("ddlguard.config", path), Map.of());
            default -> resolve(Map.of(), Map.of(), Map.of("DDLGUARD_CONFIG", path));
        };
        assertThat(p.mode()).isEqualTo(Mode.AUDIT);
    }

    @Test
    void explicitConfigPathWinsOverTheSystemOne() {
        String a = file("a.properties", "ddlguard.mode=audit\n").toString();
        String b = file("b.properties", "ddlguard.mode=off\n").toString();
        Policy p = resolve(Map.of("ddlguard.config", b), Map.of("ddlguard.config", a), Map.of());
        assertThat(p.mode()).isEqualTo(Mode.OFF);
    }

    @Test
    void configFileReplacesTheClasspathFile() {
        file("ddlguard.properties", "ddlguard.mode=off\nddlguard.lock-timeout=9s\n");
        String config = file("chosen.properties", "ddlguard.mode=audit\n").toString();

        Policy p = resolve(Map.of("ddlguard.config", config));

        assertThat(p.mode()).isEqualTo(Mode.AUDIT);
        assertThat(p.lockTimeout()).contains(Duration.ofSeconds(5));
    }

    @Test
    void missingConfigFileIsAClearError() {
        String missing = dir.resolve("nope.properties").toString();
        assertThatThrownBy(() -> resolve(Map.of("ddlguard.config", missing)))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("ddlguard.config")
                .hasMessageContaining(missing)
                .hasMessageContaining("does not exist");
    }

    @Test
    void directoryAsConfigFileIsAClearError() {
        assertThatThrownBy(() -> resolve(Map.of("ddlguard.config", dir.toString())))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining(dir.toString());
    }

    @Test
    void classpathFileIsRead() {
        file("ddlguard.properties", "ddlguard.mode=audit\nddlguard.small-table=10MB\n");
        Policy p = resolve(Map.of());

        assertThat(p.mode()).isEqualTo(Mode.AUDIT);
        assertThat(p.smallTableBytes()).isEqualTo(10L << 20);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
      # name                            | file content                     | message contains
      key without the prefix            | mode=audit                       | an unknown setting at line 1
      config inside the file            | ddlguard.config=/etc/other.props | ddlguard.config cannot be set
      unknown ddlguard key              | ddlguard.moed=audit              | an unknown setting at line 1
      bad value                         | ddlguard.lock-timeout=5          | invalid value for ddlguard.lock-timeout at line 1
      """)
    void badClasspathFile(String name, String content, String message) {
        file("ddlguard.properties", content + "\n");
        assertThatThrownBy(() -> resolve(Map.of()))
                .as(name)
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
      # name                            | file content                     | message contains
      key without the prefix            | mode=audit                       | an unknown setting at line 1
      config inside the file            | ddlguard.config=/etc/other.props | ddlguard.config cannot be set
      """)
    void badConfigFileNamesTheFile(String name, String content, String message) {
        Path config = file("bad.properties", content + "\n");
        assertThatThrownBy(() -> resolve(Map.of("ddlguard.config", config.toString())))
                .as(name)
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining(message)
                .hasMessageContaining(config.toString());
    }

    // ---------------------------------------------------------------- the result

    @Test
    void policyIsImmutable() {
        Map<String, Action> actions = new HashMap<>(Map.of("drop-table", Action.WARN));
        Policy p = new Policy(
                Mode.ENFORCE,
                Target.AUTO,
                actions,
                Optional.empty(),
                3,
                Optional.empty(),
                0,
                Policy.DEFAULT_THROUGHPUT,
                Optional.empty(),
                Optional.empty());
        actions.put("drop-column", Action.ALLOW);

        assertThat(p.ruleActions()).isEqualTo(Map.of("drop-table", Action.WARN));
        assertThatThrownBy(() -> p.ruleActions().put("x", Action.ALLOW))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> resolve(Map.of("ddlguard.rule.drop-table", "warn"))
                        .ruleActions()
                        .clear())
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void actionForFallsBackToTheRuleDefault() {
        Policy p = resolve(Map.of("ddlguard.rule.drop-table", "warn"));

        assertThat(p.actionFor("drop-table", Action.BLOCK)).isEqualTo(Action.WARN);
        assertThat(p.actionFor("drop-column", Action.BLOCK)).isEqualTo(Action.BLOCK);
    }

    @Test
    void everyEnvironmentNameMapsBackToItsSetting() {
        Map<String, String> names = java.util.Arrays.stream(Setting.values())
                .collect(Collectors.toMap(s -> PolicyResolver.envName(s.key()), Setting::key));
        assertThat(names)
                .containsEntry("DDLGUARD_LOCK_TIMEOUT_RETRIES", "ddlguard.lock-timeout.retries")
                .containsEntry("DDLGUARD_MODE", "ddlguard.mode")
                .hasSize(Setting.values().length);
    }

    @Test
    void resolveFileReadsOnlyTheFileNotThisJvmsSystemProperties() {
        Path config = file("build.properties", "ddlguard.rule.drop-table=warn\n");
        String key = "ddlguard.lint.skip"; // a build tool's own -D, unknown to the policy
        String before = System.getProperty(key);
        System.setProperty(key, "true");
        try {
            assertThat(PolicyResolver.resolveFile(config, RULES).ruleActions())
                    .isEqualTo(Map.of("drop-table", Action.WARN));
            assertThat(PolicyResolver.resolveFile(null, RULES).ruleActions()).isEmpty();
            assertThatThrownBy(() -> PolicyResolver.resolve(Map.of(), RULES))
                    .isInstanceOf(InvalidSettingException.class);
        } finally {
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
        }
    }
}
