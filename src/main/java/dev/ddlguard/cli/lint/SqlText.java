package dev.ddlguard.cli.lint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a script as strict UTF-8: a wrong encoding would silently garble the SQL being judged. */
final class SqlText {

    /** The file is not UTF-8; the message names the line of the first bad byte. */
    static final class NotUtf8Exception extends IOException {
        NotUtf8Exception(String message) {
            super(message);
        }
    }

    private SqlText() {}

    static String read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length); // UTF-8 never decodes to more chars than bytes
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int line = 1;
            for (int i = 0; i < in.position(); i++) {
                line += bytes[i] == '\n' ? 1 : 0;
            }
            throw new NotUtf8Exception(
                    "not UTF-8 text (invalid byte at line " + line + ", byte offset " + in.position() + ")");
        }
        String text = out.flip().toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text; // a byte-order mark is not SQL
    }

    static String describe(IOException e) {
        return e instanceof NotUtf8Exception ? e.getMessage() : SqlFiles.describe(e);
    }
}
