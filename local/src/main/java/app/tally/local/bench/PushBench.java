package app.tally.local.bench;

import app.tally.cli.PushSocket;
import app.tally.local.LocalStack;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

/**
 * {@code ./tally bench push}, against the bench stack: (1) latency from a committed create (its 201 received) to its
 * {@code transaction.created} at the client, over 1,000 creates one after another by a user with one open socket;
 * (2) one create pushed to 1,000 open sockets of one user: the time until the last one has it.
 */
final class PushBench {
    private static final int EVENTS = 1_000;
    private static final int CONNECTIONS = 1_000;
    private static final Duration WAIT = Duration.ofSeconds(30);

    private PushBench() {
    }

    static void run() throws Exception {
        ApiClient api = new ApiClient(ApiClient.gateway(), 1);
        HttpClient http = HttpClient.newHttpClient();
        latency(api, http);
        fanOut(api, http);
    }

    private static void latency(ApiClient api, HttpClient http) throws Exception {
        String token = LocalStack.jwt().issue("bench-push-latency-" + System.nanoTime(), Duration.ofHours(1));
        try (PushSocket socket = PushSocket.open(http, ApiClient.gateway(), token)) {
            for (int i = 0; i < 20; i++) {
                // Warm-up: the handlers' first calls, connections, JIT.
                received(socket, create(api, token, i));
            }
            List<Double> fromAnswer = new ArrayList<>();
            List<Double> fromRequest = new ArrayList<>();
            for (int i = 0; i < EVENTS; i++) {
                long sent = System.nanoTime();
                String id = create(api, token, i);
                long answered = System.nanoTime();
                long arrived = received(socket, id);
                fromAnswer.add((arrived - answered) / 1e6);
                fromRequest.add((arrived - sent) / 1e6);
            }
            System.out.printf(Locale.ROOT, "create → transaction.created at the client, %d creates one after another:%n",
                    EVENTS);
            System.out.printf(Locale.ROOT, "  from the 201 (committed):   p50 %6.1f ms  p99 %6.1f ms  max %6.1f ms%n",
                    percentile(fromAnswer, 50), percentile(fromAnswer, 99), percentile(fromAnswer, 100));
            System.out.printf(Locale.ROOT, "  from sending the request:   p50 %6.1f ms  p99 %6.1f ms  max %6.1f ms%n",
                    percentile(fromRequest, 50), percentile(fromRequest, 99), percentile(fromRequest, 100));
        }
    }

    private static void fanOut(ApiClient api, HttpClient http) throws Exception {
        String token = LocalStack.jwt().issue("bench-push-fanout-" + System.nanoTime(), Duration.ofHours(1));
        long opening = System.nanoTime();
        List<PushSocket> sockets = Collections.synchronizedList(new ArrayList<>());
        try (var threads = Executors.newFixedThreadPool(16)) {
            List<CompletableFuture<Void>> opened = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                opened.add(CompletableFuture.runAsync(() -> {
                    try {
                        sockets.add(PushSocket.open(http, ApiClient.gateway(), token));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, threads));
            }
            CompletableFuture.allOf(opened.toArray(CompletableFuture[]::new)).join();
        }
        System.out.printf(Locale.ROOT, "%d sockets of one user opened (ticket + handshake each) in %.1f s%n",
                sockets.size(), (System.nanoTime() - opening) / 1e9);
        try {
            for (int round = 0; round < 3; round++) {
                String id = create(api, token, round);
                long answered = System.nanoTime();
                List<Double> arrivals = new ArrayList<>();
                for (PushSocket socket : sockets) {
                    arrivals.add((received(socket, id) - answered) / 1e6);
                }
                System.out.printf(Locale.ROOT, "  one create → all %d sockets: first %.1f ms, median %.1f ms, last %.1f ms"
                        + "%n", sockets.size(), percentile(arrivals, 0), percentile(arrivals, 50),
                        percentile(arrivals, 100));
            }
        } finally {
            sockets.forEach(PushSocket::close);
        }
    }

    private static String create(ApiClient api, String token, int i) {
        ApiClient.Reply reply = api.send("POST", "/transactions", token, "application/json",
                "{\"amount\":\"" + (1 + i % 90) + ".25\",\"currency\":\"CNY\",\"type\":\"expense\",\"category\":\"bench\","
                        + "\"date\":\"2026-11-" + String.format("%02d", 1 + i % 28) + "\"}");
        if (reply.status() != 201) {
            throw new IllegalStateException("create: " + reply);
        }
        return reply.json().get("id").asText();
    }

    /** When the socket got the create of {@code id} (System.nanoTime), skipping other events. */
    private static long received(PushSocket socket, String id) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode message = socket.next(Duration.ofNanos(deadline - System.nanoTime()));
            if (message == null || PushSocket.isClosed(message)) {
                break;
            }
            if (message.path("type").asText().equals("transaction.created")
                    && message.path("data").path("id").asText().equals(id)) {
                return System.nanoTime();
            }
        }
        throw new IllegalStateException("transaction.created of " + id + " did not arrive within " + WAIT);
    }

    private static double percentile(List<Double> values, int percent) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
