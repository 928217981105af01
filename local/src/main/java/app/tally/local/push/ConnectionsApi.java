package app.tally.local.push;

import app.tally.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * The @connections API of the push socket as API Gateway answers it: POST sends the body to the connection as one
 * text frame, GET describes it, DELETE closes it; an unknown or closed connection is 410 GoneException (the SDK reads
 * the error's type from {@code x-amzn-ErrorType}). Requests are not signature-checked: the stack checks each
 * function's calls against its role before they leave it.
 */
final class ConnectionsApi {
    private static final String PATH = "/@connections/";

    private final Map<String, SocketConnection> connections;

    ConnectionsApi(Map<String, SocketConnection> connections) {
        this.connections = connections;
    }

    /** Answers one request; false when the client should not reuse the connection. */
    boolean serve(HttpHead head, byte[] body, String prefix, OutputStream out) throws IOException {
        if (!head.path().startsWith(prefix + PATH)) {
            HttpHead.respond(out, 404, Map.of(), "{\"message\":\"Not Found\"}");
            return true;
        }
        String id = HttpHead.decode(head.path().substring((prefix + PATH).length()));
        SocketConnection connection = connections.get(id);
        if (connection == null) {
            HttpHead.respond(out, 410, Map.of("x-amzn-ErrorType", "GoneException"), "{\"message\":null}");
            return true;
        }
        switch (head.method()) {
            case "POST" -> {
                if (body.length > WebSocketFrames.MAX_MESSAGE) {
                    HttpHead.respond(out, 413, Map.of("x-amzn-ErrorType", "PayloadTooLargeException"),
                            "{\"message\":\"Message too long\"}");
                } else if (connection.send(WebSocketFrames.TEXT, body)) {
                    HttpHead.respond(out, 200, Map.of(), null);
                } else {
                    HttpHead.respond(out, 410, Map.of("x-amzn-ErrorType", "GoneException"), "{\"message\":null}");
                }
            }
            case "GET" -> {
                var json = Json.object().put("connectedAt", connection.handshake().connectedAt().toString())
                        .put("lastActiveAt", connection.lastActiveAt().toString());
                json.putObject("identity").put("sourceIp", connection.handshake().sourceIp())
                        .put("userAgent", connection.userAgent());
                HttpHead.respond(out, 200, Map.of(), Json.write(json));
            }
            case "DELETE" -> {
                connection.close(1000, "");
                HttpHead.respond(out, 204, Map.of(), null);
            }
            default -> HttpHead.respond(out, 400, Map.of(), "{\"message\":\"Bad Request\"}");
        }
        return true;
    }
}
