package dev.ddlguard.driver;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * MariaDB Connector/J runs its {@code initSql} option, and both MariaDB's and MySQL's drivers their {@code
 * sessionVariables} (as a SET), on the connection the moment it opens, before the guard could see them:
 * {@code jdbc:ddlguard:mariadb://…?initSql=DROP TABLE t} dropped t unaudited, {@code sessionVariables=sql_log_bin=0}
 * took the session out of the binary log past skip-binlog (an outside tester's finds). As {@link H2Init} does for H2's
 * INIT, the guard takes them out of the URL and the connection properties and runs them through the guarded
 * connection instead: judged and audited like any statement, a blocked one refuses the connection.
 *
 * @param url the URL without them
 * @param statements what to run once connected, in the drivers' order (the variables first), possibly none
 */
public record MySqlConnectSql(String url, List<String> statements) {

    private static final String INIT_SQL = "initsql";
    private static final String SESSION_VARIABLES = "sessionvariables";

    /** Takes the options out of a MariaDB or MySQL URL and its properties; other URLs come back unchanged. */
    public static MySqlConnectSql extract(String realUrl, Properties info) {
        String lower = realUrl.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("jdbc:mariadb:") && !lower.startsWith("jdbc:mysql:")) {
            return new MySqlConnectSql(realUrl, List.of());
        }
        String variables = null;
        String init = null;
        if (info != null) {
            for (String name : info.stringPropertyNames()) {
                String key = name.trim().toLowerCase(Locale.ROOT);
                if (key.equals(SESSION_VARIABLES) || key.equals(INIT_SQL)) {
                    if (key.equals(SESSION_VARIABLES)) {
                        variables = info.getProperty(name);
                    } else {
                        init = info.getProperty(name);
                    }
                    info.remove(name);
                }
            }
        }
        int query = realUrl.indexOf('?');
        StringBuilder kept = new StringBuilder(query < 0 ? realUrl : realUrl.substring(0, query));
        if (query >= 0) {
            char separator = '?';
            for (String parameter : realUrl.substring(query + 1).split("&", -1)) {
                int eq = parameter.indexOf('=');
                String key =
                        (eq < 0 ? parameter : parameter.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
                String value = eq < 0 ? "" : parameter.substring(eq + 1);
                if (key.equals(SESSION_VARIABLES)) {
                    variables = value; // the URL's wins over the properties', as for the drivers' own options
                } else if (key.equals(INIT_SQL)) {
                    init = value;
                } else if (!parameter.isEmpty()) {
                    kept.append(separator).append(parameter);
                    separator = '&';
                }
            }
        }
        List<String> statements = new ArrayList<>(2);
        if (variables != null && !variables.isBlank()) {
            statements.add("SET SESSION " + variables); // a=1,b=2: one SET, as the drivers send it
        }
        if (init != null && !init.isBlank()) {
            statements.add(init);
        }
        return new MySqlConnectSql(kept.toString(), List.copyOf(statements));
    }
}
