package dev.ddlguard.reliability;

import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.StatementSplitter;
import dev.ddlguard.sql.StatementText;
import dev.ddlguard.support.Corpus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

/**
 * SQL nobody wrote on purpose: statements of the shared corpus (real migrations and PostgreSQL's
 * regression scripts, read in place) and generated DDL, mutated — truncated, spliced, tokens
 * repeated or dropped, comments, quotes and semicolons inserted, case flipped — and random
 * fragment soup. One seed gives one sequence.
 */
final class SqlFuzzer {

    /** The shared corpus ({@link Corpus}; under CI=true a missing one fails). */
    static Optional<Path> corpus() {
        return Corpus.root();
    }

    /** Every statement of every .sql file under the corpus, split as PostgreSQL would read it. */
    static List<String> corpusStatements() {
        Optional<Path> root = corpus();
        if (root.isEmpty()) {
            return List.of();
        }
        List<String> statements = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root.get())) {
            for (Path file :
                    files.filter(p -> p.toString().endsWith(".sql")).sorted().toList()) {
                String sql = Files.readString(file, StandardCharsets.UTF_8);
                for (StatementText s : StatementSplitter.split(sql, SqlSyntax.POSTGRESQL)) {
                    String text = s.text().strip();
                    if (!text.isEmpty() && text.length() < 4_000) {
                        statements.add(text);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return statements;
    }

    private static final String[] TABLES = {
        "orders",
        "customers",
        "ORDERS",
        "\"Orders\"",
        "public.orders",
        "`orders`",
        "fz_new",
        "fz_new2",
        "no_such_table",
        "\"we;ird\"",
        "s.t",
        "\u00e9t\u00e9"
    };
    private static final String[] COLUMNS = {"id", "customer_id", "amount", "note", "fz_col", "\"Note\"", "`note`", "x"
    };
    private static final String[] TYPES = {
        "int",
        "bigint",
        "text",
        "varchar(20)",
        "varchar(500)",
        "numeric(10,2)",
        "timestamptz",
        "boolean",
        "serial",
        "uuid",
        "jsonb",
        "ENUM('a','b')",
        "int(11)",
        "DOUBLE PRECISION"
    };
    private static final String[] DEFAULTS = {
        "0",
        "'x'",
        "now()",
        "random()",
        "gen_random_uuid()",
        "NULL",
        "1 + 1",
        "CURRENT_TIMESTAMP",
        "'it''s'",
        "E'\\n'",
        "$$d$$"
    };

    private static final String[] TEMPLATES = {
        "CREATE TABLE {t} (id int PRIMARY KEY, {c} {type})",
        "CREATE TABLE IF NOT EXISTS {t} AS SELECT * FROM orders",
        "CREATE {unique}INDEX {concurrently}{ifnotexists}fz_idx ON {t} ({c})",
        "CREATE INDEX ON {t} USING gin ({c})",
        "DROP INDEX {concurrently}{ifexists}fz_idx",
        "DROP INDEX fz_idx ON {t}",
        "REINDEX {concurrently}TABLE {t}",
        "REINDEX INDEX fz_idx",
        "ALTER TABLE {t} ADD COLUMN {c} {type}{notnull}{default}",
        "ALTER TABLE {t} ADD {c} {type} FIRST",
        "ALTER TABLE {t} ALTER COLUMN {c} TYPE {type}",
        "ALTER TABLE {t} ALTER COLUMN {c} SET DATA TYPE {type} USING {c}::{type}",
        "ALTER TABLE {t} ALTER COLUMN {c} SET NOT NULL",
        "ALTER TABLE {t} ALTER COLUMN {c} DROP NOT NULL",
        "ALTER TABLE {t} ALTER COLUMN {c} SET DEFAULT {default_value}",
        "ALTER TABLE {t} MODIFY {c} {type}{notnull}",
        "ALTER TABLE {t} CHANGE {c} {c} {type}",
        "ALTER TABLE {t} ADD CONSTRAINT fz_fk FOREIGN KEY ({c}) REFERENCES {t} (id)",
        "ALTER TABLE {t} ADD FOREIGN KEY ({c}) REFERENCES customers",
        "ALTER TABLE {t} ADD CONSTRAINT fz_check CHECK ({c} > 0){notvalid}",
        "ALTER TABLE {t} ADD CHECK ({c} IS NOT NULL)",
        "ALTER TABLE {t} ADD CONSTRAINT fz_uq UNIQUE ({c})",
        "ALTER TABLE {t} ADD PRIMARY KEY ({c})",
        "ALTER TABLE {t} ADD CONSTRAINT fz_uq UNIQUE USING INDEX fz_idx",
        "ALTER TABLE {t} VALIDATE CONSTRAINT fz_check",
        "ALTER TABLE {t} DROP CONSTRAINT {ifexists}fz_fk",
        "ALTER TABLE {t} DROP COLUMN {ifexists}{c}{cascade}",
        "ALTER TABLE {t} RENAME COLUMN {c} TO fz_renamed",
        "ALTER TABLE {t} RENAME TO fz_new",
        "RENAME TABLE {t} TO fz_new",
        "ALTER TABLE {t} ADD INDEX fz_idx ({c}), ALGORITHM=INPLACE, LOCK=NONE",
        "ALTER TABLE {t} ADD COLUMN {c} {type}, ALGORITHM=COPY, LOCK=SHARED",
        "ALTER TABLE {t} ENGINE=InnoDB",
        "ALTER TABLE {t} SET TABLESPACE pg_default",
        "ALTER TABLE {t} SET {logged}",
        "ALTER TABLE {t} ATTACH PARTITION fz_new FOR VALUES FROM (1) TO (10)",
        "ALTER TYPE fz_enum ADD VALUE 'c'",
        "DROP TABLE {ifexists}{t}{cascade}",
        "DROP TABLE {t}, customers",
        "TRUNCATE {t}",
        "TRUNCATE TABLE {t} RESTART IDENTITY CASCADE",
        "VACUUM FULL {t}",
        "CLUSTER {t} USING fz_idx",
        "OPTIMIZE TABLE {t}",
        "REFRESH MATERIALIZED VIEW {concurrently}fz_mv",
        "COMMENT ON TABLE {t} IS 'a comment; with -- dashes and /* stars */'",
        "COMMENT ON COLUMN {t}.{c} IS NULL",
        "GRANT SELECT ON {t} TO PUBLIC",
        "REVOKE ALL ON {t} FROM PUBLIC",
        "CREATE OR REPLACE VIEW fz_view AS SELECT * FROM {t}",
        "CREATE SEQUENCE fz_seq",
        "CREATE SCHEMA fz_schema",
        "CREATE USER fz_user PASSWORD 'hunter2'",
        "ALTER ROLE fz_user WITH PASSWORD 'hunter2;--'",
        "CREATE USER 'fz'@'%' IDENTIFIED BY 'hunter2'",
        "DO $$ BEGIN EXECUTE 'DROP TABLE {t}'; END $$",
        "DO $x$ BEGIN PERFORM 1; END $x$",
        "CREATE FUNCTION fz_f() RETURNS void LANGUAGE sql AS $$ ALTER TABLE {t} DROP COLUMN {c} $$",
        "CREATE PROCEDURE fz_p() BEGIN ATOMIC SELECT 1; END",
        "EXECUTE IMMEDIATE 'DROP TABLE {t}'",
        "PREPARE fz_s FROM 'DROP TABLE {t}'",
        "/* ddlguard:allow drop-table cleaning up */ DROP TABLE {t}",
        "-- ddlguard:allow drop-column\nALTER TABLE {t} DROP COLUMN {c}",
        "/*! ALTER TABLE {t} DROP COLUMN {c} */",
        "SELECT 1; DROP TABLE {t}",
        "BEGIN; ALTER TABLE {t} ADD COLUMN {c} int; COMMIT",
        "INSERT INTO {t} (id) VALUES (1)",
        "SELECT * FROM {t} WHERE note = 'DROP TABLE orders'",
        "UPDATE {t} SET {c} = {default_value}",
        "WITH x AS (SELECT 1) SELECT * FROM x",
        "(((CREATE TABLE {t} (id int))))",
    };

    private static final String[] INSERTS = {
        "/*",
        "*/",
        "/* c */",
        "/* /* nested */ */",
        "--",
        "-- c\n",
        "#",
        "#\n",
        "'",
        "''",
        "\"",
        "`",
        "$$",
        "$x$",
        "$1",
        ";",
        ";;",
        "(",
        ")",
        "\\",
        "\\'",
        "E'",
        "U&'",
        "X'",
        "/*!",
        "/*!50100 ",
        "/*M!",
        "\n",
        "\r\n",
        "\t",
        "\u00a0",
        "\u00e9",
        "\uD835\uDC00",
        "\uD835",
        "\u0000",
        "::",
        "?",
        ":x",
        ",",
        ".",
        " CONCURRENTLY ",
        " NOT VALID ",
        " IF EXISTS ",
        " CASCADE ",
        " ddlguard:allow drop-table because ",
        " BEGIN ",
        " END ",
        " ATOMIC ",
        " CASE ",
        " DROP ",
        " TABLE ",
        " CREATE ",
        " ALTER ",
        " INDEX ",
        " ON ",
        " ADD ",
        " COLUMN "
    };

    private static final String[] FRAGMENTS = {
        "DROP",
        "drop",
        "CREATE",
        "ALTER",
        "SELECT",
        "TABLE",
        "INDEX",
        "t",
        " ",
        " ",
        "\n",
        "\r",
        "\t",
        "\u00A0",
        ";",
        ";",
        "'",
        "\"",
        "`",
        "\\",
        "$$",
        "$a$",
        "$1",
        "$",
        "--",
        "-- ",
        "-",
        "#",
        "/*",
        "*/",
        "/*!",
        "/*!50100 ",
        "/*M!",
        "(",
        ")",
        "E'",
        "U&'",
        "X'",
        "e",
        "1",
        ".5",
        "?",
        ":x",
        "::",
        "BEGIN",
        "ATOMIC",
        "END",
        "CASE",
        "IF",
        "PROCEDURE",
        "FUNCTION",
        "DO",
        "é",
        "\uD835\uDC00",
        "\uD835",
        "*",
        "orders",
        "ADD",
        "COLUMN"
    };

    private final Random random;
    private final List<String> corpus;

    SqlFuzzer(long seed, List<String> corpus) {
        this.random = new Random(seed);
        this.corpus = corpus;
    }

    /** The next statement: corpus or generated, mostly mutated, sometimes soup. */
    String next() {
        int pick = random.nextInt(100);
        String sql;
        if (pick < 40 && !corpus.isEmpty()) {
            sql = corpus.get(random.nextInt(corpus.size()));
        } else if (pick < 90) {
            sql = generated();
        } else {
            return soup();
        }
        int mutations = random.nextInt(4); // 0 to 3: a quarter go as they are
        for (int i = 0; i < mutations; i++) {
            sql = mutate(sql);
        }
        return sql;
    }

    String generated() {
        String t = TEMPLATES[random.nextInt(TEMPLATES.length)];
        return t.replace("{t}", pick(TABLES))
                .replace("{c}", pick(COLUMNS))
                .replace("{type}", pick(TYPES))
                .replace("{default_value}", pick(DEFAULTS))
                .replace("{default}", random.nextBoolean() ? "" : " DEFAULT " + pick(DEFAULTS))
                .replace("{notnull}", random.nextBoolean() ? "" : " NOT NULL")
                .replace("{unique}", random.nextBoolean() ? "" : "UNIQUE ")
                .replace("{concurrently}", random.nextBoolean() ? "" : "CONCURRENTLY ")
                .replace("{ifnotexists}", random.nextBoolean() ? "" : "IF NOT EXISTS ")
                .replace("{ifexists}", random.nextBoolean() ? "" : "IF EXISTS ")
                .replace("{cascade}", random.nextBoolean() ? "" : " CASCADE")
                .replace("{notvalid}", random.nextBoolean() ? "" : " NOT VALID")
                .replace("{logged}", random.nextBoolean() ? "LOGGED" : "UNLOGGED");
    }

    private String soup() {
        StringBuilder sql = new StringBuilder();
        int parts = random.nextInt(24);
        for (int i = 0; i < parts; i++) {
            sql.append(pick(FRAGMENTS));
        }
        return sql.toString();
    }

    String mutate(String sql) {
        if (sql.isEmpty()) {
            return generated();
        }
        int at = random.nextInt(sql.length() + 1);
        return switch (random.nextInt(9)) {
            case 0 -> sql.substring(0, at); // truncate
            case 1 -> sql.substring(0, at) + splice(); // splice another's tail
            case 2 -> repeatWord(sql, false); // duplicate a token
            case 3 -> repeatWord(sql, true); // drop a token
            case 4, 5 -> sql.substring(0, at) + pick(INSERTS) + sql.substring(at); // comment, quote, ;
            case 6 -> flipCase(sql);
            case 7 -> sql + (random.nextBoolean() ? ";" : ";\n") + (random.nextBoolean() ? sql : generated());
            default -> random.nextBoolean() ? "(" + sql + ")" : sql + pick(INSERTS);
        };
    }

    private String splice() {
        String other =
                !corpus.isEmpty() && random.nextBoolean() ? corpus.get(random.nextInt(corpus.size())) : generated();
        return other.substring(random.nextInt(other.length() + 1));
    }

    private String repeatWord(String sql, boolean drop) {
        String[] words = sql.split("(?<=\\s)|(?=\\s)");
        if (words.length == 0) {
            return sql;
        }
        int i = random.nextInt(words.length);
        StringBuilder out = new StringBuilder(sql.length() + 16);
        for (int w = 0; w < words.length; w++) {
            if (w != i || !drop) {
                out.append(words[w]);
            }
            if (w == i && !drop) {
                out.append(' ').append(words[w]);
            }
        }
        return out.toString();
    }

    private String flipCase(String sql) {
        StringBuilder out = new StringBuilder(sql.length());
        boolean upper = random.nextBoolean();
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (random.nextInt(4) == 0) {
                upper = !upper;
            }
            out.append(
                    upper
                            ? String.valueOf(c).toUpperCase(Locale.ROOT).charAt(0)
                            : String.valueOf(c).toLowerCase(Locale.ROOT).charAt(0));
        }
        return out.toString();
    }

    private String pick(String[] options) {
        return options[random.nextInt(options.length)];
    }
}
