package app.tally.local.faults;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One HTTP/1.1 request or response as it travels through the {@link FaultProxy}: start line, headers in their order
 * and spelling, and the body exactly as framed on the wire (a chunked body stays chunked), so forwarding it changes no
 * signed byte.
 */
final class HttpMessage {
    private static final int MAX_HEAD_BYTES = 64 * 1024;

    final String startLine;
    final List<String[]> headers;
    final byte[] body;

    HttpMessage(String startLine, List<String[]> headers, byte[] body) {
        this.startLine = startLine;
        this.headers = headers;
        this.body = body;
    }

    /** The next request on the connection, or null when the client closed it between requests. */
    static HttpMessage readRequest(InputStream in) throws IOException {
        List<String> head = readHead(in);
        if (head == null) {
            return null;
        }
        List<String[]> headers = parseHeaders(head);
        String method = head.get(0).split(" ", 2)[0];
        return new HttpMessage(head.get(0), headers, readBody(in, headers, false, method));
    }

    /** The response to a request with {@code method}; interim 1xx answers are skipped. */
    static HttpMessage readResponse(InputStream in, String method) throws IOException {
        while (true) {
            List<String> head = readHead(in);
            if (head == null) {
                throw new EOFException("the server closed the connection before answering");
            }
            List<String[]> headers = parseHeaders(head);
            int status = status(head.get(0));
            if (status >= 100 && status < 200) {
                continue;
            }
            boolean noBody = method.equals("HEAD") || status == 204 || status == 304;
            return new HttpMessage(head.get(0), headers, noBody ? new byte[0] : readBody(in, headers, true, method));
        }
    }

    String method() {
        return startLine.split(" ", 2)[0];
    }

    /** The request target: path and query. */
    String target() {
        String[] parts = startLine.split(" ", 3);
        return parts.length > 1 ? parts[1] : "/";
    }

    int status() {
        return status(startLine);
    }

    String header(String name) {
        for (String[] header : headers) {
            if (header[0].equalsIgnoreCase(name)) {
                return header[1];
            }
        }
        return null;
    }

    boolean closes() {
        String connection = header("Connection");
        return connection != null && connection.toLowerCase(Locale.ROOT).contains("close");
    }

    /** The same message without one header (the proxy answers {@code Expect: 100-continue} itself). */
    HttpMessage without(String name) {
        List<String[]> kept = new ArrayList<>();
        headers.stream().filter(h -> !h[0].equalsIgnoreCase(name)).forEach(kept::add);
        return new HttpMessage(startLine, kept, body);
    }

    void writeTo(OutputStream out) throws IOException {
        StringBuilder head = new StringBuilder(startLine).append("\r\n");
        headers.forEach(h -> head.append(h[0]).append(": ").append(h[1]).append("\r\n"));
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    /** A complete response made by the proxy itself. */
    static HttpMessage response(int status, String reason, String contentType, String body, String... extraHeaders) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        List<String[]> headers = new ArrayList<>();
        if (contentType != null) {
            headers.add(new String[] {"Content-Type", contentType});
        }
        for (int i = 0; i < extraHeaders.length; i += 2) {
            headers.add(new String[] {extraHeaders[i], extraHeaders[i + 1]});
        }
        headers.add(new String[] {"Content-Length", Integer.toString(bytes.length)});
        return new HttpMessage("HTTP/1.1 " + status + " " + reason, headers, bytes);
    }

    private static int status(String statusLine) {
        String[] parts = statusLine.split(" ", 3);
        try {
            return Integer.parseInt(parts[1]);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not an HTTP status line: " + statusLine);
        }
    }

    /** Lines up to the empty line; null at a clean end of stream before the first byte. */
    private static List<String> readHead(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        List<String> lines = new ArrayList<>();
        int total = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (lines.isEmpty() && line.size() == 0) {
                    return null;
                }
                throw new EOFException("the connection closed inside a message head");
            }
            if (++total > MAX_HEAD_BYTES) {
                throw new IOException("message head larger than " + MAX_HEAD_BYTES + " bytes");
            }
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                if (text.endsWith("\r")) {
                    text = text.substring(0, text.length() - 1);
                }
                line.reset();
                if (text.isEmpty()) {
                    if (lines.isEmpty()) {
                        continue; // stray CRLF between messages
                    }
                    return lines;
                }
                lines.add(text);
            } else {
                line.write(b);
            }
        }
    }

    private static List<String[]> parseHeaders(List<String> head) {
        List<String[]> headers = new ArrayList<>();
        for (String line : head.subList(1, head.size())) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.add(new String[] {line.substring(0, colon).trim(), line.substring(colon + 1).trim()});
            }
        }
        return headers;
    }

    private static byte[] readBody(InputStream in, List<String[]> headers, boolean response, String method)
            throws IOException {
        String encoding = null;
        String length = null;
        for (String[] header : headers) {
            if (header[0].equalsIgnoreCase("Transfer-Encoding")) {
                encoding = header[1].toLowerCase(Locale.ROOT);
            } else if (header[0].equalsIgnoreCase("Content-Length")) {
                length = header[1];
            }
        }
        if (encoding != null && encoding.contains("chunked")) {
            return readChunked(in);
        }
        if (length != null) {
            return readExactly(in, Long.parseLong(length.trim()));
        }
        // A response without framing ends with the connection; a request without framing has no body.
        return response ? in.readAllBytes() : new byte[0];
    }

    /** The chunked body as framed: every size line, chunk and trailer, up to the final empty line. */
    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in, raw);
            int semicolon = sizeLine.indexOf(';');
            long size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            if (size == 0) {
                while (!readLine(in, raw).isEmpty()) {
                    // trailers, kept as they are
                }
                return raw.toByteArray();
            }
            raw.write(readExactly(in, size));
            readLine(in, raw);
        }
    }

    private static String readLine(InputStream in, ByteArrayOutputStream raw) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the connection closed inside a chunked body");
            }
            raw.write(b);
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
    }

    private static byte[] readExactly(InputStream in, long length) throws IOException {
        if (length > Integer.MAX_VALUE - 16) {
            throw new IOException("body too large for the fault proxy: " + length);
        }
        byte[] bytes = in.readNBytes((int) length);
        if (bytes.length < length) {
            throw new EOFException("the connection closed inside a body");
        }
        return bytes;
    }
}
