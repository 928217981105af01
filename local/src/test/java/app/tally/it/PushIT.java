package app.tally.it;

import static app.tally.it.LocalApi.get;
import static app.tally.it.LocalApi.newUser;
import static app.tally.it.LocalApi.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import app.tally.cli.PushSocket;
import app.tally.it.LocalApi.Reply;
import app.tally.local.LocalStack;
import app.tally.local.contract.AsyncApiDocument;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Push end to end on the local stack, with the JDK's WebSocket client: tickets, who receives what, in which order,
 * what happens to a connection that vanished, and that a failing push never touches the write. Every message a test
 * receives is checked against api/asyncapi.yaml.
 */
class PushIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final AsyncApiDocument ASYNC_API = AsyncApiDocument.load(LocalStack.root());
    private static final Duration WAIT = Duration.ofSeconds(15);
    private final List<PushSocket> opened = new ArrayList<>();

    @AfterEach
    void closeSockets() {
        opened.forEach(PushSocket::close);
        LocalApi.send(HttpRequest.newBuilder(LocalApi.API.resolve("/_local/faults")).DELETE().build());
    }

    private static JsonNode ticket(String user) {
        Reply reply = post("/push-tickets", user, null);
        assertEquals(201, reply.status(), reply.toString());
        return reply.json();
    }

    private PushSocket connect(String user) {
        JsonNode ticket = ticket(user);
        PushSocket socket = PushSocket.connect(HTTP, ticket.get("url").asText(), ticket.get("ticket").asText()).join();
        opened.add(socket);
        return socket;
    }

    /** The handshake's HTTP status when the socket refuses it. */
    private static int refusal(String url, String ticket) {
        try {
            PushSocket.connect(HTTP, url, ticket).join().close();
            return 101;
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw e;
        }
    }

    /** The next message matching {@code wanted}, each one received on the way checked against the AsyncAPI document. */
    private static JsonNode await(PushSocket socket, Predicate<JsonNode> wanted) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)) {
            JsonNode message = socket.next(Duration.between(Instant.now(), deadline));
            if (message == null || PushSocket.isClosed(message)) {
                break;
            }
            List<String> problems = ASYNC_API.check(message.toString());
            assertTrue(problems.isEmpty(), problems.toString());
            if (wanted.test(message)) {
                return message;
            }
        }
        return fail("no matching message within " + WAIT);
    }

    private static Predicate<JsonNode> created(String id) {
        return m -> m.path("type").asText().equals("transaction.created") && m.path("data").path("id").asText().equals(id);
    }

    private static String create(String user, String note) {
        Reply reply = post("/transactions", user, "{\"amount\":\"3.20\",\"currency\":\"CNY\",\"type\":\"expense\","
                + "\"category\":\"餐饮\",\"date\":\"2026-10-02\",\"note\":\"" + note + "\"}");
        assertEquals(201, reply.status(), reply.toString());
        return reply.json().get("id").asText();
    }

    @Test
    void ticketsThatAreMissingMadeUpExpiredOrUsedAreRefusedAtTheHandshake() throws Exception {
        String user = newUser("push-tickets");
        JsonNode ticket = ticket(user);
        String url = ticket.get("url").asText();
        assertTrue(Instant.parse(ticket.get("expiresAt").asText()).isBefore(Instant.now().plusSeconds(61)));

        assertEquals(401, refusal(url, null));
        assertEquals(403, refusal(url, "not-a-ticket"));
        // Well formed, but never issued (another stage's, or guessed).
        assertEquals(403, refusal(url, "A".repeat(43)));
        byte[] random = new byte[32];
        new java.security.SecureRandom().nextBytes(random);
        String expired = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        long past = Instant.now().minusSeconds(5).getEpochSecond();
        LocalApi.AWS.dynamoDb().putItem(p -> p.tableName(LocalApi.TABLE).item(Map.of(
                "PK", AttributeValue.fromS("PUSHTICKET#" + expired), "SK", AttributeValue.fromS("PUSHTICKET#" + expired),
                "user", AttributeValue.fromS(user), "expiresAt", AttributeValue.fromN(Long.toString(past))))).join();
        assertEquals(403, refusal(url, expired));

        assertEquals(101, refusal(url, ticket.get("ticket").asText()));
        assertEquals(403, refusal(url, ticket.get("ticket").asText()), "a ticket opens one socket only");
    }

    @Test
    void aUserNeverReceivesAnotherUsersEvents() throws Exception {
        String alice = newUser("push-alice");
        String bob = newUser("push-bob");
        PushSocket aliceSocket = connect(alice);
        PushSocket bobSocket = connect(bob);
        List<String> aliceIds = new ArrayList<>();
        List<String> bobIds = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            aliceIds.add(create(alice, "a" + i));
            bobIds.add(create(bob, "b" + i));
        }
        assertOnly(aliceSocket, aliceIds, bobIds);
        assertOnly(bobSocket, bobIds, aliceIds);
    }

    /** Receives the creates of {@code own} in order, with seq increasing by one, and none of {@code others}. */
    private static void assertOnly(PushSocket socket, List<String> own, List<String> others) throws Exception {
        long seq = 0;
        List<String> seen = new ArrayList<>();
        while (seen.size() < own.size()) {
            JsonNode message = await(socket, m -> m.has("seq"));
            assertTrue(seq == 0 || message.get("seq").asLong() == seq + 1, "seq " + seq + " then " + message);
            seq = message.get("seq").asLong();
            String id = message.path("data").path("id").asText();
            assertFalse(others.contains(id), "another user's transaction: " + message);
            if (message.get("type").asText().equals("transaction.created")) {
                seen.add(id);
            }
        }
        assertEquals(own, seen);
    }

    @Test
    void aCreateReachesEveryOpenConnectionOfItsUser() throws Exception {
        String user = newUser("push-devices");
        List<PushSocket> devices = List.of(connect(user), connect(user), connect(user));
        String id = create(user, "on one device");
        for (PushSocket device : devices) {
            JsonNode message = await(device, created(id));
            assertEquals("2026-10", message.get("data").get("month").asText());
            assertEquals("3.20", message.get("data").get("fields").get("amount").asText());
            JsonNode stats = await(device, m -> m.path("type").asText().equals("statistics.changed"));
            assertEquals(message.get("seq").asLong() + 1, stats.get("seq").asLong());
            assertEquals("[\"2026-10\"]", stats.get("data").get("months").toString());
        }
        Reply patched = LocalApi.patch("/transactions/" + id, user, "{\"note\":\"changed\"}");
        assertEquals(200, patched.status(), patched.toString());
        JsonNode updated = await(devices.get(0), m -> m.path("type").asText().equals("transaction.updated"));
        assertEquals(Set.of("note"), Set.copyOf(iterable(updated.get("data").get("fields").fieldNames())));
        assertEquals(204, LocalApi.delete("/transactions/" + id, user).status());
        assertEquals(id, await(devices.get(1), m -> m.path("type").asText().equals("transaction.deleted"))
                .get("data").get("id").asText());
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    @Test
    void anImportsProgressArrivesInOrderAndItsFinishedEventEqualsTheJob() throws Exception {
        String user = newUser("push-import");
        PushSocket socket = connect(user);
        ImportIT.Generated file = ImportIT.generate(3_000, 0, 17);
        String jobId = ImportIT.importBody(user, file.csv(), "");
        List<JsonNode> progress = new ArrayList<>();
        long seq = 0;
        JsonNode finished = null;
        while (finished == null) {
            JsonNode message = await(socket, m -> m.path("data").path("jobId").asText().equals(jobId));
            assertTrue(message.get("seq").asLong() > seq, "out of order: " + message);
            seq = message.get("seq").asLong();
            if (message.get("type").asText().equals("job.progress")) {
                progress.add(message);
            } else {
                finished = message;
            }
        }
        assertFalse(progress.isEmpty());
        assertEquals(100, progress.get(progress.size() - 1).get("data").get("percent").asInt());
        JsonNode job = LocalApi.awaitFinishedJob(user, jobId, 60_000);
        assertEquals(job.get("status").asText(), finished.get("data").get("status").asText());
        assertEquals(job.get("progress"), finished.get("data").get("counts"));
        assertEquals(3_000, finished.get("data").get("counts").get("imported").asLong());
    }

    @Test
    void aConnectionThatVanishedIsRemovedAtTheFirst410() throws Exception {
        String user = newUser("push-vanished");
        PushSocket live = connect(user);
        // A connection whose $disconnect never arrived: its item is there, the socket is not.
        String key = "U#" + user;
        long later = Instant.now().plusSeconds(3_600).getEpochSecond();
        LocalApi.AWS.dynamoDb().putItem(p -> p.tableName(LocalApi.TABLE).item(Map.of("PK", AttributeValue.fromS(key),
                "SK", AttributeValue.fromS("C#vanished="), "expiresAt", AttributeValue.fromN(Long.toString(later)))))
                .join();
        assertEquals(2, connections(key));
        String id = create(user, "after a vanish");
        await(live, created(id));
        LocalApi.awaitCondition(() -> connections(key) == 1, 10_000);

        PushSocket dropped = connect(user);
        LocalApi.awaitCondition(() -> connections(key) == 2, 10_000);
        dropped.abort();
        // $disconnect removes what it can at once.
        LocalApi.awaitCondition(() -> connections(key) == 1, 10_000);
    }

    private static long connections(String key) {
        return LocalApi.AWS.dynamoDb().query(q -> q.tableName(LocalApi.TABLE)
                .keyConditionExpression("PK = :pk AND begins_with(SK, :c)")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(key), ":c", AttributeValue.fromS("C#"))))
                .join().count();
    }

    @Test
    void aFailingPushLeavesTheWriteCommittedAndAnsweredAtOnce() throws Exception {
        String user = newUser("push-faults");
        PushSocket socket = connect(user);
        Reply armed = LocalApi.send(HttpRequest.newBuilder(LocalApi.API.resolve(
                "/_local/faults?rate=1&faults=error&operations=SendMessage")).POST(HttpRequest.BodyPublishers.noBody())
                .build());
        assumeTrue(armed.status() == 200, "this stack runs without fault proxies");
        long started = System.nanoTime();
        String id = create(user, "while pushes fail");
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(millis < 2_000, "the write took " + millis + " ms");
        assertEquals(200, get("/transactions/" + id, user).status());

        LocalApi.send(HttpRequest.newBuilder(LocalApi.API.resolve(
                "/_local/faults?rate=1&faults=slow&slowMillis=3000&operations=SendMessage"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        started = System.nanoTime();
        String slow = create(user, "while pushes hang");
        millis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(millis < 2_000, "the write waited " + millis + " ms for its push");
        assertEquals(200, get("/transactions/" + slow, user).status());

        LocalApi.send(HttpRequest.newBuilder(LocalApi.API.resolve("/_local/faults")).DELETE().build());
        String after = create(user, "pushes work again");
        // A failed publish is lost (a retry of it may still get through); the next one arrives.
        await(socket, created(after));
    }

    @Test
    void pingIsAnsweredAndResyncListsTheRunningJobs() throws Exception {
        String user = newUser("push-resync");
        PushSocket socket = connect(user);
        socket.send("{\"action\":\"ping\"}");
        assertEquals("pong", await(socket, m -> true).get("type").asText());
        Reply created = post("/imports", user, "{\"filename\":\"later.csv\"}");
        assertEquals(202, created.status(), created.toString());
        socket.send("{\"action\":\"resync\"}");
        JsonNode resync = await(socket, m -> m.path("type").asText().equals("resync"));
        assertEquals(created.json().get("jobId").asText(), resync.get("data").get("jobs").get(0).get("jobId").asText());
        assertEquals("awaiting_upload", resync.get("data").get("jobs").get(0).get("status").asText());
    }
}
