package app.tally.functions.rates;

import app.tally.aws.AwsClients;
import app.tally.aws.Env;
import app.tally.model.DayRates;
import app.tally.services.rates.Rates;
import app.tally.telemetry.Log;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The EventBridge schedule after ECB publishes (weekdays): fetches and stores today's rates of each base in
 * RATES_PREFETCH_BASES, so that people rarely wait for a source. The event's content does not matter (a Map, so the
 * function needs no event classes). A base no source answered for fails the invocation, which Lambda retries and the
 * errors alarm reports.
 */
public final class RatesPrefetchHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private final Rates rates;
    private final List<String> bases;

    public RatesPrefetchHandler() {
        this(Env.system());
    }

    public RatesPrefetchHandler(Env env) {
        this(env, AwsClients.container());
    }

    public RatesPrefetchHandler(Env env, AwsClients aws) {
        this.rates = RatesSetup.rates(env, aws);
        this.bases = Arrays.stream(env.require("RATES_PREFETCH_BASES").split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        List<CompletableFuture<DayRates>> days = bases.stream().map(rates::prefetch).toList();
        Map<String, Object> summary = new LinkedHashMap<>();
        for (CompletableFuture<DayRates> future : days) {
            DayRates day = future.join();
            summary.put(day.base(), Map.of("date", day.date().toString(), "asOf", String.valueOf(day.asOf()),
                    "currencies", day.rates().size(), "failedSources", day.failedSources()));
            Log.info("rates-prefetch").put("base", day.base()).put("currencies", day.rates().size())
                    .put("failedSources", String.join(",", day.failedSources().keySet())).write();
        }
        List<String> unanswered = days.stream().map(CompletableFuture::join).filter(d -> d.rates().isEmpty())
                .map(DayRates::base).toList();
        if (!unanswered.isEmpty()) {
            throw new IllegalStateException("no source answered for " + unanswered);
        }
        return summary;
    }
}
