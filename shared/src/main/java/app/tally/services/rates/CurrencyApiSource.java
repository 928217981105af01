package app.tally.services.rates;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The open currency-api dataset: one JSON file per base currency per date
 * ({@code {"date":"2026-11-24","cny":{"usd":0.1404,..}}}, codes in lower case, 150+ currencies and some tokens), served
 * from jsDelivr ({@code .../currency-api@{date}/v1/currencies/{base}.json}) with a second host as mirror. Each address
 * template names {@code {date}} ("latest" for today) and {@code {base}}.
 */
public final class CurrencyApiSource implements RateSource {
    private final List<String> templates;

    public CurrencyApiSource(List<String> templates) {
        if (templates.isEmpty()) {
            throw new IllegalArgumentException("currency-api needs at least one address template");
        }
        this.templates = List.copyOf(templates);
    }

    @Override
    public String name() {
        return "currency-api";
    }

    @Override
    public List<URI> addresses(String base, LocalDate date, LocalDate today) {
        String day = date.equals(today) ? "latest" : date.toString();
        String code = base.toLowerCase(Locale.ROOT);
        return templates.stream().map(t -> URI.create(t.replace("{date}", day).replace("{base}", code))).toList();
    }

    @Override
    public Quote read(String body, String base, LocalDate date) {
        JsonNode json = RateSources.json(body, "currency-api");
        JsonNode table = json.path(base.toLowerCase(Locale.ROOT));
        if (!table.isObject()) {
            throw new MalformedRatesException("currency-api answer has no " + base + " table");
        }
        LocalDate day = RateSources.day(json.path("date").asText(), date);
        Map<String, BigDecimal> rates = new TreeMap<>();
        table.properties().forEach(entry -> {
            String code = entry.getKey().toUpperCase(Locale.ROOT);
            if (code.length() == 3 && RateSources.isIso(code)) {
                rates.put(code, RateSources.rate(entry.getValue()));
            }
        });
        rates.put(base, BigDecimal.ONE);
        return new Quote(name(), day, base, rates);
    }
}
