package app.tally.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.tally.http.ApiException;
import app.tally.profile.Profiles;
import app.tally.store.LedgerStore;
import app.tally.store.ProfileStore;
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
            return CompletableFuture.completedFuture(QueryResponse.builder().items(List.of()).build());
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
    void aFailedRequiredPartIsA503ToRetry() {
        FakeDynamoDb db = new FakeDynamoDb(request -> !isRecent(request)
                && request.expressionAttributeValues().get(":lo").s().startsWith("S#"));
        CompletionException failure = assertThrows(CompletionException.class,
                () -> dashboard(db).build("u", Map.of(), query(6)).join());
        ApiException problem = assertInstanceOf(ApiException.class, failure.getCause());
        assertEquals(503, problem.status());
        assertEquals("1", problem.headers().get("Retry-After"));
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
        assertEquals(4, building.join().get("timings").size(), "the profile read and the three queries");
    }
}
