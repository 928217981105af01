package app.tally.store;

import static app.tally.store.Attributes.key;
import static app.tally.store.Attributes.s;

import app.tally.model.DayRates;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The combined rates of each base and day ({@code PK RATES#<base>}, {@code SK D#<date>}). A day is written only over
 * nothing, over a partial day, or over a complete day of older data (today's item before ECB published); a partial day
 * never replaces a complete one.
 */
public final class RateStore {
    private final DynamoDbAsyncClient db;
    private final String table;

    public RateStore(DynamoDbAsyncClient db, String table) {
        this.db = db;
        this.table = table;
    }

    public CompletableFuture<Optional<DayRates>> find(String base, LocalDate date) {
        return db.getItem(g -> g.tableName(table).key(key(Keys.rates(base), Keys.ratesDay(date))))
                .thenApply(r -> r.hasItem() && !r.item().isEmpty() ? Optional.of(toDay(r.item())) : Optional.empty());
    }

    /** The newest stored day on or before {@code date}: what answers, marked stale, when every source is down. */
    public CompletableFuture<Optional<DayRates>> latestOnOrBefore(String base, LocalDate date) {
        return db.query(q -> q.tableName(table)
                        .keyConditionExpression("PK = :pk AND SK BETWEEN :from AND :to")
                        .expressionAttributeValues(Map.of(":pk", s(Keys.rates(base)), ":from", s(Keys.RATES_DAYS), ":to", s(Keys.ratesDay(date))))
                        .scanIndexForward(false)
                        .limit(1))
                .thenApply(r -> r.items().isEmpty() ? Optional.empty() : Optional.of(toDay(r.items().get(0))));
    }

    /** True when written; false when the stored day is complete (and as new) or this one is partial and not newer. */
    public CompletableFuture<Boolean> save(DayRates day) {
        String condition = day.complete()
                ? "attribute_not_exists(PK) OR complete = :false OR asOf < :asOf"
                : "attribute_not_exists(PK) OR (complete = :false AND asOf < :asOf)";
        return db.putItem(p -> p.tableName(table).item(item(day)).conditionExpression(condition)
                        .expressionAttributeValues(Map.of(":false", AttributeValue.fromBool(false),
                                ":asOf", s(String.valueOf(day.asOf())))))
                .thenApply(ignored -> true)
                .exceptionally(failure -> {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    if (cause instanceof ConditionalCheckFailedException) {
                        return false;
                    }
                    throw failure instanceof RuntimeException r ? r : new CompletionException(failure);
                });
    }

    private static Map<String, AttributeValue> item(DayRates day) {
        Map<String, AttributeValue> rates = new HashMap<>();
        day.rates().forEach((currency, rate) -> rates.put(currency, AttributeValue.fromM(Map.of(
                "rate", s(rate.value().toPlainString()), "sources", AttributeValue.fromL(
                        rate.sources().stream().map(Attributes::s).toList())))));
        Map<String, AttributeValue> failed = new HashMap<>();
        day.failedSources().forEach((source, why) -> failed.put(source, s(why)));
        List<AttributeValue> outliers = day.outliers().stream().map(o -> AttributeValue.fromM(Map.of(
                "source", s(o.source()), "currency", s(o.currency()), "rate", s(o.value().toPlainString())))).toList();
        Map<String, AttributeValue> item = new HashMap<>(key(Keys.rates(day.base()), Keys.ratesDay(day.date())));
        item.put("base", s(day.base()));
        item.put("date", s(day.date().toString()));
        item.put("asOf", s(String.valueOf(day.asOf())));
        item.put("fetchedAt", s(day.fetchedAt().toString()));
        item.put("complete", AttributeValue.fromBool(day.complete()));
        item.put("rates", AttributeValue.fromM(rates));
        item.put("failedSources", AttributeValue.fromM(failed));
        item.put("outliers", AttributeValue.fromL(outliers));
        return item;
    }

    private static DayRates toDay(Map<String, AttributeValue> item) {
        Map<String, DayRates.Rate> rates = new TreeMap<>();
        item.get("rates").m().forEach((currency, value) -> rates.put(currency, new DayRates.Rate(
                new BigDecimal(value.m().get("rate").s()), value.m().get("sources").l().stream()
                .map(AttributeValue::s).toList())));
        Map<String, String> failed = new TreeMap<>();
        item.get("failedSources").m().forEach((source, why) -> failed.put(source, why.s()));
        List<DayRates.Outlier> outliers = item.get("outliers").l().stream().map(o -> new DayRates.Outlier(
                o.m().get("source").s(), o.m().get("currency").s(), new BigDecimal(o.m().get("rate").s()))).toList();
        return new DayRates(Attributes.string(item, "base"), Attributes.date(item, "date"),
                Attributes.date(item, "asOf"), rates, failed, outliers, Attributes.instant(item, "fetchedAt"));
    }
}
