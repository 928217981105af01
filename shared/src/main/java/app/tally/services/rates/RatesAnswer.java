package app.tally.services.rates;

import app.tally.json.Json;
import app.tally.model.DayRates;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.Set;

/** The body of {@code GET /rates}: rates as decimal strings, never numbers, with where they came from. */
public final class RatesAnswer {
    private RatesAnswer() {
    }

    public static ObjectNode of(RatesQuery query, Rates.Lookup lookup) {
        ObjectNode json = Json.object();
        json.put("base", query.base());
        json.put("date", query.date().toString());
        Optional<DayRates> day = lookup.day();
        json.put("asOf", day.map(d -> String.valueOf(d.asOf())).orElse(null));
        json.put("stale", lookup.stale());
        if (lookup.stale()) {
            json.put("staleDate", day.get().date().toString());
        }
        ObjectNode rates = json.putObject("rates");
        ArrayNode missing = json.putArray("missing");
        Set<String> wanted = query.symbols().orElseGet(() -> day.map(d -> d.rates().keySet()).orElse(Set.of()));
        for (String currency : wanted) {
            DayRates.Rate rate = currency.equals(query.base()) ? null : day.map(d -> d.rates().get(currency)).orElse(null);
            if (currency.equals(query.base())) {
                rates.putObject(currency).put("rate", "1").putArray("sources");
            } else if (rate == null) {
                missing.add(currency);
            } else {
                ObjectNode entry = rates.putObject(currency);
                entry.put("rate", rate.value().toPlainString());
                rate.sources().forEach(entry.putArray("sources")::add);
            }
        }
        ArrayNode failed = json.putArray("failedSources");
        lookup.failedSources().forEach((source, why) -> failed.addObject().put("source", source).put("reason", why));
        ArrayNode outliers = json.putArray("outliers");
        day.ifPresent(d -> d.outliers().stream().filter(o -> wanted.contains(o.currency())).forEach(o ->
                outliers.addObject().put("source", o.source()).put("currency", o.currency())
                        .put("rate", o.value().toPlainString())));
        return json;
    }
}
