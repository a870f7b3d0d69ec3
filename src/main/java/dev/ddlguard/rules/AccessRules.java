package dev.ddlguard.rules;

import dev.ddlguard.policy.Action;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.DdlStatement.Flag;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.TokenCursor;
import dev.ddlguard.sql.TokenKind;
import dev.ddlguard.sql.Verb;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Who may connect and what they may touch. No table lock, but the application's own account losing a login or
 * a privilege stops it as surely as a dropped table does. Warnings: migrations also create and drop roles of
 * their own and revoke defaults (REVOKE … FROM PUBLIC) on purpose.
 */
public final class AccessRules {

    private AccessRules() {}

    public static final Rule DROP_ROLE = Rule.builder("drop-role")
            .defaultAction(Action.WARN)
            .lock("none on tables; metadata only")
            .reason("DROP ROLE / DROP USER removes an account with its password and privileges: an application or "
                    + "job that logs in with it stops at its next connection, and what it was granted must be "
                    + "granted again by hand")
            .safeAlternative("find who still logs in with it (pg_stat_activity.usename, information_schema"
                    + ".PROCESSLIST.USER), move them to another account, then drop it; ALTER ROLE … NOLOGIN first is "
                    + "a reversible way to find out")
            .matches((s, c) -> s.verb() == Verb.DROP && isAccount(s)
                    ? "drops " + s.objectType().toLowerCase(Locale.ROOT) + " " + accounts(s)
                    : replacedAccount(s))
            .build();

    public static final Rule DISABLE_LOGIN = Rule.builder("disable-login")
            .defaultAction(Action.WARN)
            .lock("none on tables; metadata only")
            .reason(
                    "an account that can no longer log in under its name (ALTER ROLE … NOLOGIN, VALID UNTIL, CONNECTION "
                            + "LIMIT 0, PASSWORD NULL; ALTER USER … ACCOUNT LOCK, PASSWORD EXPIRE; a renamed role or user) "
                            + "or with the password the application has (a new PASSWORD, IDENTIFIED BY, MySQL's and "
                            + "MariaDB's GRANT … TO an existing account IDENTIFIED BY) "
                            + "stops the application or job that uses it at its next connection, as a dropped one does; "
                            + "renaming a PostgreSQL role also clears an MD5 password; a dropped user mapping takes "
                            + "the role's login to a foreign server, and its queries of that server's foreign tables fail")
            .safeAlternative("find who still logs in with it (pg_stat_activity.usename, information_schema"
                    + ".PROCESSLIST.USER) and move them to another account first; to rename, create the new account "
                    + "with the same grants, switch the application to it, then retire the old one; to rotate a "
                    + "password, MySQL's IDENTIFIED BY … RETAIN CURRENT PASSWORD keeps the old one working until "
                    + "DISCARD OLD PASSWORD, elsewhere switch the application to a second account first")
            .on(Verb.ALTER, Verb.RENAME, Verb.DROP, Verb.SET, Verb.GRANT)
            .matches((s, c) -> s.is(Verb.DROP, "USER MAPPING")
                    ? mappingDropped(s)
                    : s.is(Verb.SET, "PASSWORD")
                            ? passwordSet(s)
                            : s.verb() == Verb.GRANT ? grantLosesLogin(s) : loginLost(s))
            .build();

    public static final Rule REVOKE = Rule.builder("revoke")
            .defaultAction(Action.WARN)
            .lock("none on tables; metadata only")
            .reason("REVOKE (and PostgreSQL's ALTER GROUP … DROP USER, its alias) takes a privilege away at once: "
                    + "deployed code running as that role fails on its next "
                    + "statement that needs it (permission denied); ALTER DEFAULT PRIVILEGES … REVOKE does so for "
                    + "every object created from then on (the next migration's new table is unreadable to the role)")
            .safeAlternative("check the role is not the application's, or deploy code that no longer needs the "
                    + "privilege first")
            .matches((s, c) -> s.verb() == Verb.REVOKE ? "revokes " + summary(s) : privilegesLost(s))
            .build();

    public static final Rule REASSIGN_OWNED = Rule.builder("reassign-owned")
            .defaultAction(Action.WARN)
            .lock("ACCESS EXCLUSIVE on every table the role owns, taken one after another and held to the end of the "
                    + "transaction")
            .reason("REASSIGN OWNED changes the owner of every object the role owns in one transaction: each table's "
                    + "ACCESS EXCLUSIVE lock waits for the queries running on it, every query behind it waits too, and "
                    + "all of them are held until the transaction ends")
            .safeAlternative("list what the role owns (pg_class.relowner) and ALTER … OWNER TO table by table, each in "
                    + "its own transaction under a short lock_timeout")
            .matches((s, c) -> s.verb() == Verb.REASSIGN && !s.names().isEmpty()
                    ? "changes the owner of every object owned by "
                            + s.names().stream().map(Object::toString).collect(Collectors.joining(", "))
                    : null)
            .build();

    /**
     * PostgreSQL's ALTER … OWNER TO: the owner's privileges are implicit, and the new owner takes them over
     * (aclnewowner), so the old owner keeps only what was granted to it by name or through PUBLIC or a role.
     */
    public static final Rule CHANGE_OWNER = Rule.builder("change-owner")
            .defaultAction(Action.WARN)
            .aboutDeployedCode()
            .lock("a table's or view's: ACCESS EXCLUSIVE, briefly (metadata only); other objects: none on tables")
            .reason("ALTER … OWNER TO hands the owner's privileges to the new owner: the old owner keeps none on the "
                    + "object but those granted to it explicitly, so deployed code that connects as the old owner "
                    + "(often the account that ran the migrations that created it) gets permission denied on its next "
                    + "statement")
            .safeAlternative("GRANT the old owner what the application needs (SELECT, INSERT, UPDATE, DELETE; USAGE on "
                    + "a schema or sequence) before changing the owner, or check the application connects as "
                    + "another role")
            .on(Verb.ALTER)
            .matches((s, c) -> "SCHEMA".equals(s.objectType())
                            && !s.names().isEmpty()
                            && c.catalog().schemaCreatedInThisRun(s.names().get(0))
                    ? null // pg_dump's CREATE SCHEMA app; ALTER SCHEMA app OWNER TO …: nothing deployed uses it yet
                    : ownerChanged(s))
            .build();

    public static final List<Rule> ALL = List.of(DROP_ROLE, DISABLE_LOGIN, REVOKE, REASSIGN_OWNED, CHANGE_OWNER);

    /** Words before {@code owner TO} that make it a rename of something called owner, not an owner change. */
    private static final List<String> RENAMING = List.of("RENAME", "COLUMN", "ATTRIBUTE", "CONSTRAINT");

    /**
     * PostgreSQL's ALTER <object> … OWNER TO role (a top-level OWNER TO, not {@code RENAME [COLUMN] owner TO x}):
     * "changes the owner of table app.orders to audit_owner", or null.
     */
    private static String ownerChanged(DdlStatement s) {
        if (s.syntax() != SqlSyntax.POSTGRESQL || s.objectType() == null || "INDEX".equals(s.objectType())) {
            return null; // an index has no privileges of its own: its owner is the table's (PostgreSQL ignores it)
        }
        for (TokenCursor c : StatementWords.afterEach(s, "OWNER", "TO")) {
            int after = c.position();
            c.reset(Math.max(0, after - 3)); // the word before OWNER (ALTER at the least)
            boolean renaming = RENAMING.stream().anyMatch(c::peekWord);
            c.reset(after);
            if (!renaming) {
                String object = s.table() != null
                        ? " " + s.table()
                        : s.names().isEmpty() ? "" : " " + s.names().get(0);
                return "changes the owner of " + s.objectType().toLowerCase(Locale.ROOT) + object + " to "
                        + (c.atEnd() ? "another role" : c.peek().text(s.text().source()));
            }
        }
        return null;
    }

    private static boolean isAccount(DdlStatement s) {
        return "ROLE".equals(s.objectType()) || "USER".equals(s.objectType()) || "GROUP".equals(s.objectType());
    }

    /** PostgreSQL: DROP USER MAPPING [IF EXISTS] FOR role SERVER server. */
    private static String mappingDropped(DdlStatement s) {
        TokenCursor role = StatementWords.after(s, "FOR");
        TokenCursor server = StatementWords.after(s, "SERVER");
        if (role == null || role.atEnd() || server == null || server.atEnd()) {
            return null; // cut short: unanalyzable speaks for it
        }
        return "drops the login of " + role.peek().text(s.text().source()) + " to foreign server "
                + server.acceptName();
    }

    /** MariaDB: CREATE OR REPLACE USER | ROLE drops an existing account first, with everything granted to it. */
    private static String replacedAccount(DdlStatement s) {
        return s.verb() == Verb.CREATE && s.has(Flag.OR_REPLACE) && isAccount(s)
                ? "replaces " + s.objectType().toLowerCase(Locale.ROOT) + " " + accountList(s)
                        + " (CREATE OR REPLACE drops an existing one, with its password and privileges)"
                : null;
    }

    /** MySQL: SET PASSWORD [FOR account] = …, the current account's when no FOR is given. */
    private static String passwordSet(DdlStatement s) {
        TokenCursor account = StatementWords.after(s, "FOR");
        String who = "the current account";
        if (account != null && !account.atEnd()) {
            int start = account.peek().start();
            int end = s.text().codeEnd();
            for (; !account.atEnd(); account.next()) {
                if ("=".equals(account.peek().text(s.text().source()))) {
                    end = account.peek().start();
                    break;
                }
            }
            who = "account " + s.text().source().substring(start, end).strip();
        }
        return "replaces the password of " + who + " (a login with the old one fails from then on)";
    }

    /**
     * MySQL 5.7 and MariaDB: GRANT … TO account IDENTIFIED BY … sets the password of an account that exists (and
     * creates one that does not): the application's login with the old one is refused (1045 on MariaDB 10.11).
     * Whether the account exists is not asked, so a new one warns too. The accounts are named, never the password.
     */
    private static String passwordGranted(DdlStatement s) {
        if (s.syntax() != SqlSyntax.MYSQL || !passwordReplaced(s) || !StatementWords.has(s, "IDENTIFIED")) {
            return null;
        }
        TokenCursor to = StatementWords.after(s, "TO");
        if (to == null || to.atEnd()) {
            return null;
        }
        String rest = s.text().source().substring(to.peek().start(), s.text().codeEnd());
        Matcher end = AFTER_ACCOUNTS.matcher(" " + rest);
        String who = (end.find() ? rest.substring(0, Math.max(0, end.start() - 1)) : rest).strip();
        return "replaces the password of account " + who
                + " (GRANT … IDENTIFIED BY sets it when the account exists: a login with the old one fails from then on)";
    }

    /** What a MySQL/MariaDB GRANT does to an account's logins: a new password, or TLS required; else null. */
    // MariaDB's GRANT … TO u REQUIRE SSL, as ALTER USER's (an outside tester's non-TLS login then failed, allowed)
    private static String grantLosesLogin(DdlStatement s) {
        String password = passwordGranted(s);
        return password != null || s.syntax() != SqlSyntax.MYSQL
                ? password
                : tlsRequired(s, "the accounts it grants to");
    }

    /** MySQL's REQUIRE SSL | X509 | ISSUER | SUBJECT | CIPHER (not PASSWORD REQUIRE CURRENT), or null. */
    private static String tlsRequired(DdlStatement s, String who) {
        TokenCursor require = StatementWords.after(s, "REQUIRE");
        return require != null && !require.atEnd() && TLS_REQUIREMENTS.stream().anyMatch(require::peekWord)
                ? "requires TLS of " + who + " (REQUIRE "
                        + require.peek().text(s.text().source()) + "): a client connecting without it is refused"
                : null;
    }

    /**
     * What takes privileges away without a REVOKE: PostgreSQL's ALTER ROLE … NOINHERIT (the role stops using what
     * the roles granted to it may do) and NOBYPASSRLS (its queries see only the rows policies allow), MySQL's SET
     * DEFAULT ROLE NONE (the account's next sessions start without their roles), ALTER DEFAULT PRIVILEGES … REVOKE.
     */
    private static String privilegesLost(DdlStatement s) {
        if (s.verb() == Verb.ALTER
                && isAccount(s)
                && StatementWords.afterOption(s, "NOINHERIT") != null
                && !s.names().isEmpty()) {
            return "stops " + s.objectType().toLowerCase(Locale.ROOT) + " "
                    + s.names().get(0) + " inheriting the privileges of the roles granted to it (NOINHERIT)";
        }
        if (s.verb() == Verb.ALTER && isAccount(s) && StatementWords.afterOption(s, "NOBYPASSRLS") != null) {
            return "makes " + s.objectType().toLowerCase(Locale.ROOT) + " "
                    + (s.names().isEmpty() ? "" : s.names().get(0))
                    + " see only the rows row-level security policies allow (NOBYPASSRLS)"; // a tester's saw 0 of 3
        }
        if (s.verb() == Verb.ALTER
                && "GROUP".equals(s.objectType())
                && !s.names().isEmpty()) {
            // PostgreSQL's ALTER GROUP g DROP USER u is REVOKE g FROM u (the manual: "an alias for REVOKE")
            TokenCursor users = StatementWords.after(s, "DROP", "USER");
            if (users != null && !users.atEnd()) {
                return "takes role " + s.names().get(0) + " away from "
                        + s.text()
                                .source()
                                .substring(users.peek().start(), s.text().codeEnd())
                                .strip()
                        + " (ALTER GROUP … DROP USER): the privileges it gave go with it";
            }
        }
        if (s.verb() == Verb.ALTER
                && "USER".equals(s.objectType())
                && StatementWords.has(s, "DEFAULT", "ROLE", "NONE")) {
            return "removes the default roles of " + accountList(s)
                    + ": its next sessions start without their privileges";
        }
        if ("DEFAULT ROLE".equals(s.objectType()) && StatementWords.has(s, "ROLE", "NONE")) {
            TokenCursor account = StatementWords.after(s, "FOR"); // MariaDB
            account = account != null ? account : StatementWords.after(s, "TO"); // MySQL
            String who = account == null || account.atEnd()
                    ? "the current account"
                    : s.text()
                            .source()
                            .substring(account.peek().start(), s.text().codeEnd())
                            .strip();
            return "removes the default roles of " + who + ": its next sessions start without their privileges";
        }
        return defaultRevoked(s);
    }

    /** How the statement takes an account's login away ("locks account 'app'@'%'"), or null. */
    private static String loginLost(DdlStatement s) {
        if (!isAccount(s)) {
            return null;
        }
        String kind = s.objectType().toLowerCase(Locale.ROOT);
        if (s.verb() == Verb.RENAME) {
            return "renames " + kind + " " + accounts(s); // MySQL: RENAME USER a TO b[, c TO d]
        }
        if (s.verb() != Verb.ALTER) {
            return null;
        }
        if (StatementWords.afterOption(s, "NOLOGIN") != null && !s.names().isEmpty()) {
            return "disables login of " + kind + " " + s.names().get(0);
        }
        if (StatementWords.has(s, "ACCOUNT", "LOCK")) {
            return "locks account " + accountList(s);
        }
        String expired = loginLimited(s, kind);
        if (expired != null) {
            return expired;
        }
        TokenCursor renamed = StatementWords.after(s, "RENAME", "TO");
        // a group role normally cannot log in: renaming one changes no login
        return renamed == null || s.names().isEmpty() || "GROUP".equals(s.objectType())
                ? null
                : "renames " + kind + " " + s.names().get(0) + " to " + renamed.acceptName();
    }

    /**
     * The other ways ALTER ROLE / ALTER USER stop a login: a password expiry (PostgreSQL VALID UNTIL, but
     * 'infinity'), no connection allowed (CONNECTION LIMIT 0), no password (PASSWORD NULL), an expired password
     * (MySQL PASSWORD EXPIRE, which leaves the application's sessions able to run nothing but SET PASSWORD).
     */
    private static String loginLimited(DdlStatement s, String kind) {
        String who = s.names().isEmpty() ? accountList(s) : s.names().get(0).toString();
        TokenCursor until = StatementWords.after(s, "VALID", "UNTIL");
        if (until != null
                && !until.atEnd()
                && !until.peek().text(s.text().source()).equalsIgnoreCase("'infinity'")) {
            // the password stops working then: a login by password fails (trust or certificates go on)
            return "sets the password of " + kind + " " + who + " to expire at "
                    + until.peek().text(s.text().source());
        }
        TokenCursor limit = StatementWords.after(s, "CONNECTION", "LIMIT");
        // a positive limit (PostgreSQL's CONNECTION LIMIT n, MySQL's MAX_USER_CONNECTIONS n) is sizing, not judged
        if ("0".equals(StatementWords.valueAt(limit, s.syntax()))) { // 0, +0, -0, 00
            return "allows " + kind + " " + who + " no connection (CONNECTION LIMIT 0)";
        }
        String tls = tlsRequired(s, "account " + who);
        if (tls != null) {
            return tls;
        }
        if (StatementWords.has(s, "PASSWORD", "NULL")) {
            return "removes the password of " + kind + " " + who;
        }
        if (passwordReplaced(s)) {
            return "replaces the password of " + kind + " " + who + " (a login with the old one fails from then on)";
        }
        TokenCursor expire = StatementWords.after(s, "PASSWORD", "EXPIRE");
        if (expire != null
                && !expire.peekWord("NEVER")
                && !expire.peekWord("DEFAULT")
                && !expire.peekWord("INTERVAL")) {
            return "expires the password of account " + who + " (its sessions can then run nothing else)";
        }
        return null;
    }

    /**
     * A new password the old one does not survive: PostgreSQL's (and H2's) PASSWORD 'secret', MySQL's and MariaDB's
     * IDENTIFIED … unless MySQL keeps the current one as a secondary (RETAIN CURRENT PASSWORD, 8.0.14+).
     */
    private static boolean passwordReplaced(DdlStatement s) {
        if (StatementWords.has(s, "IDENTIFIED")) {
            return !StatementWords.has(s, "RETAIN", "CURRENT", "PASSWORD");
        }
        TokenCursor password = StatementWords.after(s, "PASSWORD");
        return password != null && !password.atEnd() && password.peek().kind() == TokenKind.STRING;
    }

    /** MySQL's ALTER USER … REQUIRE {SSL | X509 | ISSUER … | SUBJECT … | CIPHER …} (not PASSWORD REQUIRE CURRENT). */
    private static final List<String> TLS_REQUIREMENTS = List.of("SSL", "X509", "ISSUER", "SUBJECT", "CIPHER");

    /** Words that end MySQL's account list in ALTER USER: what follows sets options, a password among them. */
    private static final Pattern AFTER_ACCOUNTS = Pattern.compile(
            "(?i)\\s(IDENTIFIED|REQUIRE|WITH|PASSWORD|ACCOUNT|COMMENT|ATTRIBUTE|DEFAULT|FAILED_LOGIN_ATTEMPTS"
                    + "|PASSWORD_LOCK_TIME|DISCARD|RETAIN)\\b|/\\*");

    /** ALTER USER [IF EXISTS] 'a'@'%', 'b'@'%' ACCOUNT LOCK → "'a'@'%', 'b'@'%'": the accounts only, never an option. */
    private static String accountList(DdlStatement s) {
        String rest = accounts(s).replaceFirst("(?i)^IF\\s+EXISTS\\s+", "");
        Matcher end = AFTER_ACCOUNTS.matcher(rest);
        return (end.find() ? rest.substring(0, end.start()) : rest).strip();
    }

    /** The names as written: MySQL's accounts are strings ('app'@'%') the classifier does not read as names. */
    private static String accounts(DdlStatement s) {
        String code = s.code().strip();
        int at = code.toUpperCase(Locale.ROOT).indexOf(s.objectType())
                + s.objectType().length();
        return code.substring(Math.min(at, code.length())).strip();
    }

    /** PostgreSQL's ALTER DEFAULT PRIVILEGES … REVOKE: "revokes, on objects created from now on, SELECT ON TABLES …". */
    private static String defaultRevoked(DdlStatement s) {
        if (!s.is(Verb.ALTER, "DEFAULT PRIVILEGES")) {
            return null;
        }
        TokenCursor revoke = StatementWords.after(s, "REVOKE");
        if (revoke == null || revoke.atEnd()) {
            return null;
        }
        String rest = s.text()
                .source()
                .substring(revoke.peek().start(), s.text().codeEnd())
                .strip()
                .replaceAll("\\s+", " ");
        return "revokes, on objects created from now on, "
                + (rest.length() > 120 ? rest.substring(0, 117) + "…" : rest);
    }

    private static String summary(DdlStatement s) {
        String code = s.code().strip().replaceAll("\\s+", " ");
        String rest = code.length() > 6 ? code.substring(6).strip() : code;
        return rest.length() > 120 ? rest.substring(0, 117) + "…" : rest;
    }
}
