package app.tally.services.dashboard;

import app.tally.json.Json;
import app.tally.model.DayRates;
import app.tally.model.Money;
import app.tally.services.Parameters;
import app.tally.services.Refusal;
import app.tally.services.rates.Rates;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The dashboard's totals in one currency, beside the per-currency ones: each month's amounts converted at that
 * month's last published rate (the current month at today's), every month's rates asked at once and never waited for
 * longer than {@link Rates#BUDGET}. A currency with no rate for a month stays unconverted, listed in
 * {@code unconverted}; the dashboard answers all the same.
 */
public final class DashboardConversion {
    /** Beyond the sources' budget: the cache reads and the table write of a fetched day. */
    static final long WAIT_MILLIS = Rates.BUDGET.toMillis() + 300;
    private final Rates rates;

    public DashboardConversion(Rates rates) {
        this.rates = rates;
    }

    /** {@code ?convertTo=CNY}: an ISO 4217 code (else a 400); empty means the profile's currency. */
    public static Optional<String> convertTo(Parameters request) {
        return request.query("convertTo").map(code -> {
            try {
                return Money.currency(code);
            } catch (IllegalArgumentException e) {
                throw Refusal.malformed("convertTo must be an ISO 4217 code such as CNY.");
            }
        });
    }

    /** Adds {@code converted} to a dashboard {@code body} rendered by {@link Dashboard}. */
    public CompletableFuture<ObjectNode> addTo(ObjectNode body, String currency) {
        LocalDate today = rates.today();
        Map<YearMonth, CompletableFuture<Rates.Lookup>> lookups = new TreeMap<>();
        List<YearMonth> months = new ArrayList<>();
        months.add(YearMonth.parse(body.path("month").path("month").asText()));
        body.path("trend").forEach(point -> months.add(YearMonth.parse(point.path("month").asText())));
        Rates.Lookup none = new Rates.Lookup(Optional.empty(), false, Map.of());
        for (YearMonth month : months) {
            LocalDate last = month.atEndOfMonth();
            lookups.computeIfAbsent(month, m -> rates.lookup(currency, last.isAfter(today) ? today : last)
                    .exceptionally(failure -> none)
                    .completeOnTimeout(none, WAIT_MILLIS, TimeUnit.MILLISECONDS));
        }
        return CompletableFuture.allOf(lookups.values().toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            Converter converter = new Converter(currency, lookups);
            ObjectNode converted = body.putObject("converted");
            converted.put("currency", currency);
            YearMonth month = months.get(0);
            converted.set("month", converter.totals(month, body.path("month").path("totals")));
            converted.set("byCategory", converter.byCategory(month, body.path("month").path("byCategory")));
            ArrayNode trend = converted.putArray("trend");
            body.path("trend").forEach(point -> {
                YearMonth m = YearMonth.parse(point.path("month").asText());
                trend.add(converter.totals(m, point.path("totals")).put("month", m.toString()));
            });
            converted.set("rates", converter.used);
            converted.set("unconverted", converter.unconverted);
            return body;
        });
    }

    /** Converts amounts month by month and notes each rate it used, once. */
    private static final class Converter {
        final String target;
        final Map<YearMonth, CompletableFuture<Rates.Lookup>> lookups;
        final ArrayNode used = Json.MAPPER.createArrayNode();
        final ArrayNode unconverted = Json.MAPPER.createArrayNode();
        final Map<String, Boolean> noted = new LinkedHashMap<>();

        Converter(String target, Map<YearMonth, CompletableFuture<Rates.Lookup>> lookups) {
            this.target = target;
            this.lookups = lookups;
        }

        /** {@code amount} of {@code currency} in the target currency, or null without a rate for the month. */
        BigDecimal convert(YearMonth month, String currency, BigDecimal amount) {
            if (currency.equals(target)) {
                return amount;
            }
            Rates.Lookup lookup = lookups.get(month).join();
            DayRates.Rate rate = lookup.day().map(d -> d.rates().get(currency)).orElse(null);
            String key = month + " " + currency;
            if (noted.putIfAbsent(key, rate != null) == null) {
                if (rate == null) {
                    unconverted.addObject().put("month", month.toString()).put("currency", currency);
                } else {
                    DayRates day = lookup.day().get();
                    used.addObject().put("month", month.toString()).put("currency", currency)
                            .put("rate", rate.value().toPlainString()).put("date", String.valueOf(day.asOf()))
                            .put("stale", lookup.stale());
                }
            }
            return rate == null ? null : amount.divide(rate.value(), Money.fractionDigits(target) + 4,
                    RoundingMode.HALF_EVEN);
        }

        ObjectNode totals(YearMonth month, JsonNode perCurrency) {
            BigDecimal income = BigDecimal.ZERO;
            BigDecimal expense = BigDecimal.ZERO;
            for (JsonNode totals : perCurrency) {
                String currency = totals.path("currency").asText();
                BigDecimal in = convert(month, currency, new BigDecimal(totals.path("income").asText()));
                BigDecimal out = convert(month, currency, new BigDecimal(totals.path("expense").asText()));
                if (in != null) {
                    income = income.add(in);
                    expense = expense.add(out);
                }
            }
            return Json.object().put("income", money(income)).put("expense", money(expense))
                    .put("net", money(income.subtract(expense)));
        }

        ArrayNode byCategory(YearMonth month, JsonNode lines) {
            record Line(String type, String category, BigDecimal amount) {
            }
            Map<String, Line> merged = new TreeMap<>();
            for (JsonNode line : lines) {
                BigDecimal amount = convert(month, line.path("currency").asText(), new BigDecimal(line.path("amount").asText()));
                if (amount != null) {
                    String type = line.path("type").asText();
                    String category = line.path("category").asText();
                    merged.merge(type + "\u0000" + category, new Line(type, category, amount),
                            (a, b) -> new Line(a.type(), a.category(), a.amount().add(b.amount())));
                }
            }
            ArrayNode array = Json.MAPPER.createArrayNode();
            merged.values().stream().sorted(Comparator.comparing(Line::type)
                            .thenComparing(Comparator.comparing(Line::amount).reversed()).thenComparing(Line::category))
                    .forEach(line -> array.addObject().put("category", line.category()).put("type", line.type())
                            .put("amount", money(line.amount())));
            return array;
        }

        /** A sum of converted amounts, rounded once to the target's minor units. */
        String money(BigDecimal amount) {
            return amount.setScale(Money.fractionDigits(target), RoundingMode.HALF_EVEN).toPlainString();
        }
    }
}
