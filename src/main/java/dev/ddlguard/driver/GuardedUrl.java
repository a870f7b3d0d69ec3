package dev.ddlguard.driver;

import dev.ddlguard.policy.Setting;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A {@code jdbc:ddlguard:} URL taken apart: the real driver's URL, and the {@code ddlguard.*}
 * settings removed from it (query parameters {@code ?a=b&c=d} as pgjdbc and MySQL write them, or
 * {@code ;KEY=VALUE} segments as H2 writes them), so that the real driver never sees them. The
 * {@code ddlguard.} prefix is matched in any case ({@code DDLGUARD.MODE} is {@code ddlguard.mode});
 * keys are returned lower case. A setting given twice with different values (in any spelling) is an
 * {@link dev.ddlguard.policy.InvalidSettingException}: for a guard, an ambiguous URL is a mistake, not a choice.
 *
 * @param realUrl  {@code jdbc:} followed by what came after {@code jdbc:ddlguard:}, minus our settings
 * @param settings the {@code ddlguard.*} settings found in the URL, decoded
 */
public record GuardedUrl(String realUrl, Map<String, String> settings) {

    public static final String PREFIX = "jdbc:ddlguard:";

    public static boolean accepts(String url) {
        return url != null && url.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    public static GuardedUrl parse(String url) {
        if (!accepts(url)) {
            throw new IllegalArgumentException("not a ddlguard URL: " + url);
        }
        String rest = url.substring(PREFIX.length());
        Map<String, String> settings = new LinkedHashMap<>();
        String keptQuery = "";
        int query = rest.indexOf('?');
        if (query >= 0) {
            keptQuery = strip(rest.substring(query + 1), '&', settings);
            rest = rest.substring(0, query);
        }
        // H2's ;KEY=VALUE segments come before any query; a ';' inside a query value (a password) is data
        int semicolon = rest.indexOf(';');
        if (semicolon >= 0) {
            String kept = strip(rest.substring(semicolon + 1), ';', settings);
            rest = rest.substring(0, semicolon) + (kept.isEmpty() ? "" : ";" + kept);
        }
        return new GuardedUrl("jdbc:" + rest + (keptQuery.isEmpty() ? "" : "?" + keptQuery), Map.copyOf(settings));
    }

    /** Removes {@code ddlguard.*} parameters from a parameter list, collecting them; returns what is left. */
    private static String strip(String params, char separator, Map<String, String> settings) {
        StringBuilder kept = new StringBuilder(params.length());
        for (String param : params.split(Pattern.quote(String.valueOf(separator)), -1)) {
            int eq = param.indexOf('=');
            String key = Setting.ownKey(decode(eq >= 0 ? param.substring(0, eq) : param));
            if (key != null) {
                Setting.putOwn(settings, key, eq >= 0 ? decode(param.substring(eq + 1)) : "", "the URL");
            } else if (!param.isEmpty()) {
                if (!kept.isEmpty()) {
                    kept.append(separator);
                }
                kept.append(param);
            }
        }
        return kept.toString();
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s; // not URL-encoded after all: take it as written
        }
    }
}
