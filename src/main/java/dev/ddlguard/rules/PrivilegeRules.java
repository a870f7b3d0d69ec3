package dev.ddlguard.rules;

import dev.ddlguard.policy.Action;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.Token;
import dev.ddlguard.sql.TokenCursor;
import dev.ddlguard.sql.TokenKind;
import dev.ddlguard.sql.Verb;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Statements that widen who may read, change or destroy data: no lock and nothing fails, which is why nobody notices.
 * {@code revoke} and {@code disable-login} ({@link AccessRules}) judge the other direction.
 */
public final class PrivilegeRules {

    private PrivilegeRules() {}

    public static final Rule WIDEN_PRIVILEGES = Rule.builder("widen-privileges")
            .defaultAction(Action.WARN)
            .lock("none on tables; metadata only")
            .reason(
                    "a privilege granted to everyone (PUBLIC, MySQL's anonymous account ''), a superuser or a role that "
                            + "reads or writes the server's files or every table, MySQL's privileges on *.* (any but USAGE: "
                            + "DROP or UPDATE there reach the mysql schema's grant tables too), the right to pass privileges on (WITH GRANT | ADMIN OPTION), or a MySQL account "
                            + "without a password: any of them lets more sessions read, change or destroy data than before, "
                            + "silently (nothing fails), and it outlives the migration")
            .safeAlternative("grant the narrowest privilege the application needs, on the objects it uses, to its own "
                    + "role; keep superuser, server-file and global privileges to the administrators' accounts, "
                    + "managed outside migrations; create MySQL accounts with IDENTIFIED BY a password or WITH an "
                    + "authentication plugin")
            .on(Verb.GRANT, Verb.ALTER, Verb.CREATE)
            .matches((s, c) -> widened(s))
            .build();

    public static final List<Rule> ALL = List.of(WIDEN_PRIVILEGES);

    /** PostgreSQL's predefined roles that read or write past privileges (files, programs, every table), and the usual superusers. */
    private static final Set<String> POWERFUL_ROLES = Set.of(
            "postgres",
            "pg_read_server_files",
            "pg_write_server_files",
            "pg_execute_server_program",
            "pg_read_all_data",
            "pg_write_all_data",
            "rds_superuser",
            "cloudsqlsuperuser",
            "azure_pg_admin");

    /** Privileges PostgreSQL gives PUBLIC by default anyway (CONNECT, TEMPORARY on databases, EXECUTE, USAGE). */
    private static final Set<String> HARMLESS_FOR_PUBLIC = Set.of("CONNECT", "TEMP", "TEMPORARY", "EXECUTE", "USAGE");

    /**
     * PostgreSQL's functions that reach the server's file system (revoked from PUBLIC at initdb; adminpack's too), and
     * every function of pg_catalog at once: EXECUTE on them is what pg_read_server_files and friends give.
     */
    private static final Pattern SERVER_FILE_FUNCTIONS = Pattern.compile(
            "(?i)^(?:(?:FUNCTION|ROUTINE|PROCEDURE)\\b.*\\b(?:pg_read_file|pg_read_binary_file|pg_ls_dir|pg_stat_file"
                    + "|lo_import|lo_export|pg_file_write|pg_file_rename|pg_file_unlink|pg_file_sync)\\b"
                    + "|ALL\\s+(?:FUNCTIONS|ROUTINES|PROCEDURES)\\s+IN\\s+SCHEMA\\s+\"?pg_catalog\\b)");

    /** PostgreSQL's names for the session's own role (RoleSpec). */
    private static final Set<String> CURRENT_ROLE_NAMES = Set.of("current_user", "session_user", "current_role");

    private static String widened(DdlStatement s) {
        if (s.verb() == Verb.GRANT) {
            return granted(s, StatementWords.after(s, "GRANT"), "grants ");
        }
        if (s.is(Verb.ALTER, "DEFAULT PRIVILEGES")) {
            return granted(s, StatementWords.after(s, "GRANT"), "grants, on objects created from now on, ");
        }
        boolean account = "ROLE".equals(s.objectType())
                || "USER".equals(s.objectType())
                || "GROUP".equals(s.objectType()); // PostgreSQL's CREATE | ALTER GROUP: a role by an older name
        if (!account || (s.verb() != Verb.ALTER && s.verb() != Verb.CREATE)) {
            return null;
        }
        TokenCursor members = s.verb() == Verb.ALTER && "GROUP".equals(s.objectType())
                ? StatementWords.after(s, "ADD", "USER")
                : null;
        if (members != null && !s.names().isEmpty()) { // ALTER GROUP g ADD USER u is GRANT g TO u
            String group = s.names().get(0).name().text().toLowerCase(Locale.ROOT);
            // CURRENT_USER, SESSION_USER, CURRENT_ROLE: the migration's own role, a superuser as often as not
            if (POWERFUL_ROLES.contains(group) || CURRENT_ROLE_NAMES.contains(group)) {
                return "grants role " + group + " to "
                        + grantees(members, s.text().source());
            }
        }
        String who = s.objectType().toLowerCase(Locale.ROOT)
                + (s.names().isEmpty() ? "" : " " + s.names().get(0));
        if (StatementWords.afterOption(s, "SUPERUSER") != null) {
            return "makes " + who + " a superuser";
        }
        if (s.syntax() == SqlSyntax.POSTGRESQL) {
            String power = rolePower(s);
            if (power != null) {
                return "lets " + who + " " + power;
            }
        }
        if (s.syntax() == SqlSyntax.MYSQL && s.is(Verb.CREATE, "USER") && withoutPassword(s)) {
            return "creates an account without a password";
        }
        return null;
    }

    /**
     * PostgreSQL's role options that reach past the role's own objects (an option's name may be quoted: an IDENT to
     * the grammar): REPLICATION streams every row of the server, CREATEROLE creates and administers other roles, a
     * new role's BYPASSRLS skips every row security policy (ALTER ROLE's is disable-row-security), and IN ROLE | IN
     * GROUP makes it a member of a powerful role, as GRANT role TO does.
     */
    private static String rolePower(DdlStatement s) {
        if (StatementWords.afterOption(s, "REPLICATION") != null) {
            return "stream every row of the server (REPLICATION)";
        }
        if (StatementWords.afterOption(s, "CREATEROLE") != null) {
            return "create and administer roles (CREATEROLE)";
        }
        if (s.verb() == Verb.CREATE && StatementWords.afterOption(s, "BYPASSRLS") != null) {
            return "skip every row security policy (BYPASSRLS)";
        }
        for (String words : List.of("IN ROLE", "IN GROUP")) {
            TokenCursor c = StatementWords.after(s, words.split(" "));
            while (c != null && !c.atEnd()) {
                String name = c.next().text(s.text().source()).replace("\"", "").toLowerCase(Locale.ROOT);
                if (POWERFUL_ROLES.contains(name)) {
                    return "use role " + name + " (" + words + ")";
                }
                if (!c.acceptKind(TokenKind.COMMA)) {
                    break;
                }
            }
        }
        return null;
    }

    /** GRANT what TO whom […]: what it widens, or null. */
    private static String granted(DdlStatement s, TokenCursor c, String verb) {
        if (c == null) {
            return null;
        }
        String sql = s.text().source();
        List<String> what = new ArrayList<>();
        int levelStart = -1;
        int levelEnd = -1;
        while (!c.atEnd() && !c.peekWord("TO")) {
            Token t = c.next();
            if (levelStart < 0 && t.isWord(sql, "ON")) {
                levelStart = c.atEnd() ? t.end() : c.peek().start();
            } else if (levelStart >= 0) {
                levelEnd = t.end();
            } else if (t.kind() == TokenKind.WORD || t.kind() == TokenKind.QUOTED_IDENTIFIER) {
                what.add(t.text(sql).toUpperCase(Locale.ROOT));
            }
        }
        if (!c.acceptWord("TO")) {
            return null;
        }
        boolean on = levelStart >= 0;
        String level = on && levelEnd > levelStart
                ? sql.substring(levelStart, levelEnd).replaceAll("\\s+", " ")
                : "";
        String privileges = String.join(" ", what).replace("PRIVILEGES", "").strip();
        String to = grantees(c, sql);
        if (on && level.matches("(?is)PARAMETER\\s.*")) {
            // PostgreSQL 15: GRANT SET | ALTER SYSTEM ON PARAMETER: the setting was the superuser's to change
            return verb + privileges + " on " + level + " to " + to + " (a setting only a superuser could change)";
        }
        if (on && SERVER_FILE_FUNCTIONS.matcher(level).find()) {
            return verb + privileges + " on " + level + " to " + to
                    + " (it reads or writes the server's files, which PostgreSQL keeps to superusers by default)";
        }
        // PostgreSQL reads "public" quoted as PUBLIC too (gram.y RoleSpec)
        if (to.replace("\"", "").matches("(?i)(.*,\\s*)?public(\\s*,.*)?")
                || to.contains("''@")
                || to.startsWith("@")) {
            if (what.stream().anyMatch(p -> !HARMLESS_FOR_PUBLIC.contains(p))) {
                return verb + privileges + (on ? " on " + level : "") + " to everyone (" + to + ")";
            }
        }
        if (!on) { // GRANT role TO role: PostgreSQL's (and MySQL 8's) role membership
            for (String role : what) {
                String name = role.replace("\"", "").toLowerCase(Locale.ROOT); // "pg_read_all_data" quoted
                if (POWERFUL_ROLES.contains(name)) {
                    return verb + "role " + name + " to " + to;
                }
            }
        }
        if (s.syntax() == SqlSyntax.MYSQL
                && level.replace(" ", "").equals("*.*")
                && !privileges.strip().equalsIgnoreCase("USAGE")) { // an outside tester's GRANT DROP ON *.*
            return verb + privileges + " on every database of the server (*.*) to " + to;
        }
        if (StatementWords.has(s, "WITH", "GRANT", "OPTION") || StatementWords.has(s, "WITH", "ADMIN", "OPTION")) {
            return verb + privileges + (on ? " on " + level : "") + " to " + to + " with the right to pass it on";
        }
        return null;
    }

    /** The grantees as written, up to WITH, GRANTED, IDENTIFIED, REQUIRE or the end. */
    private static String grantees(TokenCursor c, String sql) {
        StringBuilder to = new StringBuilder();
        while (!c.atEnd()
                && !c.peekWord("WITH")
                && !c.peekWord("GRANTED")
                && !c.peekWord("IDENTIFIED")
                && !c.peekWord("REQUIRE")) {
            Token t = c.next();
            if (t.kind() == TokenKind.COMMA) {
                to.append(", ");
            } else {
                to.append(t.text(sql));
            }
        }
        return to.toString();
    }

    /** MySQL: CREATE USER with no IDENTIFIED clause, or IDENTIFIED BY '' (a role, or ACCOUNT LOCK, cannot log in). */
    private static boolean withoutPassword(DdlStatement s) {
        if (StatementWords.has(s, "ACCOUNT", "LOCK")) {
            return false;
        }
        TokenCursor by = StatementWords.after(s, "IDENTIFIED", "BY");
        if (by != null) {
            return !by.atEnd()
                    && by.peek().kind() == TokenKind.STRING
                    && by.peek().end() - by.peek().start() == 2;
        }
        return !StatementWords.has(s, "IDENTIFIED");
    }
}
