package app.tally.services.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.tally.services.Refusal;
import app.tally.services.profile.Profiles;
import app.tally.store.LedgerStore;
import app.tally.store.ProfileStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/** How the dashboard behaves when some of its reads fail, with a fake DynamoDB client. */
class DashboardTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-20T10:00:00Z"), ZoneOffset.UTC);

    /** Answers every read with nothing, except that reads matching {@code failing} fail; counts reads in flight. */
    private static final class FakeDynamoDb implements DynamoDbAsyncClient {
        final Predicate<QueryRequest> failing;
        final AtomicInteger queries = new AtomicInteger();
        /** When set, queries stay unanswered until the test answers them. */
        final List<CompletableFuture<QueryResponse>> held;
        /** What a statistics query answers. */
        List<Map<String, AttributeValue>> statistics = List.of();

        FakeDynamoDb(Predicate<QueryRequest> failing) {
            this(failing, null);
        }

        FakeDynamoDb(Predicate<QueryRequest> failing, List<CompletableFuture<QueryResponse>> held) {
            this.failing = failing;
            this.held = held;
        }

        @Override
        public CompletableFuture<GetItemResponse> getItem(GetItemRequest request) {
            return CompletableFuture.completedFuture(GetItemResponse.builder().build());
        }

        @Override
        public CompletableFuture<QueryResponse> query(QueryRequest request) {
            queries.incrementAndGet();
            if (failing.test(request)) {
                return CompletableFuture.failedFuture(SdkClientException.create("injected"));
            }
            if (held != null) {
                CompletableFuture<QueryResponse> answer = new CompletableFuture<>();
                held.add(answer);
                return answer;
            }
            boolean stats = request.expressionAttributeValues().get(":lo").s().startsWith("S#");
            return CompletableFuture.completedFuture(QueryResponse.builder().items(stats ? statistics : List.of())
                    .build());
        }

        @Override
        public String serviceName() {
            return "dynamodb";
        }

        @Override
        public void close() {
        }
    }

    private static boolean isRecent(QueryRequest request) {
        return request.expressionAttributeValues().get(":pk").s().contains("#M#");
    }

    private static Dashboard dashboard(FakeDynamoDb db) {
        return new Dashboard(new LedgerStore(db, "t"), new Profiles(new ProfileStore(db, "t"), "CNY", CLOCK), CLOCK, 16);
    }

    private static DashboardQuery query(int months) {
        return new DashboardQuery(Optional.of(YearMonth.of(2026, 11)), months, true);
    }

    @Test
    void aFailedOptionalPartLeavesTheRestAndSaysWhatIsMissing() {
        ObjectNode body = dashboard(new FakeDynamoDb(DashboardTest::isRecent)).build("u", Map.of(), query(6)).join();
        assertTrue(body.get("recent").isNull());
        assertEquals("recent", body.get("missing").get(0).asText());
        assertEquals(6, body.get("trend").size());
        assertEquals("CNY", body.get("profile").get("currency").asText());
    }

    @Test
    void aFailedRequiredPartIsRefusedAsUnavailableToRetry() {
        FakeDynamoDb db = new FakeDynamoDb(request -> !isRecent(request)
                && request.expressionAttributeValues().get(":lo").s().startsWith("S#"));
        CompletionException failure = assertThrows(CompletionException.class,
                () -> dashboard(db).build("u", Map.of(), query(6)).join());
        Refusal problem = assertInstanceOf(Refusal.class, failure.getCause());
        assertEquals(Refusal.Reason.UNAVAILABLE, problem.reason());
    }

    @Test
    void everyReadIsInFlightBeforeAnyIsAnswered() {
        List<CompletableFuture<QueryResponse>> held = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<ObjectNode> building = dashboard(new FakeDynamoDb(request -> false, held))
                .build("u", Map.of(), query(6));
        // The statistics of the six months and two month partitions of recent transactions, none answered yet.
        assertEquals(3, held.size());
        assertTrue(!building.isDone());
        held.forEach(answer -> answer.complete(QueryResponse.builder().items(List.of()).build()));
        assertEquals(4, building.join().get("reads").size(), "the profile read and the three queries");
    }

    private static Map<String, AttributeValue> statistics(String month, String type, String category, String sum,
                                                          long count) {
        return Map.of("PK", AttributeValue.fromS("U#u"),
                "SK", AttributeValue.fromS("S#" + month + "#" + type + "#" + category), "month", AttributeValue.fromS(month), "type", AttributeValue.fromS(type),
                "category", AttributeValue.fromS(category), "sum_CLF", AttributeValue.fromN(sum),
                "cnt_CLF", AttributeValue.fromN(Long.toString(count)));
    }

    @Test
    void sumsBeyondAnyLongAreAddedAndShownExactly() {
        FakeDynamoDb db = new FakeDynamoDb(request -> false);
        // 1,000 rows of 999,999,999,999.99 CLF (the cap before it was per minor unit): past Long.MAX_VALUE.
        db.statistics = List.of(
                statistics("2026-10", "expense", "a", "4999999999999950000", 500),
                statistics("2026-11", "expense", "a", "9999999999999900000", 1_000),
                statistics("2026-11", "expense", "b", "1", 1),
                statistics("2026-11", "income", "c", "5", 1));

        ObjectNode body = dashboard(db).build("u", Map.of(), query(2)).join();

        JsonNode totals = body.get("month").get("totals").get(0);
        assertEquals("CLF", totals.get("currency").asText());
        assertEquals("999999999999990.0001", totals.get("expense").asText());
        assertEquals("0.0005", totals.get("income").asText());
        assertEquals("-999999999999989.9996", totals.get("net").asText());
        assertEquals(1_002, totals.get("count").asLong());
        JsonNode largest = body.get("month").get("byCategory").get(0);
        assertEquals("a", largest.get("category").asText());
        assertEquals("999999999999990.0000", largest.get("amount").asText());
        assertEquals("100.0", largest.get("share").asText());
        JsonNode change = body.get("month").get("change").get("totals").get(0);
        assertEquals("499999999999995.0001", change.get("expense").asText());
        assertEquals("100.0", change.get("expensePercent").asText());
        assertEquals("499999999999995.0000", body.get("trend").get(0).get("totals").get(0).get("expense").asText());
        assertEquals(totals, body.get("trend").get(1).get("totals").get(0));
    }
}
