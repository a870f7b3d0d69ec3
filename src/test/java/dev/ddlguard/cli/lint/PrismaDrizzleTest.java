package dev.ddlguard.cli.lint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddlguard.policy.Action;
import dev.ddlguard.policy.Policy;
import dev.ddlguard.policy.Target;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prisma and Drizzle folders: the tool's order and the tool's transactions (see {@link PrismaDrizzle} for the sources). */
class PrismaDrizzleTest {

    @TempDir
    Path dir;

    private void write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    private List<String> lint(String folder) {
        LintResult result =
                Linter.lint(List.of(dir.resolve(folder)), new LintOptions(Target.POSTGRESQL, Policy.defaults()));
        assertThat(result.errors()).isEmpty();
        return result.findings().stream()
                .map(f -> dir.resolve(folder).relativize(Path.of(f.file())) + ":" + f.line() + " "
                        + f.decision().value()
                        + f.rules().stream()
                                .filter(v -> v.action() != Action.ALLOW)
                                .map(v -> " " + v.ruleId())
                                .collect(Collectors.joining())
                        + (f.inTransaction() ? " [tx]" : ""))
                .toList();
    }

    @Test
    void prismaRunsSeveralStatementsAsOneTransactionAndOneAlone() throws IOException {
        write(
                "prisma/migrations/20240102000000_index/migration.sql",
                "-- CreateIndex\nCREATE INDEX \"orders_c_idx\" ON \"orders\"(\"c\");\n");
        write("prisma/migrations/20240101000000_init/migration.sql", """
                -- CreateTable
                CREATE TABLE "orders" ("id" SERIAL NOT NULL, "c" INTEGER, CONSTRAINT "orders_pkey" PRIMARY KEY ("id"));

                -- CreateIndex
                CREATE INDEX "orders_id_c_idx" ON "orders"("id", "c");
                """);
        write("prisma/migrations/20240103000000_two_indexes/migration.sql", """
                CREATE INDEX CONCURRENTLY "orders_a_idx" ON "orders"("c");
                CREATE INDEX CONCURRENTLY "orders_b_idx" ON "orders"("id");
                """);
        write("prisma/migrations/migration_lock.toml", "provider = \"postgresql\"\n");
        assertThat(lint("prisma/migrations"))
                .containsExactly(
                        // one string of two statements: one implicit transaction, so the table is new to the index
                        "20240101000000_init/migration.sql:2 allowed [tx]",
                        "20240101000000_init/migration.sql:5 allowed [tx]",
                        // alone: no transaction, so the guard's CONCURRENTLY rewrite can run
                        "20240102000000_index/migration.sql:2 rewritten require-concurrent-index",
                        // the 25001 of prisma/orm#14456: CONCURRENTLY in a string of several statements
                        "20240103000000_two_indexes/migration.sql:1 blocked concurrently-in-transaction [tx]",
                        "20240103000000_two_indexes/migration.sql:2 blocked concurrently-in-transaction [tx]");
    }

    @Test
    void drizzleFollowsItsJournalAndItsBreakpoints() throws IOException {
        write("drizzle/meta/_journal.json", """
                {"version":"7","dialect":"postgresql","entries":[
                  {"idx":0,"version":"7","when":1700000000000,"tag":"0000_zebra_init","breakpoints":true},
                  {"idx":1,"version":"7","when":1700000001000,"tag":"0001_alpha_index","breakpoints":true}
                ]}
                """);
        // the breakpoint alone ends the first statement: it has no semicolon
        write("drizzle/0000_zebra_init.sql", """
                CREATE TABLE "orders" ("id" serial PRIMARY KEY, "c" integer)
                --> statement-breakpoint
                CREATE INDEX "orders_c_idx" ON "orders" ("c");
                """);
        write("drizzle/0001_alpha_index.sql", "CREATE INDEX \"orders_id_idx\" ON \"orders\" (\"id\");\n");
        write("drizzle/meta/0000_snapshot.json", "{}");
        assertThat(lint("drizzle"))
                .containsExactly(
                        "0000_zebra_init.sql:1 allowed [tx]",
                        "0000_zebra_init.sql:3 allowed [tx]",
                        // a later file, a later deploy: the table exists, and Drizzle's transaction forbids
                        // CONCURRENTLY
                        "0001_alpha_index.sql:1 blocked require-concurrent-index [tx]");
        List<String> order = SqlFiles.collect(List.of(dir.resolve("drizzle"))).files().stream()
                .map(p -> p.getFileName().toString())
                .toList();
        assertThat(order).containsExactly("0000_zebra_init.sql", "0001_alpha_index.sql");
    }

    @Test
    void theJournalNotTheNamesDecidesDrizzlesOrder() throws IOException {
        write("drizzle/meta/_journal.json", """
                {"entries":[{"idx":0,"tag":"b_create","when":1},{"idx":1,"tag":"a_index","when":2}]}
                """);
        write("drizzle/b_create.sql", "CREATE TABLE orders (id int);\n");
        write("drizzle/a_index.sql", "CREATE INDEX orders_id_idx ON orders (id);\n");
        List<String> order = SqlFiles.collect(List.of(dir.resolve("drizzle"))).files().stream()
                .map(p -> p.getFileName().toString())
                .toList();
        assertThat(order).containsExactly("b_create.sql", "a_index.sql");
    }
}
