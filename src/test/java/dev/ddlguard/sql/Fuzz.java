package dev.ddlguard.sql;

import java.util.Random;

/** Random SQL-ish text built from the fragments that lexers get wrong. */
final class Fuzz {

    private static final String[] FRAGMENTS = {
        "DROP",
        "drop",
        "CREATE",
        "SELECT",
        "TABLE",
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
        "é",
        "\uD835\uDC00",
        "\uD835",
        "*",
    };

    private Fuzz() {}

    static String randomSql(Random random) {
        StringBuilder sql = new StringBuilder();
        int parts = random.nextInt(20);
        for (int i = 0; i < parts; i++) {
            sql.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
        }
        return sql.toString();
    }
}
