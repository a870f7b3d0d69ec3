package dev.ddlguard.dialect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ddlguard.policy.Target;
import dev.ddlguard.rules.BlockingLockRule;
import dev.ddlguard.rules.Catalog;
import dev.ddlguard.rules.Rule;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.support.H2;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one registry every caller gets its dialect from, and the catalog each dialect answers with. */
class DialectsTest {

    @Test
    void aConnectionIsJudgedAsWhatItReportsAtItsVersion() {
        assertThat(Dialects.connected("PostgreSQL", "15.4").name()).isEqualTo("postgresql");
        Dialect mysql = Dialects.connected("MySQL", "8.0.36");
        assertThat(mysql.name()).isEqualTo("mysql");
        assertThat(mysql.defaultServerVersion()).isEqualTo(80036);
        Dialect mariadb = Dialects.connected("MariaDB", "10.11.6-MariaDB");
        assertThat(mariadb.name()).isEqualTo("mariadb");
        assertThat(mariadb.defaultServerVersion()).isEqualTo(101106);
        assertThat(Dialects.connected("MySQL", "5.5.5-10.6.16-MariaDB").name())
                .as("MariaDB through a MySQL driver")
                .isEqualTo("mariadb");
        assertThat(Dialects.connected("H2", "2.2.224 (2023-09-17)").name()).isEqualTo("h2");
    }

    @Test
    void withoutAConnectionATargetIsItsDialectAtItsDefaultVersionAndAutoIsPostgres() {
        assertThat(Dialects.offline(Target.AUTO).name()).isEqualTo("postgresql");
        assertThat(Dialects.offline(Target.POSTGRESQL).defaultServerVersion()).isEqualTo(150000);
        assertThat(Dialects.offline(Target.MYSQL).defaultServerVersion())
                .as("MySQL 8.4 LTS")
                .isEqualTo(80400);
        assertThat(Dialects.offline(Target.MARIADB).defaultServerVersion())
                .as("MariaDB 10.11 LTS")
                .isEqualTo(101100);
        assertThat(Dialects.offline(Target.MARIADB, 100600).defaultServerVersion())
                .isEqualTo(100600);
        assertThat(Dialects.named("H2", 0).name()).isEqualTo("h2");
        assertThatThrownBy(() -> Dialects.named("oracle", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no dialect named 'oracle' (known: postgresql, mysql, mariadb, h2)");
    }

    @Test
    void theTargetSettingKeepsTheConnectedDialectWhenItIsThatDatabase() {
        Dialect mysql = Dialects.connected("MySQL", "8.0.36");
        assertThat(Dialects.target(Target.AUTO, mysql)).isSameAs(mysql);
        assertThat(Dialects.target(Target.MYSQL, mysql))
                .as("the server's version, not the default")
                .isSameAs(mysql);
        assertThat(Dialects.target(Target.MARIADB, mysql).name()).isEqualTo("mariadb");
        assertThat(Dialects.target(Target.POSTGRESQL, mysql).name()).isEqualTo("postgresql");
    }

    @Test
    void everyRuleOfEveryTargetIsListed() {
        List<String> ids = Dialects.allRules().stream().map(Rule::id).toList();
        assertThat(Dialects.ruleIds()).isEqualTo(java.util.Set.copyOf(ids)).contains(BlockingLockRule.RULE.id());
        for (Target target : Target.values()) {
            assertThat(Dialects.offline(target).rules())
                    .as(target.value())
                    .isNotEmpty()
                    .allSatisfy(r -> assertThat(ids).contains(r.id()));
        }
    }

    @Test
    void eachDialectAnswersThroughItsOwnCatalogAndAFailedQuestionIsUnanswered() throws SQLException {
        try (H2 db = new H2()) {
            db.setup("CREATE TABLE orders(id INT)", "INSERT INTO orders VALUES (1), (2), (3)");
            Connection c = db.raw();
            Catalog catalog = Dialects.named("h2", 0).catalog(c);

            assertThat(catalog.tableSize(QualifiedName.of("orders")).rows()).isEqualTo(3);
            assertThat(catalog.tableSize(QualifiedName.of("missing"))).isEqualTo(Catalog.TableSize.UNKNOWN);
            assertThat(catalog.columnType(
                            QualifiedName.of("orders"), QualifiedName.of("id").name()))
                    .as("a question H2's catalog does not know")
                    .isNull();

            c.close();
            assertThatThrownBy(() -> catalog.tableSize(QualifiedName.of("orders")))
                    .isInstanceOf(CatalogQuery.Unanswered.class)
                    .hasCauseInstanceOf(SQLException.class);
        }
    }
}
