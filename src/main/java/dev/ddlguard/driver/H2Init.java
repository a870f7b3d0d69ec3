package dev.ddlguard.driver;

import java.util.Locale;
import java.util.Properties;

/**
 * H2 runs the URL's {@code INIT=} setting (H2 "Execute SQL on Connection") as SQL the moment it
 * connects, before the guard could see it: {@code jdbc:ddlguard:h2:mem:x;INIT=DROP TABLE t} would
 * drop t unjudged. The guard takes the setting out of the URL (or the connection properties) and
 * runs its text through the guarded connection instead, where it is judged and audited like any
 * other statement, and a blocked one refuses the connection.
 *
 * @param url the URL without INIT
 * @param init the INIT text as H2 would run it ({@code \;} unescaped), or null
 */
public record H2Init(String url, String init) {

    /** Takes INIT out of an H2 URL and its properties; other URLs and URLs without it come back unchanged. */
    public static H2Init extract(String realUrl, Properties info) {
        String fromInfo = null;
        if (info != null) {
            for (String name : info.stringPropertyNames()) {
                if (name.trim().equalsIgnoreCase("INIT")) {
                    fromInfo = info.getProperty(name);
                    info.remove(name);
                }
            }
        }
        if (!realUrl.regionMatches(true, 0, "jdbc:h2:", 0, 8)) {
            return new H2Init(realUrl, fromInfo);
        }
        int semicolon = realUrl.indexOf(';');
        if (semicolon < 0) {
            return new H2Init(realUrl, fromInfo);
        }
        // H2's ConnectionInfo splits the settings at ';' with '\' escaping the next character.
        StringBuilder kept = new StringBuilder(realUrl.substring(0, semicolon));
        String init = fromInfo;
        String settings = realUrl.substring(semicolon + 1);
        int start = 0;
        for (int i = 0; i <= settings.length(); i++) {
            if (i < settings.length() && settings.charAt(i) == '\\') {
                i++;
                continue;
            }
            if (i == settings.length() || settings.charAt(i) == ';') {
                String raw = settings.substring(start, i);
                int eq = raw.indexOf('=');
                String key = eq < 0 ? raw : raw.substring(0, eq);
                // H2 unescapes the name too: IN\IT is INIT (an outside tester's find)
                if (eq >= 0 && unescape(key).trim().toUpperCase(Locale.ROOT).equals("INIT")) {
                    String value = unescape(raw.substring(eq + 1));
                    init = init == null ? value : init + ";" + value;
                } else if (!raw.isEmpty()) {
                    kept.append(';').append(raw);
                }
                start = i + 1;
            }
        }
        return new H2Init(kept.toString(), init);
    }

    private static String unescape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                c = s.charAt(++i);
            }
            out.append(c);
        }
        return out.toString();
    }
}
