package dev.ddlguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * liquibase-core is an optional dependency: ddlguard's own classes with picocli and slf4j alone (as a class path that
 * left it out has them) lint a changelog to a clear error and exit 2, and still judge the .sql files beside it,
 * Liquibase formatted SQL among them.
 */
class LintWithoutLiquibaseTest {

    @TempDir
    Path dir;

    @Test
    void aChangelogWithoutLiquibaseIsExitTwoWithAMessage() throws Exception {
        Files.writeString(dir.resolve("master.xml"), """
                <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
                    <changeSet id="1" author="a"><dropTable tableName="orders"/></changeSet>
                </databaseChangeLog>
                """);
        Files.writeString(dir.resolve("cleanup.sql"), "DROP TABLE legacy;\n");
        // formatted SQL is read by lint itself, Liquibase or not
        Files.writeString(
                dir.resolve("formatted.sql"), "--liquibase formatted sql\n--changeset bob:7\nDROP TABLE old_orders;\n");
        URL[] classPath = {location(Main.class), location(CommandLine.class), location(LoggerFactory.class)};
        try (URLClassLoader withoutLiquibase = new URLClassLoader(classPath, ClassLoader.getPlatformClassLoader())) {
            assertThat(withoutLiquibase.getResource("liquibase/Scope.class"))
                    .as("the loader really lacks Liquibase")
                    .isNull();
            Class<?> main = Class.forName(Main.class.getName(), true, withoutLiquibase);
            Method run = main.getMethod("run", PrintWriter.class, PrintWriter.class, String[].class);
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int exit = (int) run.invoke(
                    null, new PrintWriter(out, true), new PrintWriter(err, true), new String[] {"lint", dir.toString()
                    });
            assertThat(exit).isEqualTo(2);
            assertThat(out.toString())
                    .contains(dir.resolve("master.xml")
                            + ": error: a Liquibase changelog: lint turns its changes into SQL"
                            + " with Liquibase's own generator, and liquibase-core (4.x) is not on the class path")
                    .contains(dir.resolve("cleanup.sql") + ":1: block drop-table: ")
                    .contains(dir.resolve("formatted.sql") + ":3: block drop-table: ")
                    .contains("  changeset: 7::bob\n");
        }
    }

    private static URL location(Class<?> c) {
        return c.getProtectionDomain().getCodeSource().getLocation();
    }
}
