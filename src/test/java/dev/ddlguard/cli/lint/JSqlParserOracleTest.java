package dev.ddlguard.cli.lint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddlguard.sql.AlterAction;
import dev.ddlguard.sql.DdlClassifier;
import dev.ddlguard.sql.DdlStatement;
import dev.ddlguard.sql.Identifier;
import dev.ddlguard.sql.QualifiedName;
import dev.ddlguard.sql.SqlSyntax;
import dev.ddlguard.sql.StatementSplitter;
import dev.ddlguard.sql.StatementText;
import dev.ddlguard.sql.Token;
import dev.ddlguard.sql.Verb;
import dev.ddlguard.support.Corpus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.schema.Sequence;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.UnsupportedStatement;
import net.sf.jsqlparser.statement.alter.Alter;
import net.sf.jsqlparser.statement.alter.AlterExpression;
import net.sf.jsqlparser.statement.alter.AlterOperation;
import net.sf.jsqlparser.statement.alter.AlterSystemStatement;
import net.sf.jsqlparser.statement.alter.RenameTableStatement;
import net.sf.jsqlparser.statement.alter.sequence.AlterSequence;
import net.sf.jsqlparser.statement.comment.Comment;
import net.sf.jsqlparser.statement.create.function.CreateFunction;
import net.sf.jsqlparser.statement.create.index.CreateIndex;
import net.sf.jsqlparser.statement.create.procedure.CreateProcedure;
import net.sf.jsqlparser.statement.create.schema.CreateSchema;
import net.sf.jsqlparser.statement.create.sequence.CreateSequence;
import net.sf.jsqlparser.statement.create.table.CreateTable;
import net.sf.jsqlparser.statement.create.view.AlterView;
import net.sf.jsqlparser.statement.create.view.CreateView;
import net.sf.jsqlparser.statement.drop.Drop;
import net.sf.jsqlparser.statement.grant.Grant;
import net.sf.jsqlparser.statement.refresh.RefreshMaterializedViewStatement;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.truncate.Truncate;
import org.junit.jupiter.api.Test;

/**
 * A differential oracle for the classifier (issue 18): every corpus statement is read by our splitter and
 * {@link DdlClassifier} the way the linter reads a script, and parsed by JSqlParser 5.3, an independent
 * parser. For each statement JSqlParser parses, the two must agree on the statement kind ({@code CREATE
 * TABLE}, {@code DROP INDEX}, … or "not DDL") and on the objects it works on (the created, altered or dropped
 * names; for CREATE INDEX the table it is on), normalised as PostgreSQL folds them: unquoted parts lower-case,
 * quoted parts as written, a schema only where the text names one.
 *
 * <p>Where they disagree, the statement is listed in {@code oracle/jsqlparser-disagreements.txt} with both
 * readings and whose error it is ("JSqlParser: …" or "ours: …"). The test fails on a disagreement that is not
 * listed (a regression of ours, or a new corpus file to look at) and on a listed one that no longer occurs
 * (fixed: take it off the list). Statements JSqlParser cannot parse are not compared.
 */
class JSqlParserOracleTest {

    private static final String KNOWN = "/oracle/jsqlparser-disagreements.txt";

    /** JSqlParser backtracks on some input for seconds; a statement it cannot parse in this time is not compared. */
    private static final long PARSE_TIMEOUT_MS = 2_000;

    private static final SqlSyntax SYNTAX = SqlSyntax.POSTGRESQL;

    @Test
    void classifierAgreesWithJSqlParserOnTheCorpus() throws IOException {
        Path root = Corpus.require();
        Map<String, String> known = knownDisagreements();
        Set<String> observed = new LinkedHashSet<>();
        int statements = 0;
        int compared = 0;
        int ddl = 0;
        for (String folder : List.of("pg-migrations", "pg-regress")) {
            for (Path file : sqlFiles(root.resolve(folder))) {
                String script = PsqlScript.neutralize(Files.readString(file, StandardCharsets.UTF_8));
                for (StatementText text : StatementSplitter.split(script, SYNTAX)) {
                    statements++;
                    String code = text.source().substring(text.codeStart(), text.codeEnd());
                    Statement parsed = parse(code);
                    if (parsed == null) {
                        continue;
                    }
                    compared++;
                    Reading ours = ours(DdlClassifier.classify(text, SYNTAX));
                    Reading theirs = theirs(parsed);
                    if (!ours.kind().equals("none")) {
                        ddl++;
                    }
                    if (!ours.equals(theirs)) {
                        observed.add(folder + "/" + file.getFileName() + ":" + codeLine(text)
                                + " | ours " + ours + " | JSqlParser " + theirs);
                    }
                }
            }
        }
        System.out.printf("JSqlParser oracle: %d statements, %d parsed by JSqlParser and compared (%d DDL by our reading),"
                + " %d disagreements (%d ours, %d JSqlParser's)%n", statements, compared, ddl, observed.size(),
                known.values().stream().filter(e -> e.startsWith("ours:")).count(),
                known.values().stream().filter(e -> e.startsWith("JSqlParser:")).count());

        assertThat(compared).as("statements JSqlParser parsed").isGreaterThan(statements / 2);
        assertThat(known.values()).as("every listed disagreement says whose error it is")
                .allMatch(e -> e.startsWith("ours: ") || e.startsWith("JSqlParser: "));
        List<String> unlisted = observed.stream().filter(d -> !known.containsKey(d)).toList();
        List<String> gone = known.keySet().stream().filter(d -> !observed.contains(d)).toList();
        assertThat(unlisted).as("disagreements not in %s (explain each there, or fix ours)", KNOWN).isEmpty();
        assertThat(gone).as("listed disagreements that no longer occur (take them off %s)", KNOWN).isEmpty();
    }

    /** What a statement does, as one parser reads it: its kind and the normalised names of its objects. */
    record Reading(String kind, List<String> objects, List<String> actions, Set<String> flags) {

        static final Reading NOT_DDL = new Reading("none", List.of());

        Reading(String kind, List<String> objects) {
            this(kind, objects, List.of(), Set.of());
        }

        Reading(String kind, List<String> objects, List<String> actions) {
            this(kind, objects, actions, Set.of());
        }

        Reading withFlags(Set<String> flags) {
            return new Reading(kind, objects, actions, new TreeSet<>(flags));
        }

        @Override
        public String toString() {
            return kind + (flags.isEmpty() ? "" : " " + flags) + (objects.isEmpty() ? "" : " " + objects)
                    + (actions.isEmpty() ? "" : " " + actions);
        }
    }

    /** The modifiers compared, for the kinds where JSqlParser reports them. */
    private static Set<String> comparedFlags(String kind) {
        return kind.startsWith("DROP ") ? Set.of("IF_EXISTS")
                : kind.equals("CREATE TABLE") ? Set.of("IF_NOT_EXISTS", "TEMPORARY")
                : kind.equals("CREATE INDEX") ? Set.of("IF_NOT_EXISTS", "UNIQUE")
                : Set.of();
    }

    /** Our reading: verb and object type, and the objects the rules work on. */
    static Reading ours(DdlStatement ddl) {
        if (ddl == null) {
            return Reading.NOT_DDL;
        }
        String kind = ddl.objectType() == null ? ddl.verb().name() : ddl.verb().name() + " " + ddl.objectType();
        List<QualifiedName> objects = switch (kind) {
            case "CREATE INDEX" -> ddl.table() == null ? List.of() : List.of(ddl.table());
            case "ALTER TABLE" -> ddl.table() == null ? ddl.names() : List.of(ddl.table());
            default -> comparesObjects(ddl.verb(), kind) ? ddl.names() : List.of();
        };
        Set<String> flags = ddl.flags().stream().map(Enum::name).filter(comparedFlags(kind)::contains)
                .collect(Collectors.toSet());
        return new Reading(kind, objects.stream().map(JSqlParserOracleTest::normalise).toList(),
                ddl.actions().stream().map(JSqlParserOracleTest::action).toList()).withFlags(flags);
    }

    /** An ALTER TABLE action, coarsely: ADD, DROP, ALTER (of a column), RENAME or OTHER, with the column it acts on. */
    private static String action(AlterAction a) {
        String verb = switch (a.kind()) {
            case ADD_COLUMN, ADD_CONSTRAINT, ADD_INDEX -> "ADD";
            case DROP_COLUMN, DROP_CONSTRAINT, DROP_INDEX -> "DROP";
            case ALTER_COLUMN_TYPE, SET_NOT_NULL, DROP_NOT_NULL, SET_DEFAULT, DROP_DEFAULT -> "ALTER";
            case RENAME_COLUMN, RENAME_TABLE -> "RENAME";
            default -> "OTHER";
        };
        boolean onColumn = switch (a.kind()) {
            case ADD_COLUMN, DROP_COLUMN, ALTER_COLUMN_TYPE, SET_NOT_NULL, DROP_NOT_NULL, SET_DEFAULT, DROP_DEFAULT -> true;
            default -> false;
        };
        if (a.kind() == AlterAction.Kind.OTHER && a.column() != null) {
            return "ALTER " + normalise(new QualifiedName(List.of(a.column())));   // ALTER COLUMN c SET STORAGE …
        }
        return onColumn && a.column() != null ? verb + " " + normalise(new QualifiedName(List.of(a.column()))) : verb;
    }

    /** JSqlParser's ALTER TABLE actions in the same coarse terms. */
    private static List<String> actions(Alter alter) {
        List<String> actions = new ArrayList<>();
        for (AlterExpression e : alter.getAlterExpressions() == null ? List.<AlterExpression>of() : alter.getAlterExpressions()) {
            AlterOperation op = e.getOperation();
            String verb = switch (op) {
                case ADD -> "ADD";
                case ALTER, MODIFY, CHANGE -> "ALTER";
                case DROP, DROP_PRIMARY_KEY, DROP_UNIQUE, DROP_FOREIGN_KEY -> "DROP";
                case RENAME, RENAME_TABLE -> "RENAME";
                default -> "OTHER";
            };
            List<String> columns = new ArrayList<>();
            if (e.getColDataTypeList() != null) {
                e.getColDataTypeList().forEach(c -> columns.add(c.getColumnName()));
            }
            if (e.getColumnDropNotNullList() != null) {
                e.getColumnDropNotNullList().forEach(c -> columns.add(c.getColumnName()));
            }
            if (e.getColumnSetDefaultList() != null) {
                e.getColumnSetDefaultList().forEach(c -> columns.add(c.getColumnName()));
            }
            if (e.getColumnDropDefaultList() != null) {
                e.getColumnDropDefaultList().forEach(c -> columns.add(c.getColumnName()));
            }
            if (columns.isEmpty() && e.getColumnName() != null && op != AlterOperation.RENAME) {
                columns.add(e.getColumnName());
            }
            if (columns.isEmpty() || verb.equals("RENAME") || verb.equals("OTHER")) {
                actions.add(verb);
            } else {
                columns.forEach(c -> actions.add(verb + " " + normaliseSql(c)));
            }
        }
        return actions;
    }

    /** Kinds whose objects both readings name comparably; for the others (COMMENT, GRANT, functions) the kind is compared. */
    private static boolean comparesObjects(Verb verb, String kind) {
        return verb == Verb.DROP || verb == Verb.TRUNCATE || verb == Verb.REFRESH
                || Set.of("CREATE TABLE", "CREATE VIEW", "CREATE MATERIALIZED VIEW", "CREATE SEQUENCE", "CREATE SCHEMA",
                "ALTER VIEW", "ALTER SEQUENCE").contains(kind);
    }

    /** JSqlParser's reading, in the same terms. */
    static Reading theirs(Statement s) {
        if (s instanceof CreateTable t) {
            Set<String> flags = new TreeSet<>();
            if (t.isIfNotExists()) {
                flags.add("IF_NOT_EXISTS");
            }
            List<String> options = t.getCreateOptionsStrings() == null ? List.of() : t.getCreateOptionsStrings();
            if (options.stream().anyMatch(o -> o.equalsIgnoreCase("TEMP") || o.equalsIgnoreCase("TEMPORARY"))) {
                flags.add("TEMPORARY");
            }
            return reading("CREATE TABLE", t.getTable()).withFlags(flags);
        }
        if (s instanceof CreateIndex i) {
            Set<String> flags = new TreeSet<>();
            if (i.isUsingIfNotExists()) {
                flags.add("IF_NOT_EXISTS");
            }
            if (i.getIndex() != null && i.getIndex().getType() != null
                    && i.getIndex().getType().toUpperCase(Locale.ROOT).contains("UNIQUE")) {
                flags.add("UNIQUE");
            }
            return reading("CREATE INDEX", i.getTable()).withFlags(flags);
        }
        if (s instanceof Alter a) {
            return new Reading("ALTER TABLE", List.of(normalise(a.getTable())), actions(a));
        }
        if (s instanceof RenameTableStatement r) {
            return new Reading("ALTER TABLE", List.of(normalise(r.getTableNames().iterator().next().getKey())),
                    List.of("RENAME"));
        }
        if (s instanceof Drop d) {
            String kind = "DROP " + d.getType().toUpperCase(Locale.ROOT);
            Reading r = comparesObjects(Verb.DROP, kind) ? reading(kind, d.getName()) : new Reading(kind, List.of());
            return r.withFlags(d.isIfExists() ? Set.of("IF_EXISTS") : Set.of());
        }
        if (s instanceof Truncate t) {
            List<Table> tables = t.getTables() != null && !t.getTables().isEmpty() ? t.getTables() : List.of(t.getTable());
            return new Reading("TRUNCATE TABLE", tables.stream().map(JSqlParserOracleTest::normalise).toList());
        }
        if (s instanceof CreateView v) {
            return reading(v.isMaterialized() ? "CREATE MATERIALIZED VIEW" : "CREATE VIEW", v.getView());
        }
        if (s instanceof AlterView v) {
            return reading("ALTER VIEW", v.getView());
        }
        if (s instanceof CreateSequence c) {
            return new Reading("CREATE SEQUENCE", List.of(normalise(c.getSequence())));
        }
        if (s instanceof AlterSequence a) {
            return new Reading("ALTER SEQUENCE", List.of(normalise(a.getSequence())));
        }
        if (s instanceof CreateSchema c) {
            return new Reading("CREATE SCHEMA", List.of(normalisePart(c.getSchemaName())));
        }
        if (s instanceof RefreshMaterializedViewStatement r) {
            return reading("REFRESH MATERIALIZED VIEW", r.getView());
        }
        if (s instanceof CreateFunction) {
            return new Reading("CREATE FUNCTION", List.of());
        }
        if (s instanceof CreateProcedure) {
            return new Reading("CREATE PROCEDURE", List.of());
        }
        if (s instanceof Comment c) {
            return new Reading(c.getColumn() != null ? "COMMENT COLUMN" : c.getView() != null ? "COMMENT VIEW" : "COMMENT TABLE",
                    List.of());
        }
        if (s instanceof Grant) {
            return new Reading("GRANT", List.of());
        }
        if (s instanceof AlterSystemStatement) {
            return new Reading("ALTER SYSTEM", List.of());
        }
        if (s instanceof PlainSelect p && p.getIntoTables() != null && !p.getIntoTables().isEmpty()) {
            return reading("CREATE TABLE", p.getIntoTables().get(0));   // PostgreSQL's SELECT … INTO creates a table
        }
        if (s instanceof Select) {
            return Reading.NOT_DDL;
        }
        String name = s.getClass().getSimpleName();
        // Statements that change rows or the session, not the schema.
        return Set.of("Insert", "Update", "Delete", "Merge", "SetStatement", "ResetStatement", "Analyze", "Execute",
                "ExplainStatement", "Commit", "RollbackStatement", "SavepointStatement", "DeclareStatement", "ShowStatement",
                "UseStatement").contains(name) ? Reading.NOT_DDL : new Reading("JSqlParser:" + name, List.of());
    }

    private static Reading reading(String kind, Table table) {
        return new Reading(kind, table == null ? List.of() : List.of(normalise(table)));
    }

    /** The line the statement's code starts on (after the comments that belong to it). */
    private static int codeLine(StatementText text) {
        return text.tokens().stream().filter(t -> !t.isComment()).findFirst().map(Token::line).orElse(text.line());
    }

    /** JSqlParser's parse, or null when it fails, times out or only skims the text (an "unsupported" statement). */
    private static Statement parse(String code) {
        try {
            Statement s = CCJSqlParserUtil.parse(code, parser -> parser.withTimeOut(PARSE_TIMEOUT_MS));
            return s instanceof UnsupportedStatement ? null : s;
        } catch (JSQLParserException | RuntimeException | StackOverflowError e) {
            return null;
        }
    }

    private static String normalise(QualifiedName name) {
        return name.parts().stream().map(p -> p.quoted() ? p.text() : p.text().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining("."));
    }

    private static String normalise(Table table) {
        return normaliseSql(table.getFullyQualifiedName());
    }

    private static String normalise(Sequence sequence) {
        return normaliseSql(sequence.getFullyQualifiedName());
    }

    private static String normalisePart(String part) {
        return normaliseSql(part);
    }

    /** A dotted name as JSqlParser prints it ({@code "My".t}), read back with our own name reader and folded. */
    private static String normaliseSql(String sql) {
        QualifiedName name = sql == null ? null : QualifiedName.fromSql(sql);
        return name == null ? String.valueOf(sql) : normalise(name);
    }

    /** The listed disagreements: "file:line | ours … | JSqlParser …" to its explanation. */
    private static Map<String, String> knownDisagreements() throws IOException {
        Map<String, String> known = new LinkedHashMap<>();
        try (InputStream in = Objects.requireNonNull(JSqlParserOracleTest.class.getResourceAsStream(KNOWN), KNOWN)) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int last = line.lastIndexOf(" | ");
                assertThat(last).as("a listed disagreement ends with ' | explanation': %s", line).isPositive();
                known.put(line.substring(0, last).strip(), line.substring(last + 3).strip());
            }
        }
        return known;
    }

    private static List<Path> sqlFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(SqlFiles::isSql).sorted().toList();
        }
    }
}
