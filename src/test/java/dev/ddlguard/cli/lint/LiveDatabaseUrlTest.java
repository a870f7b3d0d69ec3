package dev.ddlguard.cli.lint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddlguard.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** A preflight's URL is only ever shown with its password masked, whatever form the password takes. */
class LiveDatabaseUrlTest {

    @Test
    void passwordsInTheQueryOrTheUserInfoAreMasked() {
        assertThat(LiveDatabase.redact("jdbc:postgresql://db:5432/app?user=ci&password=s3cret&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/app?user=ci&password=***&ssl=true");
        assertThat(LiveDatabase.redact("jdbc:mariadb://db/app?Password=s3cret"))
                .isEqualTo("jdbc:mariadb://db/app?Password=***");
        assertThat(LiveDatabase.redact("jdbc:mysql://ci:s3cret@db:3306/app"))
                .isEqualTo("jdbc:mysql://ci:***@db:3306/app");
        assertThat(LiveDatabase.redact("jdbc:postgresql://db/app?user=ci"))
                .isEqualTo("jdbc:postgresql://db/app?user=ci");
        assertThat(LiveDatabase.scrub(
                        "failed for s3cret-x at jdbc:mysql://ci:s3cret-x@db/app",
                        "jdbc:mysql://ci:s3cret-x@db/app",
                        null))
                .doesNotContain("s3cret-x");
    }

    @Test
    void anUnreachableDatabaseIsExitTwoWithTheUrlMasked() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(
                new PrintWriter(out),
                new PrintWriter(err),
                "lint",
                "--url",
                "jdbc:postgresql://127.0.0.1:1/nowhere?user=ci&password=s3cret-y&connectTimeout=2",
                "src/test/resources");
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString())
                .contains("cannot connect to jdbc:postgresql://127.0.0.1:1/nowhere?user=ci&password=***")
                .doesNotContain("s3cret-y");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void targetVersionDoesNotGoWithUrl() {
        StringWriter err = new StringWriter();
        int exit = Main.run(
                new PrintWriter(new StringWriter()),
                new PrintWriter(err),
                "lint",
                "--target-version",
                "12",
                "--url",
                "jdbc:postgresql://127.0.0.1:1/x",
                "src/test/resources");
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--target-version does not go with --url");
    }
}
