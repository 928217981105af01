package app.tally.it;

import static app.tally.it.LocalApi.delete;
import static app.tally.it.LocalApi.get;
import static app.tally.it.LocalApi.newUser;
import static app.tally.it.LocalApi.patch;
import static app.tally.it.LocalApi.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.tally.it.LocalApi.Reply;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The transactions API end to end: gateway, JWT, handlers, DynamoDB transactions on the local stack. */
class TransactionsIT {

    static String body(String amount, String currency, String type, String category, String date) {
        return "{\"amount\":\"" + amount + "\"" + (currency == null ? "" : ",\"currency\":\"" + currency + "\"")
                + ",\"type\":\"" + type + "\",\"category\":\"" + category + "\",\"date\":\"" + date + "\"}";
    }

    static JsonNode create(String user, String amount, String type, String category, String date) {
        Reply reply = post("/transactions", user, body(amount, "CNY", type, category, date));
        assertEquals(201, reply.status(), reply.toString());
        return reply.json();
    }

    static void assertStatisticsMatchRecount(String user) {
        assertEquals(LocalApi.recountedStatistics(user), LocalApi.storedStatistics(user));
    }

    @Test
    void lifecycleAcrossThreeMonthsKeepsStatisticsExact() {
        String user = newUser("life");
        Reply created = post("/transactions", user,
                "{\"amount\":\"12.34\",\"currency\":\"CNY\",\"type\":\"expense\",\"category\":\"  餐饮 \","
                        + "\"date\":\"2026-11-24\",\"note\":\"lunch\",\"tags\":[\" work \",\"work\",\"团队\"]}");
        assertEquals(201, created.status(), created.toString());
        JsonNode tx = created.json();
        String id = tx.get("id").asText();
        assertEquals("/transactions/" + id, created.header("Location"));
        assertEquals("12.34", tx.get("amount").asText());
        assertEquals("餐饮", tx.get("category").asText());
        assertEquals(List.of("work", "团队"), List.of(tx.get("tags").get(0).asText(), tx.get("tags").get(1).asText()));
        assertEquals(Map.of("2026-11|expense|餐饮|CNY", List.of(1234L, 1L)), LocalApi.storedStatistics(user));

        Reply read = get("/transactions/" + id, user);
        assertEquals(200, read.status());
        assertEquals(tx, read.json());

        create(user, "100", "income", "工资", "2026-10-01");
        create(user, "5.5", "expense", "餐饮", "2026-09-15");
        assertStatisticsMatchRecount(user);

        // Move the first transaction to September and change its amount: both months' statistics change.
        Reply moved = patch("/transactions/" + id, user, "{\"date\":\"2026-09-30\",\"amount\":\"20.00\"}");
        assertEquals(200, moved.status(), moved.toString());
        assertEquals("2026-09-30", moved.json().get("date").asText());
        assertEquals("20.00", moved.json().get("amount").asText());
        assertEquals("lunch", moved.json().get("note").asText());
        assertEquals(tx.get("createdAt"), moved.json().get("createdAt"));
        assertEquals(Map.of(
                "2026-10|income|工资|CNY", List.of(10000L, 1L),
                "2026-09|expense|餐饮|CNY", List.of(2550L, 2L)), LocalApi.storedStatistics(user));
        assertEquals("2026-09-30", get("/transactions/" + id, user).json().get("date").asText());

        assertEquals(204, delete("/transactions/" + id, user).status());
        assertEquals(404, delete("/transactions/" + id, user).status());
        assertEquals(404, get("/transactions/" + id, user).status());
        assertEquals(Map.of(
                "2026-10|income|工资|CNY", List.of(10000L, 1L),
                "2026-09|expense|餐饮|CNY", List.of(550L, 1L)), LocalApi.storedStatistics(user));
        assertStatisticsMatchRecount(user);
    }

    /**
     * A transaction id carries the date it was created with (its home). Moves away from it, between other dates and
     * back keep the transaction found by id, listed once where it is, and leave exactly the forwarding item needed.
     */
    @Test
    void aTransactionMovedAwayAndBackIsFoundByIdAndListedOnlyWhereItIs() {
        String user = newUser("moves");
        String id = create(user, "8.00", "expense", "交通", "2026-11-05").get("id").asText();
        Map<String, String> months = Map.of("2026-11-05", "2026-11", "2026-09-30", "2026-09", "2026-08-02", "2026-08");
        for (String date : List.of("2026-09-30", "2026-08-02", "2026-11-05", "2026-09-30")) {
            assertEquals(200, patch("/transactions/" + id, user, "{\"date\":\"" + date + "\"}").status());
            assertEquals(date, get("/transactions/" + id, user).json().get("date").asText());
            months.forEach((day, month) -> {
                List<JsonNode> listed = walk(user, "/transactions?from=" + month + "-01&to="
                        + YearMonth.parse(month).atEndOfMonth());
                assertEquals(day.equals(date) ? 1 : 0, listed.size(), date + " listed in " + month);
            });
            var audit = LocalApi.audit(user);
            assertTrue(audit.forwardsIntact(), "after the move to " + date);
            assertEquals(date.equals("2026-11-05") ? 1 : 2, LocalApi.itemsWithPrefix("U#" + user + "#M#").size());
            assertStatisticsMatchRecount(user);
        }
        assertEquals(204, delete("/transactions/" + id, user).status());
        assertEquals(404, get("/transactions/" + id, user).status());
        assertEquals(0, LocalApi.itemsWithPrefix("U#" + user + "#M#").size(), "the forwarding item went with it");
        assertStatisticsMatchRecount(user);
    }

    @Test
    void paginationWalksEveryItemOnceNewestFirstAcrossMonths() {
        String user = newUser("pages");
        List<CompletableFuture<JsonNode>> creating = new ArrayList<>();
        String[] dates = {"2026-01-31", "2026-02-01", "2026-02-14", "2026-03-03", "2026-03-03", "2026-03-31"};
        for (int i = 0; i < 23; i++) {
            String date = dates[i % dates.length];
            int amount = i + 1;
            creating.add(CompletableFuture.supplyAsync(() -> create(user, amount + ".00",
                    amount % 3 == 0 ? "income" : "expense", "c" + (amount % 4), date)));
        }
        creating.forEach(CompletableFuture::join);

        for (int limit : new int[] {1, 4, 7, 23, 50}) {
            List<JsonNode> seen = walk(user, "/transactions?limit=" + limit);
            assertEquals(23, seen.size(), "limit " + limit);
            assertEquals(23, new HashSet<>(seen.stream().map(t -> t.get("id").asText()).toList()).size());
            for (int i = 1; i < seen.size(); i++) {
                String previous = seen.get(i - 1).get("date").asText() + seen.get(i - 1).get("id").asText();
                String current = seen.get(i).get("date").asText() + seen.get(i).get("id").asText();
                assertTrue(previous.compareTo(current) > 0, "newest first");
            }
        }
        List<JsonNode> february = walk(user, "/transactions?from=2026-02-01&to=2026-02-28&limit=2");
        assertTrue(february.stream().allMatch(t -> t.get("date").asText().startsWith("2026-02")));
        assertEquals(IntStream.range(0, 23).filter(i -> dates[i % dates.length].startsWith("2026-02")).count(),
                february.size());
        List<JsonNode> incomeC1 = walk(user, "/transactions?type=income&category=c1&limit=1");
        assertEquals(IntStream.rangeClosed(1, 23).filter(a -> a % 3 == 0 && a % 4 == 1).count(), incomeC1.size());
        assertTrue(incomeC1.stream().allMatch(t -> t.get("type").asText().equals("income")
                && t.get("category").asText().equals("c1")));
    }

    static List<JsonNode> walk(String user, String firstPage) {
        List<JsonNode> seen = new ArrayList<>();
        String path = firstPage;
        for (int pages = 0; pages < 100; pages++) {
            Reply reply = get(path, user);
            assertEquals(200, reply.status(), reply.toString());
            reply.json().get("items").forEach(seen::add);
            JsonNode next = reply.json().get("nextCursor");
            if (next.isNull()) {
                return seen;
            }
            path = firstPage + "&cursor=" + next.asText();
        }
        throw new AssertionError("more than 100 pages");
    }

    @Test
    void editedForeignOrMismatchedCursorsAreRejected() {
        String alice = newUser("alice");
        String bob = newUser("bob");
        for (int i = 0; i < 3; i++) {
            create(alice, "1.00", "expense", "x", "2026-05-0" + (i + 1));
            create(bob, "1.00", "expense", "x", "2026-05-0" + (i + 1));
        }
        String cursor = get("/transactions?limit=1", alice).json().get("nextCursor").asText();
        assertEquals(200, get("/transactions?limit=1&cursor=" + cursor, alice).status());

        assertProblem(400, get("/transactions?limit=1&cursor=" + cursor, bob));
        char flipped = cursor.charAt(3) == 'A' ? 'B' : 'A';
        assertProblem(400, get("/transactions?limit=1&cursor=" + cursor.substring(0, 3) + flipped + cursor.substring(4), alice));
        assertProblem(400, get("/transactions?limit=1&cursor=" + cursor.substring(0, cursor.length() - 2), alice));
        assertProblem(400, get("/transactions?limit=1&cursor=garbage", alice));
        assertProblem(400, get("/transactions?limit=1&type=income&cursor=" + cursor, alice));
    }

    @Test
    void replayedIdempotencyKeyReturnsTheFirstResponseAndWritesNothing() {
        String user = newUser("idem");
        String request = body("9.99", "USD", "expense", "books", "2026-06-01");
        Reply first = post("/transactions", user, request, "Idempotency-Key", "order-1");
        assertEquals(201, first.status());
        Map<String, ?> before = LocalApi.tableSnapshot();
        Reply again = post("/transactions", user, "{ \"date\":\"2026-06-01\",\"category\":\"books\",\"type\":\"expense\","
                + "\"currency\":\"USD\",\"amount\":\"9.99\" }", "Idempotency-Key", "order-1");
        assertEquals(201, again.status());
        assertEquals(first.body(), again.body());
        assertEquals(first.header("Location"), again.header("Location"));
        assertEquals(before, LocalApi.tableSnapshot());

        Reply different = post("/transactions", user, body("10.00", "USD", "expense", "books", "2026-06-01"),
                "Idempotency-Key", "order-1");
        assertProblem(422, different);
        assertEquals(before, LocalApi.tableSnapshot());

        // The key belongs to its user: another user with the same key creates their own transaction.
        Reply other = post("/transactions", newUser("idem-other"), request, "Idempotency-Key", "order-1");
        assertEquals(201, other.status());
        assertNotEquals(first.json().get("id"), other.json().get("id"));
    }

    @Test
    void anIdempotencyKeyOlderThanADayCanBeUsedAgain() {
        String user = newUser("idem-expired");
        Reply first = post("/transactions", user, body("1.00", "CNY", "expense", "a", "2026-06-01"), "Idempotency-Key", "old");
        assertEquals(201, first.status());
        // Age the record past its 24 hours, as DynamoDB's TTL would see it (deletion by TTL is lazy, so the code
        // must not rely on it).
        LocalApi.AWS.dynamoDb().updateItem(u -> u.tableName(LocalApi.TABLE)
                .key(Map.of("PK", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("U#" + user),
                        "SK", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("I#old")))
                .updateExpression("SET #ttl = :past")
                .expressionAttributeNames(Map.of("#ttl", "ttl"))
                .expressionAttributeValues(Map.of(":past", software.amazon.awssdk.services.dynamodb.model.AttributeValue
                        .fromN(Long.toString(java.time.Instant.now().minusSeconds(60).getEpochSecond()))))).join();
        Reply reused = post("/transactions", user, body("2.00", "CNY", "expense", "a", "2026-06-01"), "Idempotency-Key", "old");
        assertEquals(201, reused.status(), reused.toString());
        assertNotEquals(first.json().get("id"), reused.json().get("id"));
        assertEquals(Map.of("2026-06|expense|a|CNY", List.of(300L, 2L)), LocalApi.storedStatistics(user));
    }

    @Test
    void concurrentReplaysOfOneKeyCreateOneTransaction() {
        String user = newUser("idem-race");
        String request = body("3.00", "CNY", "expense", "tea", "2026-07-07");
        List<Reply> replies = IntStream.range(0, 8).parallel()
                .mapToObj(i -> post("/transactions", user, request, "Idempotency-Key", "race")).toList();
        replies.forEach(r -> assertEquals(201, r.status(), r.toString()));
        assertEquals(1, replies.stream().map(Reply::body).distinct().count());
        assertEquals(Map.of("2026-07|expense|tea|CNY", List.of(300L, 1L)), LocalApi.storedStatistics(user));
    }

    @Test
    void anotherUsersTransactionIsIndistinguishableFromAnUnknownOne() {
        String alice = newUser("owner");
        String bob = newUser("intruder");
        String id = create(alice, "1.00", "expense", "x", "2026-04-04").get("id").asText();
        Map<String, ?> before = LocalApi.tableSnapshot();
        Reply unknown = get("/transactions/01ARZ3NDEKTSV4RRFFQ69G5FAV", bob);
        Reply foreign = get("/transactions/" + id, bob);
        assertProblem(404, foreign);
        assertEquals(unknown.status(), foreign.status());
        assertEquals(unknown.json().get("detail"), foreign.json().get("detail"));
        assertProblem(404, patch("/transactions/" + id, bob, "{\"amount\":\"2.00\"}"));
        assertProblem(404, delete("/transactions/" + id, bob));
        assertEquals(0, get("/transactions", bob).json().get("items").size());
        assertEquals(before, LocalApi.tableSnapshot());
    }

    @Test
    void badInputIsAProblemAndChangesNothing() {
        String user = newUser("bad");
        String id = create(user, "1.00", "expense", "x", "2026-04-04").get("id").asText();
        Map<String, ?> before = LocalApi.tableSnapshot();

        assertProblem(400, post("/transactions", user, "{\"amount\":"));
        assertProblem(400, post("/transactions", user, "{\"amount\":\"1\",\"amount\":\"2\"}"));
        assertProblem(400, post("/transactions", user, "[]"));
        assertProblem(415, post("/transactions", user, body("1", "CNY", "expense", "x", "2026-01-01"),
                "Content-Type", "text/plain"));
        assertProblem(413, post("/transactions", user, "{\"note\":\"" + "x".repeat(300_000) + "\"}"));
        Reply invalid = post("/transactions", user,
                "{\"amount\":\"0.001\",\"currency\":\"CNY\",\"type\":\"gift\",\"category\":\"\",\"date\":\"2026-02-30\",\"color\":1}");
        assertProblem(422, invalid);
        Set<String> fields = new HashSet<>();
        invalid.json().get("errors").forEach(e -> fields.add(e.get("field").asText()));
        assertEquals(Set.of("amount", "type", "category", "date", "color"), fields);
        assertProblem(422, post("/transactions", user, body("1.5", "JPY", "expense", "x", "2026-01-01")));
        assertProblem(422, post("/transactions", user, "{\"amount\":12.34,\"type\":\"expense\",\"category\":\"x\",\"date\":\"2026-01-01\"}"));
        assertProblem(422, post("/transactions", user, body("1000000000000", "CNY", "expense", "x", "2026-01-01")));
        assertProblem(422, patch("/transactions/" + id, user, "{\"currency\":\"XYZ\"}"));
        assertProblem(422, patch("/transactions/" + id, user, "{}"));
        assertProblem(400, get("/transactions?from=2026-13-01", user));
        assertProblem(400, get("/transactions?limit=201", user));
        assertProblem(400, get("/transactions?limit=abc", user));
        assertProblem(400, get("/transactions?from=2026-05-01&to=2026-04-01", user));
        assertProblem(404, get("/transactions/..%2F..%2Fetc", user));
        assertEquals(before, LocalApi.tableSnapshot());
    }

    @Test
    void amountsKeepTheirCurrencysMinorUnits() {
        String user = newUser("currencies");
        assertEquals("1500", post("/transactions", user, body("1500", "JPY", "expense", "x", "2026-01-01")).json().get("amount").asText());
        assertEquals("1.250", post("/transactions", user, body("1.25", "KWD", "expense", "x", "2026-01-01")).json().get("amount").asText());
        assertEquals("999999999999.99", post("/transactions", user, body("999999999999.99", "USD", "income", "x", "2026-01-01")).json().get("amount").asText());
        // No currency in the body: the profile's default.
        assertEquals(200, patch("/me", user, "{\"currency\":\"EUR\"}").status());
        assertEquals("EUR", post("/transactions", user, body("2.00", null, "expense", "x", "2026-01-01")).json().get("currency").asText());
        assertStatisticsMatchRecount(user);
    }

    @Test
    void concurrentPatchesOfOneTransactionApplyInOrderAndNeverMix() {
        String user = newUser("race");
        String id = create(user, "1.00", "expense", "a", "2026-08-01").get("id").asText();
        List<Reply> replies = IntStream.range(0, 10).parallel().mapToObj(i -> patch("/transactions/" + id, user,
                "{\"amount\":\"" + (i + 2) + ".00\",\"category\":\"k" + i + "\",\"date\":\"2026-0" + (i % 2 == 0 ? 8 : 9) + "-0" + (i % 9 + 1) + "\"}"))
                .toList();
        replies.forEach(r -> assertTrue(r.status() == 200 || r.status() == 409, r.toString()));
        JsonNode last = get("/transactions/" + id, user).json();
        int k = Integer.parseInt(last.get("category").asText().substring(1));
        assertEquals((k + 2) + ".00", last.get("amount").asText(), "amount and category come from the same patch");
        assertStatisticsMatchRecount(user);
        assertEquals(1, LocalApi.recountedStatistics(user).values().stream().mapToLong(v -> v.get(1)).sum());
    }

    static void assertProblem(int status, Reply reply) {
        assertEquals(status, reply.status(), reply.toString());
        assertEquals("application/problem+json", reply.header("Content-Type"));
        JsonNode problem = reply.json();
        assertEquals(status, problem.get("status").asInt());
        assertTrue(problem.hasNonNull("title") && problem.hasNonNull("type") && problem.hasNonNull("detail"));
        assertNull(problem.get("trace"));
    }
}
