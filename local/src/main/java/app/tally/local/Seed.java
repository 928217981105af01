package app.tally.local;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Seeds a demo user with about six months of realistic transactions through the HTTP API, as a client would.
 * Deterministic and idempotent: every row carries an Idempotency-Key, so seeding twice adds nothing.
 */
public final class Seed {
    private record Kind(String category, String type, int minCents, int maxCents, int perMonth) {
    }

    private static final List<Kind> KINDS = List.of(
            new Kind("餐饮", "expense", 1_500, 12_000, 22),
            new Kind("交通", "expense", 300, 6_000, 14),
            new Kind("日用", "expense", 990, 25_000, 6),
            new Kind("娱乐", "expense", 3_000, 40_000, 3),
            new Kind("房租", "expense", 450_000, 450_000, 1),
            new Kind("水电", "expense", 15_000, 40_000, 1),
            new Kind("工资", "income", 1_800_000, 1_800_000, 1),
            new Kind("理财", "income", 2_000, 60_000, 2));

    private Seed() {
    }

    public static void main(String[] args) throws Exception {
        String user = args.length > 0 ? args[0] : "demo-user";
        URI api = URI.create(System.getenv().getOrDefault("TALLY_API_URL", "http://127.0.0.1:3000"));
        String token = LocalStack.jwt().issue(user, Duration.ofMinutes(10));
        HttpClient http = HttpClient.newHttpClient();
        Random random = new Random(20261128L);
        YearMonth current = YearMonth.now();
        List<String[]> rows = new ArrayList<>();
        for (int back = 5; back >= 0; back--) {
            YearMonth month = current.minusMonths(back);
            int lastDay = back == 0 ? LocalDate.now().getDayOfMonth() : month.lengthOfMonth();
            for (int k = 0; k < KINDS.size(); k++) {
                Kind kind = KINDS.get(k);
                for (int i = 0; i < kind.perMonth(); i++) {
                    int cents = kind.minCents() + random.nextInt(kind.maxCents() - kind.minCents() + 1);
                    LocalDate date = month.atDay(kind.perMonth() == 1 ? Math.min(5, lastDay) : 1 + random.nextInt(lastDay));
                    rows.add(new String[] {month + "-" + k + "-" + i, String.format(
                            "{\"amount\":\"%d.%02d\",\"currency\":\"CNY\",\"type\":\"%s\",\"category\":\"%s\",\"date\":\"%s\",\"note\":\"demo\",\"tags\":[\"demo\"]}",
                            cents / 100, cents % 100, kind.type(), kind.category(), date)});
                }
            }
        }
        Semaphore inFlight = new Semaphore(8);
        AtomicInteger failed = new AtomicInteger();
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (String[] row : rows) {
            inFlight.acquire();
            HttpRequest request = HttpRequest.newBuilder(api.resolve("/transactions"))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .header("Idempotency-Key", "seed-" + row[0])
                    .POST(HttpRequest.BodyPublishers.ofString(row[1]))
                    .build();
            sent.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, error) -> {
                inFlight.release();
                if (error != null || response.statusCode() != 201) {
                    failed.incrementAndGet();
                    System.err.println("seed row failed: " + (error != null ? error : response.body()));
                }
                return null;
            }));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
        System.err.println("seeded " + (rows.size() - failed.get()) + " transactions over 6 months for " + user);
        if (failed.get() > 0) {
            System.exit(1);
        }
    }
}
