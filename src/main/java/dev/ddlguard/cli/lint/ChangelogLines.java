package dev.ddlguard.cli.lint;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Where each changeset and each of its changes is written in a changelog file, for the findings' positions:
 * Liquibase's parsed changelog keeps no line numbers. XML is read with the JDK's StAX reader, YAML and JSON with
 * SnakeYAML's node tree (the parser Liquibase itself reads them with, so it comes with liquibase-core), formatted
 * SQL by its {@code --changeset author:id} lines.
 */
final class ChangelogLines {

    /** The children of an XML changeSet that are not changes (Liquibase's own list, XMLChangeLogSAXParser / ChangeSet). */
    private static final Set<String> NOT_CHANGES =
            Set.of("comment", "preConditions", "validCheckSum", "rollback", "modifySql");

    /**
     * A changeset's place: its own line, and the name and line of each change in the order written.
     */
    record Changeset(int line, List<String> changeNames, List<Integer> changeLines) {}

    private final List<String> lines;
    private final Map<String, Changeset> changesets;

    private ChangelogLines(List<String> lines, Map<String, Changeset> changesets) {
        this.lines = lines;
        this.changesets = changesets;
    }

    /** Reads a changelog file; a file it cannot read gives no positions (line 1 everywhere), never an error. */
    static ChangelogLines of(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return new ChangelogLines(List.of(), Map.of());
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        Map<String, Changeset> found = new HashMap<>();
        try {
            if (name.endsWith(".xml")) {
                xml(text, found);
            } else if (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json")) {
                yaml(text, found);
            } else {
                formattedSql(text, found);
            }
        } catch (XMLStreamException | RuntimeException e) {
            // Liquibase parsed it, so this cannot be malformed in practice; positions are a courtesy, not a verdict
        }
        return new ChangelogLines(text.lines().toList(), found);
    }

    static String key(String id, String author) {
        return LiquibaseScript.key(id, author);
    }

    /** The changeset's line, or 1 when unknown. */
    int changesetLine(String id, String author) {
        Changeset c = changesets.get(key(id, author));
        return c == null ? 1 : c.line();
    }

    /**
     * The line of the {@code index}-th change of the changeset, when it is the change named so (else the changeset's line).
     */
    int changeLine(String id, String author, int index, String changeName) {
        Changeset c = changesets.get(key(id, author));
        if (c == null) {
            return 1;
        }
        if (index < c.changeLines().size() && c.changeNames().get(index).equals(changeName)) {
            return c.changeLines().get(index);
        }
        return c.line();
    }

    /**
     * The first line at or after {@code from} that holds the first line of {@code sql} (trimmed), or {@code from} when
     * none does: a {@code sql} change's statements are found where they are written.
     */
    int lineOf(String sql, int from) {
        String first = sql.strip().lines().findFirst().orElse("").strip();
        if (first.isEmpty()) {
            return from;
        }
        for (int i = Math.max(from, 1); i <= lines.size(); i++) {
            if (lines.get(i - 1).contains(first)) {
                return i;
            }
        }
        return from;
    }

    // ---- XML

    private static void xml(String text, Map<String, Changeset> found) throws XMLStreamException {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        int[] lineStarts = lineStarts(text);
        XMLStreamReader xml = factory.createXMLStreamReader(new StringReader(text));
        int depth = 0;
        int changeSetDepth = -1;
        String key = null;
        int line = 0;
        List<String> names = null;
        List<Integer> changeLines = null;
        while (xml.hasNext()) {
            int event = xml.next();
            if (event == XMLStreamReader.START_ELEMENT) {
                depth++;
                String local = xml.getLocalName();
                if (changeSetDepth < 0 && local.equals("changeSet")) {
                    changeSetDepth = depth;
                    key = key(xml.getAttributeValue(null, "id"), xml.getAttributeValue(null, "author"));
                    line = tagLine(text, lineStarts, xml);
                    names = new ArrayList<>();
                    changeLines = new ArrayList<>();
                } else if (changeSetDepth > 0 && depth == changeSetDepth + 1 && !NOT_CHANGES.contains(local)) {
                    names.add(local);
                    changeLines.add(tagLine(text, lineStarts, xml));
                }
            } else if (event == XMLStreamReader.END_ELEMENT) {
                if (depth == changeSetDepth) {
                    found.putIfAbsent(key, new Changeset(line, names, changeLines));
                    changeSetDepth = -1;
                }
                depth--;
            }
        }
        xml.close();
    }

    /** The line the start tag begins on: StAX reports where it ends, so look back for {@code <name}. */
    private static int tagLine(String text, int[] lineStarts, XMLStreamReader xml) {
        int endLine = xml.getLocation().getLineNumber();
        int column = xml.getLocation().getColumnNumber();
        if (endLine < 1 || endLine > lineStarts.length) {
            return Math.max(endLine, 1);
        }
        int end = Math.min(text.length(), lineStarts[endLine - 1] + Math.max(column - 1, 0));
        String prefix = xml.getPrefix();
        String open = "<" + (prefix == null || prefix.isEmpty() ? "" : prefix + ":") + xml.getLocalName();
        int at = text.lastIndexOf(open, Math.max(end - 1, 0));
        if (at < 0) {
            return endLine;
        }
        int line = Arrays.binarySearch(lineStarts, at);
        return line >= 0 ? line + 1 : -line - 1;
    }

    private static int[] lineStarts(String text) {
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                starts.add(i + 1);
            }
        }
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    // ---- YAML and JSON

    private static void yaml(String text, Map<String, Changeset> found) {
        Node root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
        Node log = value(root, "databaseChangeLog");
        if (!(log instanceof SequenceNode entries)) {
            return;
        }
        for (Node entry : entries.getValue()) {
            if (!(entry instanceof MappingNode m)) {
                continue;
            }
            for (NodeTuple t : m.getValue()) {
                if (!"changeSet".equals(scalar(t.getKeyNode()))
                        || !(t.getValueNode() instanceof MappingNode changeSet)) {
                    continue;
                }
                List<String> names = new ArrayList<>();
                List<Integer> changeLines = new ArrayList<>();
                if (value(changeSet, "changes") instanceof SequenceNode changes) {
                    for (Node change : changes.getValue()) {
                        if (change instanceof MappingNode c && !c.getValue().isEmpty()) {
                            Node name = c.getValue().get(0).getKeyNode();
                            names.add(scalar(name));
                            changeLines.add(name.getStartMark().getLine() + 1);
                        }
                    }
                }
                found.putIfAbsent(
                        key(scalar(value(changeSet, "id")), scalar(value(changeSet, "author"))),
                        new Changeset(t.getKeyNode().getStartMark().getLine() + 1, names, changeLines));
            }
        }
    }

    private static Node value(Node mapping, String key) {
        if (mapping instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                if (key.equals(scalar(t.getKeyNode()))) {
                    return t.getValueNode();
                }
            }
        }
        return null;
    }

    private static String scalar(Node node) {
        return node instanceof ScalarNode s ? s.getValue() : null;
    }

    // ---- formatted SQL

    private static void formattedSql(String text, Map<String, Changeset> found) {
        int lineNo = 0;
        for (String line : (Iterable<String>) text.lines()::iterator) {
            lineNo++;
            String name = LiquibaseScript.name(line);
            if (name != null) {
                found.putIfAbsent(name, new Changeset(lineNo, List.of(), List.of()));
            }
        }
    }
}
