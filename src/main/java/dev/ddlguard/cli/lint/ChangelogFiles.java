package dev.ddlguard.cli.lint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Tells a Liquibase changelog (XML, YAML or JSON) from the other files of a project, without Liquibase: an XML file
 * whose root element is {@code databaseChangeLog}, a YAML or JSON file with a top-level {@code databaseChangeLog}
 * key. A pom.xml or an application.yml beside the migrations is not one.
 */
final class ChangelogFiles {

    private static final Pattern YAML_ROOT = Pattern.compile("(?m)^databaseChangeLog\\s*:");
    private static final Pattern JSON_ROOT = Pattern.compile("\\A\\s*\\{\\s*\"databaseChangeLog\"\\s*:");

    private ChangelogFiles() {}

    /** Whether the name is one Liquibase reads as a changelog of changes (not SQL). */
    static boolean hasChangelogExtension(Path file) {
        String name =
                file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".xml") || name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
    }

    /** Whether the file is a Liquibase changelog; unreadable or malformed files are not (they are not linted). */
    static boolean isChangelog(Path file) {
        if (!hasChangelogExtension(file) || !Files.isRegularFile(file)) {
            return false;
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        try {
            if (name.endsWith(".xml")) {
                return xmlRootIsChangelog(file);
            }
            // decoded leniently, a byte-order mark dropped: Liquibase reads such files (Windows editors write them)
            String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            if (text.startsWith("\uFEFF")) {
                text = text.substring(1);
            }
            return name.endsWith(".json")
                    ? JSON_ROOT.matcher(text).find()
                    : YAML_ROOT.matcher(text).find();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean xmlRootIsChangelog(Path file) throws IOException {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        // only the root element's name is read: no DTD, no external entity is ever resolved
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        // from bytes: the parser reads the byte-order mark and the declared encoding (ISO-8859-1, say) as Liquibase
        // does
        try (InputStream in = Files.newInputStream(file)) {
            XMLStreamReader xml = factory.createXMLStreamReader(in);
            try {
                while (xml.hasNext()) {
                    if (xml.next() == XMLStreamReader.START_ELEMENT) {
                        return xml.getLocalName().equals("databaseChangeLog");
                    }
                }
                return false;
            } finally {
                xml.close();
            }
        } catch (XMLStreamException e) {
            return false;
        }
    }
}
