package dev.ddlguard.cli.lint;

import dev.ddlguard.dialect.Dialects;
import dev.ddlguard.policy.Target;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.RuntimeEnvironment;
import liquibase.Scope;
import liquibase.change.AbstractSQLChange;
import liquibase.change.Change;
import liquibase.change.core.SQLFileChange;
import liquibase.changelog.ChangeLogIterator;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.filter.ChangeSetFilterResult;
import liquibase.changelog.filter.DbmsChangeSetFilter;
import liquibase.changelog.filter.IgnoreChangeSetFilter;
import liquibase.changelog.visitor.AbstractChangeExecListener;
import liquibase.changelog.visitor.ChangeSetVisitor;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.OfflineConnection;
import liquibase.exception.DatabaseException;
import liquibase.exception.UnexpectedLiquibaseException;
import liquibase.executor.ExecutorService;
import liquibase.executor.LoggingExecutor;
import liquibase.logging.core.NoOpLogService;
import liquibase.parser.ChangeLogParser;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.resource.CompositeResourceAccessor;
import liquibase.resource.DirectoryResourceAccessor;
import liquibase.resource.Resource;
import liquibase.resource.ResourceAccessor;
import liquibase.sql.visitor.SqlVisitor;
import liquibase.sqlgenerator.SqlGeneratorFactory;
import liquibase.statement.SqlStatement;
import liquibase.ui.LoggerUIService;

/**
 * A Liquibase changelog (XML, YAML, JSON, with its includes) turned into the SQL Liquibase would send, the way
 * Liquibase's own offline mode ({@code update-sql} against {@code offline:<database>}) produces it: Liquibase parses
 * the changelog, walks it with its own iterator and filters (dbms, ignore; no context or label given, so all), and
 * runs each changeset's own {@code execute} against an offline database of the target, with an executor that keeps
 * each statement instead of sending it. So the order of includes, {@code modifySql}, {@code splitStatements},
 * {@code dbms} on a change, and the generated SQL itself are Liquibase's. Preconditions are not evaluated, as in
 * {@code update-sql} ({@code onSqlOutput} defaults to IGNORE). A change whose SQL Liquibase can only generate from
 * the live schema ({@code generateStatementsVolatile}) is reported as not judged, as {@code update-sql} refuses it.
 *
 * <p>The only class of ddlguard that touches Liquibase: {@link Changelogs} checks that it is on the class path first.
 */
final class LiquibaseChangelog {

    private final Path root;
    private final Path given;
    private final Target target;
    private final ServerVersion version;
    private final List<ChangesetUnit> units = new ArrayList<>();
    private final Set<Path> files = new LinkedHashSet<>();
    private final List<InputError> errors = new ArrayList<>();
    private final Map<Path, ChangelogLines> positions = new HashMap<>();

    private LiquibaseChangelog(Path given, Target target, ServerVersion version) {
        this.given = given;
        this.root = given.toAbsolutePath().normalize();
        this.target = target;
        this.version = version;
    }

    static ChangelogRun generate(Path root, Target target, ServerVersion version) {
        LiquibaseChangelog changelog = new LiquibaseChangelog(root, target, version);
        changelog.files.add(changelog.root);
        try {
            ResourceAccessor accessor = searchPath(changelog.root);
            Map<String, Object> scope = new HashMap<>();
            scope.put(Scope.Attr.logService.name(), new NoOpLogService()); // lint's output is its report alone
            scope.put(Scope.Attr.ui.name(), new LoggerUIService());
            scope.put(Scope.Attr.resourceAccessor.name(), accessor);
            scope.put("liquibase.analytics.enabled", false);
            Scope.child(scope, () -> changelog.run(accessor));
        } catch (Exception e) {
            changelog.errors.add(
                    new InputError(root.toString(), "Liquibase cannot read this changelog: " + message(e)));
        } catch (LinkageError e) {
            // liquibase-core without one of its own dependencies (SnakeYAML, commons-*): not a crash, not a pass
            changelog.errors.add(new InputError(root.toString(), "Liquibase is incomplete on the class path: " + e));
        } catch (StackOverflowError e) {
            // Liquibase follows includes without a guard against cycles (a.xml includes b.xml includes a.xml): an
            // input error of this changelog, not a crash that loses every other file's findings
            changelog.errors.add(new InputError(
                    root.toString(),
                    "Liquibase cannot read this changelog: its includes go too deep (does one include itself, or an"
                            + " including file?)"));
        }
        return new ChangelogRun(changelog.units, changelog.files, changelog.errors);
    }

    /**
     * Where includes are looked up: the changelog's folder, then each folder above it, as the Liquibase CLI's search
     * path (the working directory) or Spring Boot's class path root usually is one of them.
     */
    private static ResourceAccessor searchPath(Path file) throws FileNotFoundException {
        List<ResourceAccessor> roots = new ArrayList<>();
        for (Path folder = file.getParent(); folder != null; folder = folder.getParent()) {
            roots.add(new DirectoryResourceAccessor(folder));
        }
        return new SearchPath(roots);
    }

    /**
     * The folders, read as a class path too: Spring Boot changelogs name their includes {@code classpath:db/…}, and
     * the class path root (src/main/resources) is one of the folders above the changelog.
     */
    private static final class SearchPath extends CompositeResourceAccessor {

        private static final String CLASSPATH = "classpath:";

        SearchPath(List<ResourceAccessor> roots) {
            super(roots);
        }

        @Override
        public List<Resource> getAll(String path) throws IOException {
            return super.getAll(withoutPrefix(path));
        }

        @Override
        public List<Resource> search(String path, SearchOptions options) throws IOException {
            return super.search(withoutPrefix(path), options);
        }

        @Override
        public List<Resource> search(String path, boolean recursive) throws IOException {
            return super.search(withoutPrefix(path), recursive);
        }

        private static String withoutPrefix(String path) {
            return path != null && path.startsWith(CLASSPATH)
                    ? path.substring(CLASSPATH.length()).replaceFirst("^/+", "")
                    : path;
        }
    }

    private void run(ResourceAccessor accessor) throws Exception {
        Database database = offlineDatabase(accessor);
        String logical = root.getFileName().toString();
        ChangeLogParser parser = ChangeLogParserFactory.getInstance().getParser(logical, accessor);
        DatabaseChangeLog changeLog = parser.parse(logical, new ChangeLogParameters(database), accessor);
        Capture capture = new Capture(database);
        Scope.getCurrentScope().getSingleton(ExecutorService.class).setExecutor("jdbc", database, capture);
        try {
            new ChangeLogIterator(changeLog, new DbmsChangeSetFilter(database), new IgnoreChangeSetFilter())
                    .run(
                            new Visitor(capture, accessor),
                            new RuntimeEnvironment(database, new Contexts(), new LabelExpression()));
        } finally {
            Scope.getCurrentScope().getSingleton(ExecutorService.class).clearExecutor("jdbc", database);
        }
    }

    /** {@code offline:postgresql?version=15.0}: the target's dialect and version, names unqualified as the user wrote them. */
    private Database offlineDatabase(ResourceAccessor accessor) throws DatabaseException {
        String shortName = Dialects.offline(target).name(); // Liquibase's short names are the dialects' names
        int n = version.number();
        boolean twoPartPostgres = shortName.equals("postgresql") && n >= 100_000;
        String written = n / 10_000 + "." + (twoPartPostgres ? n % 10_000 : n / 100 % 100);
        OfflineConnection connection = new OfflineConnection("offline:" + shortName + "?version=" + written, accessor);
        Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(connection);
        // Liquibase prefixes its default schema when it knows one; offline it is a guess, so leave names as written
        database.setOutputDefaultSchema(false);
        database.setOutputDefaultCatalog(false);
        return database;
    }

    /** Runs each changeset Liquibase would run, in its order, keeping what it sends. */
    private final class Visitor implements ChangeSetVisitor {

        private final Capture capture;
        private final ResourceAccessor accessor;

        Visitor(Capture capture, ResourceAccessor accessor) {
            this.capture = capture;
            this.accessor = accessor;
        }

        @Override
        public Direction getDirection() {
            return Direction.FORWARD;
        }

        @Override
        public void visit(
                ChangeSet changeSet,
                DatabaseChangeLog changeLog,
                Database database,
                Set<ChangeSetFilterResult> filterResults) {
            Path file = physicalFile(changeSet.getChangeLog(), accessor);
            for (DatabaseChangeLog c = changeSet.getChangeLog(); c != null; c = c.getParentChangeLog()) {
                Path reached = physicalFile(c, accessor);
                if (reached != null) {
                    files.add(reached);
                }
            }
            Path read = file == null ? root : file;
            ChangelogLines lines = positions.computeIfAbsent(read, ChangelogLines::of);
            Path shown = shown(read);
            String name = ChangelogLines.key(changeSet.getId(), changeSet.getAuthor());
            capture.start(changeSet, lines);
            try {
                // failOnError="false" makes Liquibase swallow the failure: its FAILED result is an error all the same
                if (changeSet.execute(changeLog, capture.listener, database) == ChangeSet.ExecType.FAILED) {
                    throw new UnexpectedLiquibaseException(changeSet.getErrorMsg());
                }
            } catch (Exception e) {
                errors.add(new InputError(
                        shown + " changeset " + name,
                        "not judged: Liquibase cannot generate its SQL offline: " + rootMessage(e)));
                return;
            }
            units.add(new ChangesetUnit(
                    shown,
                    name,
                    lines.changesetLine(changeSet.getId(), changeSet.getAuthor()),
                    changeSet.isRunInTransaction(),
                    capture.statements));
        }
    }

    /** A file as the reports show it: as the user wrote the root, relative to the working directory when they did. */
    private Path shown(Path file) {
        if (file.equals(root)) {
            return given;
        }
        Path cwd = Path.of("").toAbsolutePath();
        return !given.isAbsolute() && file.startsWith(cwd) ? cwd.relativize(file) : file;
    }

    /** The file on disk a changelog was read from, or null when Liquibase read it from elsewhere. */
    private static Path physicalFile(DatabaseChangeLog changeLog, ResourceAccessor accessor) {
        try {
            Resource resource = accessor.get(changeLog.getPhysicalFilePath());
            URI uri = resource.exists() ? resource.getUri() : null;
            return uri != null && "file".equals(uri.getScheme())
                    ? Path.of(uri).toAbsolutePath().normalize()
                    : null;
        } catch (Exception e) {
            return null;
        }
    }

    /**
     * Liquibase's SQL-output executor, keeping each statement with the line of its change instead of writing a script.
     * Being a {@link LoggingExecutor} is what tells Liquibase that nothing reaches a database (preconditions skipped).
     */
    private static final class Capture extends LoggingExecutor {

        private List<ChangesetUnit.Generated> statements = new ArrayList<>();
        private ChangelogLines lines;
        private int line = 1;
        private boolean findStatements;
        private int searchFrom = 1;
        private final AbstractChangeExecListener listener = new AbstractChangeExecListener() {
            @Override
            public void willRun(Change change, ChangeSet changeSet, DatabaseChangeLog changeLog, Database database) {
                if (change.generateStatementsVolatile(database)) {
                    // its SQL depends on the live schema (dropAllForeignKeyConstraints…): offline it would be empty or
                    // wrong
                    throw new UnexpectedLiquibaseException(
                            change.getSerializedObjectName() + " reads the live schema to generate its SQL");
                }
                int index = changeSet.getChanges().indexOf(change);
                line = lines.changeLine(
                        changeSet.getId(), changeSet.getAuthor(), index, change.getSerializedObjectName());
                // a sql change's statements (and formatted SQL's) are in this file: point at each one
                findStatements = change instanceof AbstractSQLChange && !(change instanceof SQLFileChange);
                searchFrom = line;
            }
        };

        Capture(Database database) {
            super(null, Writer.nullWriter(), database);
        }

        void start(ChangeSet changeSet, ChangelogLines lines) {
            this.lines = lines;
            this.statements = new ArrayList<>();
            this.line = lines.changesetLine(changeSet.getId(), changeSet.getAuthor());
        }

        @Override
        public void execute(SqlStatement statement) throws DatabaseException {
            execute(statement, List.of());
        }

        @Override
        public void execute(SqlStatement statement, List<SqlVisitor> visitors) throws DatabaseException {
            if (SqlGeneratorFactory.getInstance().generateStatementsVolatile(statement, database)) {
                throw new DatabaseException(
                        statement.getClass().getSimpleName() + " needs the live database's metadata");
            }
            for (String sql : applyVisitors(statement, visitors)) {
                if (sql == null || sql.isBlank() || liquibaseOwn(sql)) {
                    continue;
                }
                int at = line;
                if (findStatements) {
                    at = lines.lineOf(sql, searchFrom);
                    searchFrom = at;
                }
                statements.add(new ChangesetUnit.Generated(sql, at));
            }
        }

        @Override
        public int update(SqlStatement statement) throws DatabaseException {
            execute(statement);
            return 0;
        }

        @Override
        public int update(SqlStatement statement, List<SqlVisitor> visitors) throws DatabaseException {
            execute(statement, visitors);
            return 0;
        }

        @Override
        public void comment(String message) {
            // update-sql writes the changeset's name and comments; the findings carry them instead
        }

        /** Liquibase's own bookkeeping (a tagDatabase change updates DATABASECHANGELOG): not the user's migration. */
        private boolean liquibaseOwn(String sql) {
            String tables = Pattern.quote(database.getDatabaseChangeLogTableName()) + "|"
                    + Pattern.quote(database.getDatabaseChangeLogLockTableName());
            return Pattern.compile(
                            "(?is)\\s*(UPDATE|INSERT\\s+INTO|DELETE\\s+FROM|CREATE\\s+TABLE|LOCK\\s+TABLE)\\s+(\\S+\\.)?[\"`]?("
                                    + tables + ")[\"`]?(\\s|\\(|$).*")
                    .matcher(sql)
                    .matches();
        }
    }

    /** The innermost message: "Migration failed for changeset …" around it says nothing the error's path does not. */
    private static String rootMessage(Throwable e) {
        String m = null;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            m = t.getMessage() != null ? t.getMessage().strip() : m;
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }

    /** Liquibase's own message for what it could not read (it names the file and the line), else the innermost one. */
    private static String message(Throwable e) {
        return e.getMessage() != null ? e.getMessage().strip() : rootMessage(e);
    }
}
