package app.tally.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A client of the push socket on the JDK's WebSocket: trades a bearer token for a ticket (POST /push-tickets),
 * connects with it, and queues each message the server sends. Used by the CLI, the push benchmark and the tests.
 */
public final class PushSocket implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Queued in place of a message when the socket closes, so a waiting reader wakes up. */
    private static final JsonNode CLOSED = JSON.createObjectNode().put("type", "_closed");

    private final WebSocket socket;
    private final BlockingQueue<JsonNode> messages;

    private PushSocket(WebSocket socket, BlockingQueue<JsonNode> messages) {
        this.socket = socket;
        this.messages = messages;
    }

    /** A ticket for the token's user: the response of POST /push-tickets. */
    public static JsonNode ticket(HttpClient http, URI api, String token) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(api.resolve("/push-tickets"))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IOException("POST /push-tickets answered " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** Opens the token's user's socket: a ticket, then the handshake. */
    public static PushSocket open(HttpClient http, URI api, String token) throws IOException, InterruptedException {
        JsonNode ticket = ticket(http, api, token);
        return connect(http, ticket.get("url").asText(), ticket.get("ticket").asText()).join();
    }

    /** Connects with a ticket (null: none); fails with the handshake's refusal (WebSocketHandshakeException). */
    public static CompletableFuture<PushSocket> connect(HttpClient http, String url, String ticket) {
        BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
        URI uri = URI.create(ticket == null ? url : url + "?ticket=" + URLEncoder.encode(ticket, StandardCharsets.UTF_8));
        return http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)).buildAsync(uri, new Collector(messages))
                .thenApply(socket -> new PushSocket(socket, messages));
    }

    /** The next message, or null when none came within {@code timeout}; a closed socket answers {@code _closed}. */
    public JsonNode next(Duration timeout) throws InterruptedException {
        return messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public static boolean isClosed(JsonNode message) {
        return message == CLOSED;
    }

    public void send(String text) {
        socket.sendText(text, true).join();
    }

    /** Drops the connection without a closing handshake, as a client that vanished does. */
    public void abort() {
        socket.abort();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(ignored -> null);
        }
    }

    private static final class Collector implements WebSocket.Listener {
        private final BlockingQueue<JsonNode> messages;
        private final StringBuilder partial = new StringBuilder();

        Collector(BlockingQueue<JsonNode> messages) {
            this.messages = messages;
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    messages.add(JSON.readTree(partial.toString()));
                } catch (IOException e) {
                    messages.add(JSON.createObjectNode().put("type", "_unreadable").put("text", partial.toString()));
                }
                partial.setLength(0);
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            messages.add(CLOSED);
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            messages.add(CLOSED);
        }
    }
}
