package app.tally.services.rates;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Frankfurter: ECB's data as JSON, {@code /v1/latest} and {@code /v1/{date}} (the latest working day on or before it),
 * asked in its default base EUR ({@code {"amount":1.0,"base":"EUR","date":"2026-11-24","rates":{"USD":1.0412,..}}})
 * and crossed like ECB's file, so that every base it can cross is served by one request shape.
 */
public final class FrankfurterSource implements RateSource {
    private final URI root;

    public FrankfurterSource(String root) {
        this.root = URI.create(root.endsWith("/") ? root : root + "/");
    }

    @Override
    public String name() {
        return "frankfurter";
    }

    @Override
    public List<URI> addresses(String base, LocalDate date, LocalDate today) {
        return List.of(root.resolve("v1/" + (date.equals(today) ? "latest" : date.toString())));
    }

    @Override
    public Quote read(String body, String base, LocalDate date) {
        JsonNode json = RateSources.json(body, "Frankfurter");
        if (!"EUR".equals(json.path("base").asText()) || !json.path("rates").isObject()) {
            throw new MalformedRatesException("not a Frankfurter answer in base EUR");
        }
        LocalDate day = RateSources.day(json.path("date").asText(), date);
        Map<String, BigDecimal> rates = new TreeMap<>();
        json.path("rates").properties().forEach(entry -> {
            String code = RateSources.currency(entry.getKey());
            if (RateSources.isIso(code)) {
                rates.put(code, RateSources.rate(entry.getValue()));
            }
        });
        rates.put("EUR", BigDecimal.ONE);
        Quote quote = new Quote(name(), day, "EUR", rates).rebased(base);
        if (quote == null) {
            throw new MalformedRatesException("Frankfurter has no rate for " + base);
        }
        return quote;
    }
}
