package app.tally.it;

import static app.tally.it.LocalApi.newUser;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.tally.it.LocalApi.Reply;
import app.tally.local.LedgerAudit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random workloads of creates, patches, deletes and idempotent replays, some concurrent: afterwards every statistics
 * item equals a recount of the stored transactions.
 */
class StatisticsPropertyIT {
    private static final String[] CATEGORIES = {"餐饮", "交通", "rent", "salary", "gifts"};
    private static final String[] CURRENCIES = {"CNY", "USD", "JPY"};

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 7, 42})
    void statisticsEqualARecountAfterARandomWorkload(long seed) {
        Random random = new Random(seed);
        String user = newUser("prop" + seed);
        List<String> ids = new CopyOnWriteArrayList<>();
        List<String> usedKeys = new ArrayList<>();
        List<String> keyBodies = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 40; round++) {
                List<CompletableFuture<Void>> concurrent = new ArrayList<>();
                for (int j = 0; j < 8; j++) {
                    Runnable operation = operation(random, user, ids, usedKeys, keyBodies);
                    concurrent.add(CompletableFuture.runAsync(operation, pool));
                }
                concurrent.forEach(CompletableFuture::join);
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(LocalApi.recountedStatistics(user).size() > 3);
        assertEquals(LocalApi.recountedStatistics(user), LocalApi.storedStatistics(user));
        // Moves between dates (away from an id's home, between other dates, back home) keep each transaction
        // reachable by its id.
        LedgerAudit audit = LocalApi.audit(user);
        assertTrue(audit.forwardsIntact(), "each moved transaction has its forwarding item, and no other is left");
        for (var item : audit.transactions()) {
            Reply found = LocalApi.get("/transactions/" + item.get("id").s(), user);
            assertEquals(200, found.status(), found.toString());
            assertEquals(item.get("date").s(), found.json().get("date").asText());
        }
    }

    private static Runnable operation(Random random, String user, List<String> ids, List<String> keys,
                                      List<String> keyBodies) {
        int choice = random.nextInt(10);
        String body = randomBody(random);
        if (choice < 4 || ids.isEmpty()) {
            String key = random.nextBoolean() ? "k" + random.nextInt(1_000_000) : null;
            if (key != null) {
                keys.add(key);
                keyBodies.add(body);
            }
            return () -> {
                Reply reply = key == null ? LocalApi.post("/transactions", user, body)
                        : LocalApi.post("/transactions", user, body, "Idempotency-Key", key);
                assertEquals(201, reply.status(), reply.toString());
                String id = reply.json().get("id").asText();
                if (!ids.contains(id)) {
                    ids.add(id);
                }
            };
        }
        if (choice < 6 && !keys.isEmpty()) {
            int k = random.nextInt(keys.size());
            String key = keys.get(k);
            String original = keyBodies.get(k);
            return () -> assertEquals(201, LocalApi.post("/transactions", user, original, "Idempotency-Key", key).status());
        }
        String id = ids.get(random.nextInt(ids.size()));
        if (choice < 9) {
            String change = random.nextBoolean() ? body : "{\"amount\":\"" + (1 + random.nextInt(500)) + "\"}";
            return () -> {
                int status = LocalApi.patch("/transactions/" + id, user, change).status();
                assertTrue(status == 200 || status == 404 || status == 409 || status == 422, "patch " + status);
            };
        }
        return () -> {
            int status = LocalApi.delete("/transactions/" + id, user).status();
            assertTrue(status == 204 || status == 404, "delete " + status);
        };
    }

    private static String randomBody(Random random) {
        String currency = CURRENCIES[random.nextInt(CURRENCIES.length)];
        String amount = currency.equals("JPY") ? Integer.toString(1 + random.nextInt(20_000))
                : (1 + random.nextInt(999)) + "." + String.format("%02d", random.nextInt(100));
        String date = "2026-" + String.format("%02d", 1 + random.nextInt(4)) + "-" + String.format("%02d", 1 + random.nextInt(28));
        return "{\"amount\":\"" + amount + "\",\"currency\":\"" + currency + "\",\"type\":\""
                + (random.nextInt(4) == 0 ? "income" : "expense") + "\",\"category\":\""
                + CATEGORIES[random.nextInt(CATEGORIES.length)] + "\",\"date\":\"" + date + "\"}";
    }
}
