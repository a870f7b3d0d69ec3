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
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
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
import net.sf.jsqlparser.statement.alter.AlterSystemStatement;
import net.sf.jsqlparser.statement.alter.RenameTableStatement;
import net.sf.jsqlparser.statement.alter.sequence.AlterSequence;
import net.sf.jsqlparser.statement.comment.Comment;
import net.sf.jsqlparser.statement.create.function.CreateFunction;
import net.sf.jsqlparser.statement.create.index.CreateIndex;
import net.sf.jsqlparser.statement.create.procedure.CreateProcedure;
import net.sf.jsqlparser.statement.create.schema.CreateSchema;
import net.sf.jsqlparser.statement.create.sequence.CreateSequence;
import net.sf.jsqlparser.statement.create.table.CheckConstraint;
import net.sf.jsqlparser.statement.create.table.CreateTable;
import net.sf.jsqlparser.statement.create.table.ExcludeConstraint;
import net.sf.jsqlparser.statement.create.table.ForeignKeyIndex;
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
 * TABLE}, {@code DROP INDEX}, … or "not DDL"), on the objects it works on (the created, altered or dropped
 * names; for CREATE INDEX the table it is on and the index), on the modifiers both report, and on each ALTER
 * TABLE action (kind, column, constraint kind, new name). Names are normalised as PostgreSQL folds them:
 * unquoted parts lower-case, quoted parts as written, a schema only where the text names one.
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

    private static final AtomicInteger TIMED_OUT = new AtomicInteger();

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
                        observed.add(folder + "/" + file.getFileName() + ":" + codeLine(text) + " | ours " + ours
                                + " | JSqlParser " + theirs);
                    }
                }
            }
        }
        System.out.printf(
                "JSqlParser oracle: %d statements, %d parsed by JSqlParser and compared (%d DDL by our reading),"
                        + " %d disagreements (%d listed as ours, %d as JSqlParser's); %d parses timed out%n",
                statements,
                compared,
                ddl,
                observed.size(),
                known.values().stream().filter(e -> e.startsWith("ours:")).count(),
                known.values().stream().filter(e -> e.startsWith("JSqlParser:")).count(),
                TIMED_OUT.get());

        assertThat(compared).as("statements JSqlParser parsed").isGreaterThan(statements / 2);
        assertThat(known.values())
                .as("every listed disagreement says whose error it is")
                .allMatch(e -> e.startsWith("ours: ") || e.startsWith("JSqlParser: "));
        List<String> unlisted =
                observed.stream().filter(d -> !known.containsKey(d)).toList();
        List<String> gone =
                known.keySet().stream().filter(d -> !observed.contains(d)).toList();
        assertThat(unlisted)
                .as("disagreements not in %s (explain each there, or fix ours)", KNOWN)
                .isEmpty();
        assertThat(gone)
                .as("listed disagreements that no longer occur (take them off %s)", KNOWN)
                .isEmpty();
    }

    /** What a statement does, as one parser reads it: kind, normalised object names, ALTER TABLE actions, compared modifiers. */
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
            return kind
                    + (flags.isEmpty() ? "" : " " + flags)
                    + (objects.isEmpty() ? "" : " " + objects)
                    + (actions.isEmpty() ? "" : " " + actions);
        }
    }

    /** The modifiers compared, for the kinds where JSqlParser reports them. */
    private static Set<String> comparedFlags(String kind) {
        return switch (kind) {
            case "CREATE TABLE" -> Set.of("IF_NOT_EXISTS", "TEMPORARY", "AS_SELECT");
            case "CREATE INDEX" -> Set.of("IF_NOT_EXISTS", "UNIQUE");
            case "CREATE VIEW" -> Set.of("OR_REPLACE");
            case "TRUNCATE TABLE" -> Set.of("CASCADE", "ONLY");
            case "REFRESH MATERIALIZED VIEW" -> Set.of("CONCURRENTLY");
            default -> kind.startsWith("DROP ") ? Set.of("IF_EXISTS", "CASCADE") : Set.of();
        };
    }

    /** Our reading: verb and object type, and the objects the rules work on. */
    static Reading ours(DdlStatement ddl) {
        if (ddl == null) {
            return Reading.NOT_DDL;
        }
        String kind = ddl.objectType() == null ? ddl.verb().name() : ddl.verb().name() + " " + ddl.objectType();
        List<QualifiedName> objects = switch (kind) {
            case "CREATE INDEX" ->
                Stream.concat(Stream.ofNullable(ddl.table()), ddl.names().stream())
                        .toList(); // table, index
            case "ALTER TABLE" -> ddl.table() == null ? ddl.names() : List.of(ddl.table());
            default -> comparesObjects(ddl.verb(), kind) ? ddl.names() : List.of();
        };
        Set<String> flags = ddl.flags().stream()
                .map(Enum::name)
                .filter(comparedFlags(kind)::contains)
                .collect(Collectors.toSet());
        return new Reading(
                        kind,
                        objects.stream().map(JSqlParserOracleTest::normalise).toList(),
                        ddl.actions().stream().map(JSqlParserOracleTest::action).toList())
                .withFlags(flags);
    }

    /**
     * An ALTER TABLE action as the rules see it: its kind, the column it acts on, the kind of constraint added,
     * the new name of a rename. Kinds the two parsers do not both tell apart (tablespace, logged, partitions,
     * storage options) are OTHER, with the column when there is one.
     */
    private static String action(AlterAction a) {
        String column = a.column() == null ? null : fold(a.column());
        return switch (a.kind()) {
            case ADD_COLUMN, DROP_COLUMN, ALTER_COLUMN_TYPE, SET_NOT_NULL, DROP_NOT_NULL, SET_DEFAULT, DROP_DEFAULT ->
                a.kind() + " " + column;
            case ADD_CONSTRAINT -> "ADD_CONSTRAINT " + a.constraint();
            case DROP_CONSTRAINT, VALIDATE_CONSTRAINT -> a.kind().name();
            case RENAME_COLUMN -> "RENAME_COLUMN " + column + " TO " + (a.newName() == null ? null : fold(a.newName()));
            case RENAME_TABLE -> "RENAME_TABLE TO " + (a.newName() == null ? null : fold(a.newName()));
            case OTHER -> column == null ? "OTHER" : "OTHER " + column; // ALTER COLUMN c SET STORAGE …
            default -> "OTHER"; // tablespace, logged, partitions, options
        };
    }

    /** JSqlParser's ALTER TABLE actions in the same terms. */
    private static List<String> actions(Alter alter) {
        List<String> actions = new ArrayList<>();
        for (AlterExpression e :
                alter.getAlterExpressions() == null ? List.<AlterExpression>of() : alter.getAlterExpressions()) {
            int before = actions.size();
            switch (e.getOperation()) {
                case ADD -> {
                    if (e.getColDataTypeList() != null) {
                        e.getColDataTypeList()
                                .forEach(c -> actions.add("ADD_COLUMN " + normaliseSql(c.getColumnName())));
                    } else if (e.getIndex() instanceof CheckConstraint) {
                        actions.add("ADD_CONSTRAINT CHECK");
                    } else if (e.getIndex() instanceof ExcludeConstraint) {
                        actions.add("ADD_CONSTRAINT EXCLUDE");
                    } else if (e.getIndex() instanceof ForeignKeyIndex || e.getFkColumns() != null) {
                        actions.add("ADD_CONSTRAINT FOREIGN KEY");
                    } else if (e.getPkColumns() != null) {
                        actions.add("ADD_CONSTRAINT PRIMARY KEY");
                    } else if (e.getUkColumns() != null) {
                        actions.add("ADD_CONSTRAINT UNIQUE");
                    } else if (e.getIndex() != null && e.getIndex().getType() != null) {
                        actions.add("ADD_CONSTRAINT " + e.getIndex().getType().toUpperCase(Locale.ROOT));
                    }
                }
                case ALTER -> {
                    if (e.getColDataTypeList() != null) {
                        e.getColDataTypeList().forEach(c -> actions.add(alterColumn(c)));
                    }
                    if (e.getColumnSetDefaultList() != null) {
                        e.getColumnSetDefaultList()
                                .forEach(c -> actions.add("SET_DEFAULT " + normaliseSql(c.getColumnName())));
                    }
                    if (e.getColumnDropDefaultList() != null) {
                        e.getColumnDropDefaultList()
                                .forEach(c -> actions.add("DROP_DEFAULT " + normaliseSql(c.getColumnName())));
                    }
                    if (e.getColumnDropNotNullList() != null) {
                        e.getColumnDropNotNullList()
                                .forEach(c -> actions.add("DROP_NOT_NULL " + normaliseSql(c.getColumnName())));
                    }
                }
                case DROP ->
                    actions.add(
                            e.getColumnName() != null
                                    ? "DROP_COLUMN " + normaliseSql(e.getColumnName())
                                    : e.getConstraintName() != null ? "DROP_CONSTRAINT" : "OTHER");
                case RENAME ->
                    actions.add("RENAME_COLUMN " + normaliseSql(e.getColumnOldName()) + " TO "
                            + normaliseSql(e.getColumnName()));
                case RENAME_TABLE -> actions.add("RENAME_TABLE TO " + normaliseSql(e.getNewTableName()));
                case UNSPECIFIC ->
                    actions.add(
                            e.getOptionalSpecifier() != null
                                            && e.getOptionalSpecifier()
                                                    .toUpperCase(Locale.ROOT)
                                                    .startsWith("VALIDATE CONSTRAINT")
                                    ? "VALIDATE_CONSTRAINT"
                                    : "OTHER");
                default -> {}
            }
            if (actions.size() == before) {
                actions.add("OTHER");
            }
        }
        return actions;
    }

    /** {@code ALTER [COLUMN] c …} as JSqlParser keeps it: the column and the rest of the clause as text. */
    private static String alterColumn(AlterExpression.ColumnDataType c) {
        String column = normaliseSql(c.getColumnName());
        String clause =
                c.toString().substring(c.getColumnName().length()).strip().toUpperCase(Locale.ROOT);
        return clause.startsWith("SET NOT NULL")
                ? "SET_NOT_NULL " + column
                : clause.startsWith("DROP NOT NULL")
                        ? "DROP_NOT_NULL " + column
                        : clause.startsWith("TYPE ") || clause.startsWith("SET DATA TYPE ")
                                ? "ALTER_COLUMN_TYPE " + column
                                : "OTHER " + column;
    }

    /** Kinds whose objects both readings name comparably; for the others (COMMENT, GRANT, functions) the kind is compared. */
    private static boolean comparesObjects(Verb verb, String kind) {
        return verb == Verb.DROP
                || verb == Verb.TRUNCATE
                || verb == Verb.REFRESH
                || Set.of(
                                "CREATE TABLE",
                                "CREATE VIEW",
                                "CREATE MATERIALIZED VIEW",
                                "CREATE SEQUENCE",
                                "CREATE SCHEMA",
                                "ALTER VIEW",
                                "ALTER SEQUENCE")
                        .contains(kind);
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
            if (t.getSelect() != null) {
                flags.add("AS_SELECT");
            }
            return reading("CREATE TABLE", t.getTable()).withFlags(flags);
        }
        if (s instanceof CreateIndex i) {
            Set<String> flags = new TreeSet<>();
            if (i.isUsingIfNotExists()) {
                flags.add("IF_NOT_EXISTS");
            }
            if (i.getIndex() != null
                    && i.getIndex().getType() != null
                    && i.getIndex().getType().toUpperCase(Locale.ROOT).contains("UNIQUE")) {
                flags.add("UNIQUE");
            }
            List<String> objects = new ArrayList<>(List.of(normalise(i.getTable())));
            if (i.getIndex() != null && i.getIndex().getName() != null) {
                objects.add(normaliseSql(i.getIndex().getName()));
            }
            return new Reading("CREATE INDEX", objects).withFlags(flags);
        }
        if (s instanceof Alter a) {
            return new Reading("ALTER TABLE", List.of(normalise(a.getTable())), actions(a));
        }
        if (s instanceof RenameTableStatement r) {
            var pair = r.getTableNames().iterator().next();
            return new Reading(
                    "ALTER TABLE",
                    List.of(normalise(pair.getKey())),
                    List.of("RENAME_TABLE TO " + normaliseSql(pair.getValue().getName())));
        }
        if (s instanceof Drop d) {
            String kind = "DROP " + d.getType().toUpperCase(Locale.ROOT);
            Reading r = comparesObjects(Verb.DROP, kind) ? reading(kind, d.getName()) : new Reading(kind, List.of());
            Set<String> flags = new TreeSet<>();
            if (d.isIfExists()) {
                flags.add("IF_EXISTS");
            }
            if (d.getParameters() != null && d.getParameters().stream().anyMatch(p -> p.equalsIgnoreCase("CASCADE"))) {
                flags.add("CASCADE");
            }
            return r.withFlags(flags);
        }
        if (s instanceof Truncate t) {
            List<Table> tables =
                    t.getTables() != null && !t.getTables().isEmpty() ? t.getTables() : List.of(t.getTable());
            Set<String> flags = new TreeSet<>();
            if (t.getCascade()) {
                flags.add("CASCADE");
            }
            if (t.isOnly()) {
                flags.add("ONLY");
            }
            return new Reading(
                            "TRUNCATE TABLE",
                            tables.stream().map(JSqlParserOracleTest::normalise).toList())
                    .withFlags(flags);
        }
        if (s instanceof CreateView v) {
            return reading(v.isMaterialized() ? "CREATE MATERIALIZED VIEW" : "CREATE VIEW", v.getView())
                    .withFlags(v.isOrReplace() ? Set.of("OR_REPLACE") : Set.of());
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
            return reading("REFRESH MATERIALIZED VIEW", r.getView())
                    .withFlags(r.isConcurrently() ? Set.of("CONCURRENTLY") : Set.of());
        }
        if (s instanceof CreateFunction) {
            return new Reading("CREATE FUNCTION", List.of());
        }
        if (s instanceof CreateProcedure) {
            return new Reading("CREATE PROCEDURE", List.of());
        }
        if (s instanceof Comment c) {
            return new Reading(
                    c.getColumn() != null ? "COMMENT COLUMN" : c.getView() != null ? "COMMENT VIEW" : "COMMENT TABLE",
                    List.of());
        }
        if (s instanceof Grant) {
            return new Reading("GRANT", List.of());
        }
        if (s instanceof AlterSystemStatement) {
            return new Reading("ALTER SYSTEM", List.of());
        }
        if (s instanceof PlainSelect p
                && p.getIntoTables() != null
                && !p.getIntoTables().isEmpty()) {
            // PostgreSQL's SELECT … INTO creates a table (temporary with INTO TEMP, which JSqlParser does not keep)
            return reading("CREATE TABLE", p.getIntoTables().get(0)).withFlags(Set.of("AS_SELECT"));
        }
        if (s instanceof Select) {
            return Reading.NOT_DDL;
        }
        String name = s.getClass().getSimpleName();
        // Statements that change rows or the session, not the schema.
        return Set.of(
                                "Insert",
                                "Update",
                                "Delete",
                                "Merge",
                                "SetStatement",
                                "ResetStatement",
                                "Analyze",
                                "Execute",
                                "ExplainStatement",
                                "Commit",
                                "RollbackStatement",
                                "SavepointStatement",
                                "DeclareStatement",
                                "ShowStatement",
                                "UseStatement")
                        .contains(name)
                ? Reading.NOT_DDL
                : new Reading("JSqlParser:" + name, List.of());
    }

    private static Reading reading(String kind, Table table) {
        return new Reading(kind, table == null ? List.of() : List.of(normalise(table)));
    }

    /** The line the statement's code starts on (after the comments that belong to it). */
    private static int codeLine(StatementText text) {
        return text.tokens().stream()
                .filter(t -> !t.isComment())
                .findFirst()
                .map(Token::line)
                .orElse(text.line());
    }

    /** JSqlParser's parse, or null when it fails, times out or only skims the text (an "unsupported" statement). */
    private static Statement parse(String code) {
        try {
            Statement s = CCJSqlParserUtil.parse(code, parser -> parser.withTimeOut(PARSE_TIMEOUT_MS));
            return s instanceof UnsupportedStatement ? null : s;
        } catch (JSQLParserException e) {
            if (e.getCause() instanceof TimeoutException) {
                TIMED_OUT.incrementAndGet();
            }
            return null;
        } catch (RuntimeException | StackOverflowError e) {
            return null;
        }
    }

    private static String fold(Identifier part) {
        return part.quoted() ? part.text() : part.text().toLowerCase(Locale.ROOT);
    }

    private static String normalise(QualifiedName name) {
        return name.parts().stream()
                .map(p -> p.quoted() ? p.text() : p.text().toLowerCase(Locale.ROOT))
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
                assertThat(last)
                        .as("a listed disagreement ends with ' | explanation': %s", line)
                        .isPositive();
                known.put(
                        line.substring(0, last).strip(),
                        line.substring(last + 3).strip());
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
