package dev.ddlguard.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ddlguard.policy.InvalidSettingException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Taking {@code jdbc:ddlguard:} URLs apart: the real driver's URL, and our settings removed from it. */
class GuardedUrlTest {

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

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
      # name                        | guarded URL                                                                        | real URL                                             | settings
      postgres                      | jdbc:ddlguard:postgresql://h:5432/db                                               | jdbc:postgresql://h:5432/db                          |
      postgres with parameters      | jdbc:ddlguard:postgresql://h:5432/db?user=x&ddlguard.mode=audit&ssl=true           | jdbc:postgresql://h:5432/db?user=x&ssl=true          | ddlguard.mode=audit
      ours first                    | jdbc:ddlguard:postgresql://h/db?ddlguard.mode=audit&user=x                         | jdbc:postgresql://h/db?user=x                        | ddlguard.mode=audit
      ours last                     | jdbc:ddlguard:postgresql://h/db?user=x&ddlguard.mode=audit                         | jdbc:postgresql://h/db?user=x                        | ddlguard.mode=audit
      only ours                     | jdbc:ddlguard:postgresql://h/db?ddlguard.mode=audit&ddlguard.rule.drop-table=warn  | jdbc:postgresql://h/db                               | ddlguard.mode=audit ddlguard.rule.drop-table=warn
      encoded value                 | jdbc:ddlguard:postgresql://h/db?ddlguard.lock-timeout=3%73                         | jdbc:postgresql://h/db                               | ddlguard.lock-timeout=3s
      encoded key                   | jdbc:ddlguard:postgresql://h/db?ddlguard%2Emode=audit                              | jdbc:postgresql://h/db                               | ddlguard.mode=audit
      encoded path value            | jdbc:ddlguard:postgresql://h/db?ddlguard.config=%2Fetc%2Fddlguard.properties       | jdbc:postgresql://h/db                               | ddlguard.config=/etc/ddlguard.properties
      others stay encoded           | jdbc:ddlguard:postgresql://h/db?password=a%26b&ddlguard.mode=off                   | jdbc:postgresql://h/db?password=a%26b                | ddlguard.mode=off
      semicolons in a password      | jdbc:ddlguard:postgresql://h/db?user=x&password=se;cret;                           | jdbc:postgresql://h/db?user=x&password=se;cret;      |
      h2 in memory                  | jdbc:ddlguard:h2:mem:demo                                                          | jdbc:h2:mem:demo                                     |
      h2 with settings              | jdbc:ddlguard:h2:mem:demo;DB_CLOSE_DELAY=-1;ddlguard.target=postgresql             | jdbc:h2:mem:demo;DB_CLOSE_DELAY=-1                   | ddlguard.target=postgresql
      h2 ours in the middle         | jdbc:ddlguard:h2:mem:demo;ddlguard.mode=audit;MODE=PostgreSQL                      | jdbc:h2:mem:demo;MODE=PostgreSQL                     | ddlguard.mode=audit
      h2 only ours                  | jdbc:ddlguard:h2:mem:demo;ddlguard.mode=audit                                      | jdbc:h2:mem:demo                                     | ddlguard.mode=audit
      h2 file                       | jdbc:ddlguard:h2:file:/tmp/app;AUTO_SERVER=TRUE                                    | jdbc:h2:file:/tmp/app;AUTO_SERVER=TRUE               |
      mysql                         | jdbc:ddlguard:mysql://h:3306/app?useSSL=false&ddlguard.mode=audit                  | jdbc:mysql://h:3306/app?useSSL=false                 | ddlguard.mode=audit
      mysql several hosts           | jdbc:ddlguard:mysql://h1:3306,h2:3306/app?ddlguard.target=mysql                    | jdbc:mysql://h1:3306,h2:3306/app                     | ddlguard.target=mysql
      mariadb                       | jdbc:ddlguard:mariadb://h/app?ddlguard.target=mariadb&user=root                    | jdbc:mariadb://h/app?user=root                       | ddlguard.target=mariadb
      upper-case prefix             | JDBC:DDLGUARD:postgresql://h/db?ddlguard.mode=audit                                | jdbc:postgresql://h/db                               | ddlguard.mode=audit
      mixed-case prefix             | Jdbc:DdlGuard:h2:mem:x                                                             | jdbc:h2:mem:x                                        |
      upper-case key                | jdbc:ddlguard:postgresql://h/db?DDLGUARD.MODE=audit&user=x                         | jdbc:postgresql://h/db?user=x                        | ddlguard.mode=audit
      mixed-case rule key           | jdbc:ddlguard:mysql://h/app?DdlGuard.Rule.Drop-Table=warn                          | jdbc:mysql://h/app                                   | ddlguard.rule.drop-table=warn
      h2 upper-case key             | jdbc:ddlguard:h2:mem:x;DDLGUARD.MODE=audit;MODE=PostgreSQL                         | jdbc:h2:mem:x;MODE=PostgreSQL                        | ddlguard.mode=audit
      h2 upper-case key only        | jdbc:ddlguard:h2:mem:x;DDLGUARD.TARGET=postgresql                                  | jdbc:h2:mem:x                                        | ddlguard.target=postgresql
      upper-case encoded key        | jdbc:ddlguard:postgresql://h/db?DDLGUARD%2ELOCK-TIMEOUT=2s                         | jdbc:postgresql://h/db                               | ddlguard.lock-timeout=2s
      a key that only starts so     | jdbc:ddlguard:postgresql://h/db?ddlguardian=1                                      | jdbc:postgresql://h/db?ddlguardian=1                 |
      """)
    void parse(String name, String url, String realUrl, String settings) {
        GuardedUrl parsed = GuardedUrl.parse(url);

        assertThat(parsed.realUrl()).as(name).isEqualTo(realUrl);
        assertThat(parsed.settings()).as("settings").isEqualTo(map(settings));
    }

    @Test
    void settingWithoutAValueIsKeptEmptySoThatTheResolverRejectsIt() {
        assertThat(GuardedUrl.parse("jdbc:ddlguard:postgresql://h/db?ddlguard.mode")
                        .settings())
                .isEqualTo(Map.of("ddlguard.mode", ""));
    }

    @Test
    void aSettingGivenTwiceWithDifferentValuesIsAnErrorWhateverItsCase() {
        assertThatThrownBy(() -> GuardedUrl.parse("jdbc:ddlguard:h2:mem:x;ddlguard.mode=enforce;DDLGUARD.MODE=audit"))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessage(
                        "ddlguard.mode is set twice in the URL, to 'enforce' and to 'audit' (setting names are case-insensitive)");
        assertThatThrownBy(
                        () -> GuardedUrl.parse("jdbc:ddlguard:postgresql://h/db?ddlguard.mode=audit&ddlguard.mode=off"))
                .isInstanceOf(InvalidSettingException.class);
    }

    @Test
    void aSettingRepeatedWithTheSameValueIsFine() {
        assertThat(GuardedUrl.parse("jdbc:ddlguard:h2:mem:x;ddlguard.mode=audit;DDLGUARD.MODE=audit")
                        .settings())
                .isEqualTo(Map.of("ddlguard.mode", "audit"));
    }

    @Test
    void settingsAreImmutable() {
        Map<String, String> settings =
                GuardedUrl.parse("jdbc:ddlguard:h2:mem:x;ddlguard.mode=audit").settings();
        assertThatThrownBy(() -> settings.put("ddlguard.mode", "off"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "jdbc:ddlguard:postgresql://h/db",
                "JDBC:DDLGUARD:postgresql://h/db",
                "jdbc:DdlGuard:h2:mem:x",
                "jdbc:ddlguard:"
            })
    void accepts(String url) {
        assertThat(GuardedUrl.accepts(url)).isTrue();
    }

    @ParameterizedTest(name = "[{0}]")
    @NullAndEmptySource
    @ValueSource(
            strings = {
                "jdbc:postgresql://h:5432/db",
                "jdbc:h2:mem:ddlguard",
                "jdbc:ddlguard",
                "ddlguard:h2:mem:x",
                " jdbc:ddlguard:h2:mem:x",
                "jdbc:p6spy:postgresql://h/db"
            })
    void rejects(String url) {
        assertThat(GuardedUrl.accepts(url)).isFalse();
    }

    @Test
    void parseRefusesOtherUrls() {
        assertThatThrownBy(() -> GuardedUrl.parse("jdbc:postgresql://h/db"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbc:postgresql://h/db");
    }
}
