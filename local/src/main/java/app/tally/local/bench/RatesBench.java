package app.tally.local.bench;

import app.tally.aws.Env;
import app.tally.local.LocalStack;
import app.tally.services.rates.RateFetcher;
import app.tally.services.rates.RateSource;
import app.tally.services.rates.RateSources;
import app.tally.services.rates.Rates;
import app.tally.services.rates.SourceResult;
import java.net.URI;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code ./tally bench rates}, against the bench stack's rates emulator: (1) every source 200 ms slow: the three
 * fetches at once against the slowest alone and the three one after another (in this JVM, the functions' own
 * {@link RateFetcher}), and GET /rates end to end; (2) one source hanging: GET /rates against the budget; (3) a cached
 * day: outbound requests (counted by the emulator) and the latency of GET /rates.
 */
final class RatesBench {
    private static final int ROUNDS = 7;
    private static final int CACHED_REQUESTS = 300;

    private RatesBench() {
    }

    static void run() throws Exception {
        ApiClient api = new ApiClient(ApiClient.gateway(), 1);
        String token = LocalStack.jwt().issue("bench-rates", Duration.ofHours(1));
        URI control = ApiClient.gateway().resolve("/_local/rates");
        List<RateSource> sources = RateSources.fromEnvironment(Env.system());
        RateFetcher fetcher = new RateFetcher();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        List<LocalDate> days = new ArrayList<>();
        for (LocalDate day = today.minusDays(1); days.size() < 3 * ROUNDS + 2; day = day.minusDays(1)) {
            if (day.getDayOfWeek() != DayOfWeek.SATURDAY && day.getDayOfWeek() != DayOfWeek.SUNDAY) {
                days.add(day);
            }
        }
        int next = 0;
        api.send(control, "DELETE", null, null, null);
        // Warm-up: connections, JIT, the handler's first request.
        get(api, token, "base=CNY&date=" + days.get(next++));

        for (RateSource source : sources) {
            api.send(URI.create(control + "?source=" + source.name() + "&fault=none&delayMillis=200"), "POST", null, null, null);
        }
        List<Double> together = new ArrayList<>();
        List<Double> slowest = new ArrayList<>();
        List<Double> oneAfterAnother = new ArrayList<>();
        List<Double> endToEnd = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            LocalDate day = days.get(next++);
            long started = System.nanoTime();
            List<CompletableFuture<SourceResult>> all = sources.stream()
                    .map(s -> fetcher.fetch(s, "CNY", day, today, System.nanoTime() + Rates.BUDGET.toNanos())).toList();
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
            together.add(millis(started));
            all.forEach(f -> require(f.join().failure() == null, f.join().toString()));
            double sum = 0;
            double max = 0;
            for (RateSource source : sources) {
                long alone = System.nanoTime();
                SourceResult result = fetcher.fetch(source, "CNY", day, today, System.nanoTime() + Rates.BUDGET.toNanos()).join();
                require(result.failure() == null, result.toString());
                double took = millis(alone);
                sum += took;
                max = Math.max(max, took);
            }
            slowest.add(max);
            oneAfterAnother.add(sum);
            long request = System.nanoTime();
            get(api, token, "base=CNY&symbols=USD,JPY,EUR&date=" + days.get(next++));
            endToEnd.add(millis(request));
        }
        System.out.printf("Three sources, 200 ms injected latency each (%d rounds, medians):%n", ROUNDS);
        System.out.printf("  concurrent (all three at once) %.0f ms; slowest alone %.0f ms; sequential %.0f ms%n",
                median(together), median(slowest), median(oneAfterAnother));
        System.out.printf("  concurrent / slowest = %.2f (target <= 1.3); sequential / concurrent = %.2f%n",
                median(together) / median(slowest), median(oneAfterAnother) / median(together));
        System.out.printf("  GET /rates end to end (gateway, cache read, 3 sources, cache write): %.0f ms%n", median(endToEnd));

        api.send(control, "DELETE", null, null, null);
        api.send(URI.create(control + "?source=currency-api&fault=hang"), "POST", null, null, null);
        List<Double> hanging = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            long request = System.nanoTime();
            String body = get(api, token, "base=CNY&symbols=USD&date=" + days.get(next++));
            hanging.add(millis(request));
            require(body.contains("\"currency-api\""), body);
        }
        double worst = Collections.max(hanging);
        System.out.printf("One source hanging: GET /rates answered in %s ms (max %.0f ms); budget %d ms, max / budget = %.2f"
                + " (target <= 1.10)%n", hanging.stream().map(m -> String.format("%.0f", m)).toList(), worst,
                Rates.BUDGET.toMillis(), worst / Rates.BUDGET.toMillis());

        api.send(control, "DELETE", null, null, null);
        String cached = "base=CNY&symbols=USD,JPY,EUR&date=" + days.get(1);
        get(api, token, cached);
        api.send(control, "DELETE", null, null, null);
        List<Double> latencies = new ArrayList<>();
        for (int i = 0; i < CACHED_REQUESTS; i++) {
            long request = System.nanoTime();
            get(api, token, cached);
            latencies.add(millis(request));
        }
        String counts = api.send(control, "GET", null, null, null).body();
        long outbound = new com.fasterxml.jackson.databind.ObjectMapper().readTree(counts).path("requests").asLong();
        Collections.sort(latencies);
        System.out.printf("Cached day: %d requests, outbound calls %d; GET /rates p50 %.2f ms, p99 %.2f ms (target p50 < 5 ms)%n",
                CACHED_REQUESTS, outbound, latencies.get(latencies.size() / 2),
                latencies.get((int) Math.ceil(latencies.size() * 0.99) - 1));
        api.send(control, "DELETE", null, null, null);
    }

    private static String get(ApiClient api, String token, String query) {
        ApiClient.Reply reply = api.send("GET", "/rates?" + query, token, null, null);
        require(reply.status() == 200, reply.toString());
        return reply.body();
    }

    private static double millis(long started) {
        return (System.nanoTime() - started) / 1e6;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static void require(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("unexpected: " + what);
        }
    }
}
