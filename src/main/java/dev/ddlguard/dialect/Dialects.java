package dev.ddlguard.dialect;

import dev.ddlguard.dialect.h2.H2Dialect;
import dev.ddlguard.dialect.mysql.MySqlDialect;
import dev.ddlguard.dialect.mysql.OnlineDdlMatrix;
import dev.ddlguard.dialect.postgres.PostgresDialect;
import dev.ddlguard.policy.Target;
import java.util.Locale;

/** Chooses the dialect for a target setting or for what a connection reports itself to be. */
public final class Dialects {

    private Dialects() {
    }

    /** The dialect of the connected database, from {@code DatabaseMetaData} product name and version. */
    public static Dialect connected(String productName, String productVersion) {
        String product = productName == null ? "" : productName.toLowerCase(Locale.ROOT);
        String version = productVersion == null ? "" : productVersion.toLowerCase(Locale.ROOT);
        if (product.contains("postgres")) {
            return new PostgresDialect();
        }
        if (product.contains("mariadb") || (product.contains("mysql") && version.contains("mariadb"))) {
            return new MySqlDialect(true, OnlineDdlMatrix.parseVersion(productVersion));
        }
        if (product.contains("mysql")) {
            return new MySqlDialect(false, OnlineDdlMatrix.parseVersion(productVersion));
        }
        return new H2Dialect();
    }

    /** The dialect statements are judged against: the target setting, or the connected one for {@code auto}. */
    public static Dialect target(Target target, Dialect connected) {
        return switch (target) {
            case AUTO -> connected;
            case POSTGRESQL -> connected instanceof PostgresDialect ? connected : new PostgresDialect();
            case MYSQL -> "mysql".equals(connected.name()) ? connected : new MySqlDialect(false);
            case MARIADB -> "mariadb".equals(connected.name()) ? connected : new MySqlDialect(true);
        };
    }
}
