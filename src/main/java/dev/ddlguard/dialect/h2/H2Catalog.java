package dev.ddlguard.dialect.h2;

import dev.ddlguard.dialect.JdbcCatalog;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.QualifiedName;
import java.sql.Connection;
import java.util.Locale;

/** H2's catalog: table sizes only, from INFORMATION_SCHEMA (and Flyway's history, as every database). */
final class H2Catalog extends JdbcCatalog {

    H2Catalog(Connection connection) {
        super(connection);
    }

    /** H2 folds unquoted names to upper case; ROW_COUNT_ESTIMATE is kept current by the MVStore. */
    @Override
    public TableSize tableSize(QualifiedName table) {
        return one(
                "SELECT ROW_COUNT_ESTIMATE FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = COALESCE(?, SCHEMA())"
                        + " AND TABLE_NAME = ?",
                rs -> new TableSize(rs.getLong(1), null),
                TableSize.UNKNOWN,
                table.schema() == null ? null : folded(table.schema()),
                folded(table.name()));
    }

    private static String folded(Identifier name) {
        return name.quoted() ? name.text() : name.text().toUpperCase(Locale.ROOT);
    }
}
