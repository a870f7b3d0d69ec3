package dev.ddlguard.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP relay between a JDBC driver and its server that counts round trips on the wire: the requests the
 * client waits for an answer to, read from the protocol's messages (PostgreSQL Sync and Query, MariaDB
 * commands), whatever JDBC call caused them (a query, a SAVEPOINT, pgjdbc's {@code getSchema()}). It keeps
 * the SQL of each, so a failing count can say what was sent. One relayed connection at a time.
 */
public final class RoundTripRelay implements AutoCloseable {

    private final ServerSocket listener;
    private final String host;
    private final int port;
    private final boolean postgres;
    private final List<String> sent = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private int count;
    private final List<Socket> sockets = new ArrayList<>();

    /** @param url a jdbc:postgresql:// or jdbc:mariadb:// URL naming host and port */
    public RoundTripRelay(String url) throws IOException {
        URI u = URI.create(url.substring("jdbc:".length()));
        this.host = u.getHost();
        this.postgres = url.startsWith("jdbc:postgresql:");
        this.port = u.getPort() > 0 ? u.getPort() : postgres ? 5432 : 3306;
        this.listener = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::accept, "relay-accept");
        accept.setDaemon(true);
        accept.start();
    }

    /** The URL with its host and port replaced by the relay's. */
    public String url(String url) {
        return url.replaceFirst("//[^/]+/", "//127.0.0.1:" + listener.getLocalPort() + "/");
    }

    /** Round trips since the last {@link #reset()}. */
    public synchronized int count() {
        return count;
    }

    /** What each round trip since the last reset sent (the SQL text, or the message type). */
    public synchronized List<String> sent() {
        return List.copyOf(sent);
    }

    public synchronized void reset() {
        count = 0;
        sent.clear();
    }

    private void accept() {
        while (!closed.get()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(host, port);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                synchronized (this) {
                    sockets.add(client);
                    sockets.add(server);
                }
                Parser parser = new Parser();
                pump(client.getInputStream(), server.getOutputStream(), parser);
                pump(server.getInputStream(), client.getOutputStream(), null);
            } catch (IOException e) {
                return;
            }
        }
    }

    /** @param parser the connection's parser of what the client sends; null for the server's side */
    private void pump(InputStream in, OutputStream out, Parser parser) {
        boolean fromClient = parser != null;
        Thread t = new Thread(
                () -> {
                    byte[] buffer = new byte[65536];
                    try {
                        int n;
                        while ((n = in.read(buffer)) > 0) {
                            if (fromClient) {
                                parser.clientSent(buffer, n);
                            }
                            out.write(buffer, 0, n);
                            out.flush();
                        }
                    } catch (IOException e) {
                        // connection closed
                    } finally {
                        try {
                            out.close();
                        } catch (IOException ignored) {
                            // closed already
                        }
                    }
                },
                fromClient ? "relay-up" : "relay-down");
        t.setDaemon(true);
        t.start();
    }

    /** One connection's client side, parsed into messages. */
    private final class Parser {

        /** Client bytes not yet parsed into whole messages. */
        private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();
        /** PostgreSQL: the first messages of a connection (SSL request, startup) carry no type byte. */
        private boolean untyped = true;
        /** PostgreSQL: the SQL of the current extended-protocol unit, until its Sync. */
        private String unitSql;

        /**
         * Counts requests the client waits for: PostgreSQL Sync and simple Query messages (pgjdbc pipelines a
         * BEGIN with the statement before one Sync: one round trip), MariaDB commands (packets with sequence 0).
         * Parsed from the byte stream, so how TCP splits the bytes changes nothing.
         */
        void clientSent(byte[] b, int n) {
            synchronized (RoundTripRelay.this) {
                parse(b, n);
            }
        }

        private void parse(byte[] b, int n) {
            pending.write(b, 0, n);
            byte[] all = pending.toByteArray();
            int at = 0;
            while (true) {
                int consumed = postgres ? postgresMessage(all, at) : mariadbPacket(all, at);
                if (consumed == 0) {
                    break;
                }
                at += consumed;
            }
            pending.reset();
            pending.write(all, at, all.length - at);
        }

        /** Bytes of one whole message at {@code at}, or 0 when it is not complete yet. */
        private int postgresMessage(byte[] b, int at) {
            if (untyped) {
                if (b.length - at < 8) {
                    return 0;
                }
                int len = int32(b, at);
                if (b.length - at < len) {
                    return 0;
                }
                int code = int32(b, at + 4);
                untyped = code == 80877103 || code == 80877104; // SSL or GSS encryption request: the startup follows
                return len;
            }
            if (b.length - at < 5) {
                return 0;
            }
            int len = int32(b, at + 1) + 1;
            if (b.length - at < len) {
                return 0;
            }
            char type = (char) b[at];
            if (type == 'Q') {
                count++;
                sent.add(text(b, at + 5, at + len));
            } else if (type == 'P') {
                int name = at + 5;
                while (name < at + len && b[name] != 0) {
                    name++;
                }
                unitSql = unitSql == null ? text(b, name + 1, at + len) : unitSql + " + " + text(b, name + 1, at + len);
            } else if (type == 'S') {
                count++;
                sent.add(unitSql == null ? "(prepared statement executed again)" : unitSql);
                unitSql = null;
            }
            return len;
        }

        private int mariadbPacket(byte[] b, int at) {
            if (b.length - at < 4) {
                return 0;
            }
            int len = (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16;
            if (b.length - at < 4 + len) {
                return 0;
            }
            if (b[at + 3] == 0 && len > 0) { // sequence 0: a new command
                count++;
                sent.add(b[at + 4] == 3 ? text(b, at + 5, at + 4 + len) : "command " + b[at + 4]);
            }
            return 4 + len;
        }
    }

    private static int int32(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    private static String text(byte[] b, int from, int to) {
        int end = from;
        while (end < to && b[end] != 0) {
            end++;
        }
        String s = new String(b, from, Math.max(0, end - from), StandardCharsets.UTF_8);
        return s.length() > 160 ? s.substring(0, 157) + "..." : s;
    }

    @Override
    public void close() throws IOException {
        closed.set(true);
        listener.close();
        synchronized (this) {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
