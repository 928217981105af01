package app.tally.local.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.tally.local.LocalClients;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** The fault proxy's per-key write limit, seen through the SDK as Tally's code sees it, in front of a fake DynamoDB. */
class KeyThrottleTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private HttpServer dynamo;
    /** The request bodies that reached the fake DynamoDB, by operation. */
    private final List<Map.Entry<String, JsonNode>> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void fakeDynamoDb() throws IOException {
        dynamo = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        dynamo.createContext("/", exchange -> {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String operation = target.substring(target.indexOf('.') + 1);
            seen.add(Map.entry(operation, MAPPER.readTree(exchange.getRequestBody())));
            byte[] body = (operation.equals("BatchWriteItem") ? "{\"UnprocessedItems\":{}}" : "{}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        dynamo.start();
    }

    @AfterEach
    void stop() {
        dynamo.stop(0);
    }

    private FaultProxy proxy(double unitsPerSecond) throws IOException {
        return new FaultProxy(ProxiedService.DYNAMODB, 0, dynamo.getAddress().getPort(),
                new FaultPlan(0, List.of(), 0, 0, Set.of(), 1, 0, new KeyLimit("U#", unitsPerSecond)));
    }

    /** A client that makes one attempt per call, so the test sees each answer as it came. */
    private static DynamoDbAsyncClient client(FaultProxy proxy) {
        return LocalClients.local(DynamoDbAsyncClient.builder(), URI.create("http://127.0.0.1:" + proxy.port()))
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD).retryStrategy(r -> r.maxAttempts(1)))
                .build();
    }

    private static Map<String, AttributeValue> item(String pk, int n) {
        return Map.of("PK", AttributeValue.fromS(pk), "SK", AttributeValue.fromS("R#" + n));
    }

    private static Throwable failure(Runnable call) {
        try {
            call.run();
        } catch (CompletionException e) {
            return e.getCause();
        }
        throw new AssertionError("the call succeeded");
    }

    @Test
    void aKeyOverItsRateIsThrottledAsDynamoDbThrottlesWhileOtherKeysAndPrefixesAreNot() throws Exception {
        try (FaultProxy proxy = proxy(3); DynamoDbAsyncClient db = client(proxy)) {
            for (int i = 0; i < 3; i++) {
                int n = i;
                db.putItem(p -> p.tableName("t").item(item("U#hot", n))).join();
            }
            Throwable throttled = failure(() -> db.putItem(p -> p.tableName("t").item(item("U#hot", 3))).join());
            ProvisionedThroughputExceededException exceeded =
                    assertInstanceOf(ProvisionedThroughputExceededException.class, throttled);
            assertTrue(exceeded.isThrottlingException());
            assertEquals(400, exceeded.statusCode());
            assertEquals("TableWriteKeyRangeThroughputExceeded", exceeded.throttlingReasons().get(0).reason());

            db.putItem(p -> p.tableName("t").item(item("U#cold", 0))).join();
            for (int i = 0; i < 10; i++) {
                int n = i;
                db.putItem(p -> p.tableName("t").item(item("S#unlimited", n))).join();
            }
            assertEquals(3 + 1 + 10, seen.size(), "a throttled write never reaches the table");
            assertEquals(1, proxy.throttledByKeyLimit());

            Thread.sleep(400); // a third of a second refills one unit of three per second
            db.updateItem(u -> u.tableName("t").key(item("U#hot", 0)).updateExpression("SET a = :a")
                    .expressionAttributeValues(Map.of(":a", AttributeValue.fromN("1")))).join();
        }
    }

    @Test
    void aBatchWritesTheItemsWhoseKeysHaveRoomAndReturnsTheOthersUnprocessed() throws Exception {
        try (FaultProxy proxy = proxy(5); DynamoDbAsyncClient db = client(proxy)) {
            // 25 items: 9 on one hot key (5 fit), 16 on keys of their own.
            List<WriteRequest> batch = new ArrayList<>();
            IntStream.range(0, 25).forEach(i -> batch.add(WriteRequest.builder().putRequest(PutRequest.builder()
                    .item(item(i % 3 == 0 ? "U#hot" : "U#cold" + i, i)).build()).build()));
            BatchWriteItemResponse response = db.batchWriteItem(b -> b.requestItems(Map.of("t", batch))).join();

            List<WriteRequest> unprocessed = response.unprocessedItems().get("t");
            assertEquals(List.of(15, 18, 21, 24), unprocessed.stream()
                    .map(w -> Integer.parseInt(w.putRequest().item().get("SK").s().substring(2))).toList());
            JsonNode written = seen.get(0).getValue().path("RequestItems").path("t");
            assertEquals(21, written.size(), "only the admitted items reach the table");

            // Every item's key spent: the whole call is throttled.
            Throwable throttled = failure(() -> db.batchWriteItem(b -> b.requestItems(Map.of("t", unprocessed))).join());
            assertInstanceOf(ProvisionedThroughputExceededException.class, throttled);
            assertEquals(1, seen.size());
        }
    }

    @Test
    void aTransactionWithAThrottledKeyIsCancelledWithThrottlingErrorAndTakesNothing() throws Exception {
        try (FaultProxy proxy = proxy(4); DynamoDbAsyncClient db = client(proxy)) {
            db.putItem(p -> p.tableName("t").item(item("U#hot", 0))).join();
            db.putItem(p -> p.tableName("t").item(item("U#hot", 1))).join();
            db.putItem(p -> p.tableName("t").item(item("U#hot", 2))).join();
            List<TransactWriteItem> actions = List.of(
                    TransactWriteItem.builder().put(p -> p.tableName("t").item(item("U#other", 0))).build(),
                    TransactWriteItem.builder().put(p -> p.tableName("t").item(item("U#hot", 3))).build());
            Throwable cancelled = failure(() -> db.transactWriteItems(t -> t.transactItems(actions)).join());
            TransactionCanceledException exception = assertInstanceOf(TransactionCanceledException.class, cancelled);
            assertEquals(List.of("None", "ThrottlingError"),
                    exception.cancellationReasons().stream().map(CancellationReason::code).toList());
            assertEquals(3, seen.size(), "the cancelled transaction never reached the table");

            // The other key's units were not spent: a transactional write (2 units) of it alone still fits twice.
            for (int i = 1; i <= 2; i++) {
                int n = i;
                db.transactWriteItems(t -> t.transactItems(TransactWriteItem.builder()
                        .put(p -> p.tableName("t").item(item("U#other", n))).build())).join();
            }
            assertEquals(5, seen.size());
        }
    }
}
