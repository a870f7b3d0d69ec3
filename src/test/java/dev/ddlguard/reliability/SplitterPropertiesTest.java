package dev.ddlguard.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddlguard.sql.DdlClassifier;
import dev.ddlguard.sql.DdlPreFilter;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.StatementSplitter;
import dev.ddlguard.sql.StatementText;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Issue 8, property-based: splitting then joining keeps the text; a DDL statement wrapped in random
 * comments and whitespace is still found by the pre-filter and the classifier; generated DML is never
 * taken for DDL. Strings and quoted identifiers in the generated SQL hold semicolons, comment markers
 * and DDL words, which must not disturb any of this.
 */
class SplitterPropertiesTest {

    private static final int TRIES = 300;

    @Property(tries = TRIES)
    void splitThenJoinKeepsTheText(
            @ForAll("statementLists") @Size(min = 1, max = 6) List<String> statements,
            @ForAll("separators") String separator,
            @ForAll("syntaxes") SqlSyntax syntax) {
        String script = String.join(separator, statements);
        List<StatementText> split = StatementSplitter.split(script, syntax);
        assertThat(split).extracting(StatementText::text).containsExactlyElementsOf(statements);
        // the statements are in order, within the text, and all that lies between them is separator
        int at = 0;
        for (StatementText s : split) {
            assertThat(s.start()).isGreaterThanOrEqualTo(at);
            assertThat(script.substring(at, s.start())).matches("[\\s;]*");
            assertThat(s.text()).isEqualTo(script.substring(s.start(), s.end()));
            at = s.end();
        }
        assertThat(script.substring(at)).matches("[\\s;]*");
    }

    @Property(tries = TRIES)
    void ddlSurroundedByCommentsIsStillFound(
            @ForAll("ddl") String ddl,
            @ForAll("noise") String before,
            @ForAll("noise") String after,
            @ForAll("dml") String dml,
            @ForAll("syntaxes") SqlSyntax syntax) {
        String script = dml + ";" + before + ddl + after;
        assertThat(DdlPreFilter.mightContainDdl(script, syntax)).as(script).isTrue();
        List<StatementText> split = StatementSplitter.split(script, syntax);
        long found = split.stream()
                .filter(s -> DdlClassifier.classify(s, syntax) != null)
                .count();
        assertThat(found).as(script).isEqualTo(1);
    }

    @Property(tries = TRIES)
    void generatedDmlIsNeverTakenForDdl(
            @ForAll("statementLists") List<String> dml, @ForAll("syntaxes") SqlSyntax syntax) {
        String script = String.join("; ", dml);
        for (StatementText s : StatementSplitter.split(script, syntax)) {
            assertThat(DdlClassifier.classify(s, syntax)).as(s.text()).isNull();
        }
    }

    @Provide
    Arbitrary<SqlSyntax> syntaxes() {
        return Arbitraries.of(SqlSyntax.values());
    }

    @Provide
    Arbitrary<List<String>> statementLists() {
        return dml().list().ofMinSize(1).ofMaxSize(6);
    }

    @Provide
    Arbitrary<String> separators() {
        return Arbitraries.of(";", "; ", ";\n", " ;\t", ";;", ";\r\n\n", "\n;\n");
    }

    /** Text that looks dangerous but is data: quotes are doubled, so it is valid in every syntax. */
    static Arbitrary<String> literal() {
        return Arbitraries.of(
                        "DROP TABLE t",
                        ";",
                        "; DROP TABLE t; --",
                        "/*",
                        "*/",
                        "--",
                        "x",
                        "",
                        "CREATE INDEX i ON t(a)",
                        "$$",
                        "#",
                        "ALTER",
                        "a;b",
                        "'")
                .list()
                .ofMinSize(1)
                .ofMaxSize(3)
                .map(parts -> String.join(" ", parts).replace("'", "''"));
    }

    @Provide
    Arbitrary<String> dml() {
        Arbitrary<String> lit = literal();
        Arbitrary<String> table = Arbitraries.of("t", "orders", "\"drop\"", "created_at", "dropped", "s.t");
        return Arbitraries.oneOf(
                Combinators.combine(table, lit).as((t, l) -> "SELECT '" + l + "' FROM " + t),
                Combinators.combine(table, lit).as((t, l) -> "INSERT INTO " + t + " VALUES (1, '" + l + "')"),
                Combinators.combine(table, lit).as((t, l) -> "UPDATE " + t + " SET note = '" + l + "' WHERE id = 1"),
                Combinators.combine(table, lit).as((t, l) -> "DELETE FROM " + t + " WHERE note = '" + l + "'"),
                Combinators.combine(table, lit).as((t, l) -> "(SELECT id FROM " + t + " WHERE note <> '" + l + "')"),
                Combinators.combine(table, lit)
                        .as((t, l) -> "WITH x AS (SELECT '" + l + "' AS c) SELECT c FROM x, " + t),
                lit.map(l -> "SELECT 1 AS \"" + l.replace("\"", "\"\"") + "\""));
    }

    @Provide
    Arbitrary<String> ddl() {
        Arbitrary<String> table = Arbitraries.of("t", "orders", "\"select\"", "s.t");
        return Arbitraries.oneOf(
                table.map(t -> "DROP TABLE " + t),
                table.map(t -> "drop table if exists " + t),
                table.map(t -> "CREATE TABLE " + t + " (id INT, note VARCHAR(10) DEFAULT ';')"),
                table.map(t -> "ALTER TABLE " + t + " ADD COLUMN c INT"),
                table.map(t -> "TRUNCATE TABLE " + t),
                table.map(t -> "CREATE INDEX i ON " + t + " (id)"),
                table.map(t -> "CREATE TABLE n AS SELECT * FROM " + t));
    }

    /** Comments and whitespace valid in every syntax (no '#', no nesting). */
    @Provide
    Arbitrary<String> noise() {
        return Arbitraries.of(
                        " ",
                        "\t",
                        "\n",
                        "\r\n",
                        "\f",
                        "/* c */",
                        "/* ; DROP TABLE x */",
                        "-- ; x\n",
                        "/**/",
                        "-- 'open quote\n",
                        "/* \"open ident */",
                        "/* -- */")
                .list()
                .ofMaxSize(5)
                .map(parts -> String.join("", parts));
    }
}
