package app.tally.local.bench;

import app.tally.local.LocalStack;
import app.tally.model.Money;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code ./tally bench load}: TALLY_LOAD_CLIENTS (50) concurrent clients for TALLY_LOAD_SECONDS (60) through the local
 * gateway, each sending its next request as soon as the last one is answered: 40% creates (with an Idempotency-Key),
 * 40% lists, 20% dashboards, five clients per user (so creates meet on the same statistics items). No retries: every
 * answer counts. Prints each route's throughput, p50/p99/max and its answers that were not 2xx; 0 errors is the
 * target, 429s are reported apart (the gateway or the functions may shed load by design).
 */
final class LoadBench {
    private static final List<String> CATEGORIES = List.of("餐饮", "交通", "日用", "娱乐", "房租");
    private static final Duration WARM_UP = Duration.ofSeconds(5);

    private LoadBench() {
    }

    /** One route's answers: latency of each, and the count of each status. */
    private static final class RouteStats {
        private final List<Long> nanos = new ArrayList<>();
        private final Map<Integer, Integer> statuses = new TreeMap<>();

        synchronized void add(long latency, int status) {
            nanos.add(latency);
            statuses.merge(status, 1, Integer::sum);
        }
    }

    static void run() throws Exception {
        int clients = Integer.parseInt(System.getenv().getOrDefault("TALLY_LOAD_CLIENTS", "50"));
        Duration duration = Duration.ofSeconds(Long.parseLong(System.getenv().getOrDefault("TALLY_LOAD_SECONDS", "60")));
        ApiClient api = new ApiClient(ApiClient.gateway(), 1);
        String run = Long.toString(System.nanoTime(), 36);
        Map<String, RouteStats> routes = new ConcurrentHashMap<>();
        long warmUntil = System.nanoTime() + WARM_UP.toNanos();
        long measureFrom = warmUntil;
        long until = warmUntil + duration.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            String user = "load-" + run + "-" + c / 5;
            String token = LocalStack.jwt().issue(user, Duration.ofHours(1));
            int client = c;
            running.add(pool.submit(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int n = 0; System.nanoTime() < until; n++) {
                    int pick = random.nextInt(10);
                    String route;
                    ApiClient.Reply reply;
                    long started = System.nanoTime();
                    if (pick < 4) {
                        route = "POST /transactions";
                        reply = api.send("POST", "/transactions", token, "application/json", body(random), "Idempotency-Key",
                                run + "-" + client + "-" + n);
                    } else if (pick < 8) {
                        route = "GET /transactions";
                        reply = api.send("GET", "/transactions?limit=50", token, null, null);
                    } else {
                        route = "GET /dashboard";
                        reply = api.send("GET", "/dashboard?month=2026-11&months=6", token, null, null);
                    }
                    long latency = System.nanoTime() - started;
                    if (started >= measureFrom) {
                        routes.computeIfAbsent(route, r -> new RouteStats()).add(latency, reply.status());
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        pool.shutdown();
        print(clients, duration, routes);
    }

    private static String body(ThreadLocalRandom random) {
        String category = CATEGORIES.get(random.nextInt(CATEGORIES.size()));
        LocalDate date = LocalDate.of(2026, 6 + random.nextInt(6), 1 + random.nextInt(28));
        return "{\"amount\":\"" + Money.toDecimalString(100 + random.nextInt(20_000), "CNY")
                + "\",\"currency\":\"CNY\",\"type\":\"expense\",\"category\":\"" + category + "\",\"date\":\"" + date + "\"}";
    }

    private static void print(int clients, Duration duration, Map<String, RouteStats> routes) {
        double seconds = duration.toMillis() / 1000.0;
        System.out.printf("load: %d clients for %.0f s through the local gateway (after %d s of warm-up; %d CPU cores,"
                + " shared with the stack and the emulators)%n", clients, seconds, WARM_UP.toSeconds(),
                Runtime.getRuntime().availableProcessors());
        System.out.printf("%-20s %9s %8s %9s %9s %9s  %s%n", "route", "requests", "req/s", "p50 ms", "p99 ms", "max ms",
                "answers");
        long total = 0;
        long errors = 0;
        long throttled = 0;
        for (var entry : new TreeMap<>(routes).entrySet()) {
            RouteStats stats = entry.getValue();
            long[] nanos = stats.nanos.stream().mapToLong(Long::longValue).toArray();
            total += nanos.length;
            for (var status : stats.statuses.entrySet()) {
                if (status.getKey() == 429) {
                    throttled += status.getValue();
                } else if (status.getKey() < 200 || status.getKey() >= 300) {
                    errors += status.getValue();
                }
            }
            System.out.printf("%-20s %,9d %8.1f %9.1f %9.1f %9.1f  %s%n", entry.getKey(), nanos.length,
                    nanos.length / seconds, Bench.pct(nanos, 50), Bench.pct(nanos, 99), Bench.pct(nanos, 100),
                    stats.statuses);
        }
        System.out.printf("all routes: %,d requests, %.1f req/s; errors %d (answers that were not 2xx or 429, or no"
                + " answer: status 0); 429s %d%n", total, total / seconds, errors, throttled);
    }
}
