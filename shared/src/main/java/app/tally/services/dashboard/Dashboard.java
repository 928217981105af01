package app.tally.services.dashboard;

import app.tally.aws.Fanout;
import app.tally.json.Json;
import app.tally.model.InvalidInput;
import app.tally.model.Money;
import app.tally.model.Profile;
import app.tally.model.Transaction;
import app.tally.retry.Failures;
import app.tally.services.Refusal;
import app.tally.services.ledger.TransactionJson;
import app.tally.services.profile.Profiles;
import app.tally.store.LedgerStore;
import app.tally.store.MonthSlice;
import app.tally.store.StatsRow;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * One call, every read in flight at once: the profile, each month's statistics and the newest transactions are
 * requested together through a bounded {@link Fanout}, so the dashboard costs its slowest read, not their sum.
 * Statistics are required (503 when they fail); the recent list is optional (the answer says it is missing).
 */
public final class Dashboard {
    static final int RECENT = 10;
    private final LedgerStore ledger;
    private final Profiles profiles;
    private final Clock clock;
    private final int maxInFlight;

    public Dashboard(LedgerStore ledger, Profiles profiles, Clock clock, int maxInFlight) {
        this.ledger = ledger;
        this.profiles = profiles;
        this.clock = clock;
        this.maxInFlight = maxInFlight;
    }

    public CompletableFuture<ObjectNode> build(String user, Map<String, String> claims, DashboardQuery query) {
        Fanout reads = new Fanout(maxInFlight);
        Supplier<CompletableFuture<Profile>> readProfile = () -> reads.submit("profile", () -> profiles.peek(user, claims));
        CompletableFuture<ObjectNode> body;
        if (query.month().isPresent()) {
            // The profile is one GetItem, the quickest read: started last, the queries each start a request sooner.
            body = build(user, query, query.month().get(), readProfile, reads);
        } else {
            // Without a month the current one depends on the profile's time zone: the only read that must come first.
            CompletableFuture<Profile> profile = readProfile.get();
            body = profile.thenCompose(p -> build(user, query, YearMonth.now(clock.withZone(ZoneId.of(p.timeZone()))),
                    () -> profile, reads));
        }
        return body.exceptionally(failure -> {
            Throwable cause = Failures.unwrap(failure);
            if (cause instanceof Refusal || cause instanceof InvalidInput) {
                throw (RuntimeException) cause;
            }
            throw Refusal.unavailable("The dashboard could not be read just now; retry shortly.");
        });
    }

    private CompletableFuture<ObjectNode> build(String user, DashboardQuery query, YearMonth month,
                                                Supplier<CompletableFuture<Profile>> readProfile, Fanout reads) {
        YearMonth first = month.minusMonths(query.months() - 1L);
        YearMonth earliest = first.isBefore(month.minusMonths(1)) ? first : month.minusMonths(1);
        // One query reads the statistics of every month shown: one request, one read-capacity rounding.
        CompletableFuture<Map<YearMonth, List<StatsRow>>> stats = reads.submit("stats",
                () -> ledger.stats(user, earliest, month)).thenApply(Dashboard::byMonth);
        List<CompletableFuture<MonthSlice>> recent = List.of(
                reads.submit("recent " + month, () -> ledger.newest(user, month, RECENT)),
                reads.submit("recent " + month.minusMonths(1), () -> ledger.newest(user, month.minusMonths(1), RECENT)));
        CompletableFuture<Profile> profile = readProfile.get();
        CompletableFuture<List<Transaction>> recentItems = olderIfNeeded(user, month, recent, stats, reads)
                .handle((items, failure) -> failure == null ? items : null);
        return CompletableFuture.allOf(profile, stats).thenCombine(recentItems, (ignored, items) -> {
            ObjectNode body = render(profile.join(), month, first, stats.join(), items);
            if (query.timings()) {
                ObjectNode spans = body.putObject("reads");
                reads.spans().forEach((name, span) -> spans.putObject(name)
                        .put("startMicros", span.startMicros()).put("endMicros", span.endMicros()));
            }
            return body;
        });
    }

    private static Map<YearMonth, List<StatsRow>> byMonth(List<StatsRow> rows) {
        Map<YearMonth, List<StatsRow>> byMonth = new TreeMap<>();
        rows.forEach(row -> byMonth.computeIfAbsent(row.month(), m -> new ArrayList<>()).add(row));
        return byMonth;
    }

    /**
     * The newest transactions up to the end of the month. The month and the one before are read with everything else;
     * only when both hold fewer than ten are older months with data (known from the statistics) read, in one more
     * round.
     */
    private CompletableFuture<List<Transaction>> olderIfNeeded(String user, YearMonth month,
                                                               List<CompletableFuture<MonthSlice>> recent,
                                                               CompletableFuture<Map<YearMonth, List<StatsRow>>> stats,
                                                               Fanout reads) {
        return recent.get(0).thenCombine(recent.get(1), (current, previous) -> {
            List<Transaction> items = new ArrayList<>(current.items());
            items.addAll(previous.items());
            return items;
        }).thenCombine(stats.handle((rows, failure) -> rows == null ? Map.<YearMonth, List<StatsRow>>of() : rows),
                (items, rows) -> {
                    if (items.size() >= RECENT) {
                        return CompletableFuture.completedFuture(items.subList(0, RECENT));
                    }
                    List<YearMonth> older = new ArrayList<>();
                    rows.forEach((m, monthRows) -> {
                        if (m.isBefore(month.minusMonths(1)) && monthRows.stream().anyMatch(r -> !r.isEmpty())) {
                            older.add(0, m);
                        }
                    });
                    List<CompletableFuture<MonthSlice>> more = older.stream().map(m -> reads.submit("recent " + m,
                            () -> ledger.newest(user, m, RECENT))).toList();
                    return CompletableFuture.allOf(more.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
                        more.forEach(slice -> items.addAll(slice.join().items()));
                        return items.size() > RECENT ? items.subList(0, RECENT) : items;
                    });
                }).thenCompose(f -> f);
    }

    private ObjectNode render(Profile profile, YearMonth month, YearMonth first, Map<YearMonth, List<StatsRow>> rows,
                              List<Transaction> recent) {
        ObjectNode body = Json.object();
        body.putObject("profile").put("name", profile.name()).put("currency", profile.currency());

        Map<String, Totals> current = totals(rows.get(month));
        Map<String, Totals> previous = totals(rows.get(month.minusMonths(1)));
        ObjectNode monthNode = body.putObject("month");
        monthNode.put("month", month.toString());
        ArrayNode totalsNode = monthNode.putArray("totals");
        current.forEach((currency, t) -> totalsNode.add(t.toJson(currency)));
        monthNode.set("byCategory", byCategory(rows.get(month), current));
        ObjectNode change = monthNode.putObject("change");
        change.put("against", month.minusMonths(1).toString());
        ArrayNode changes = change.putArray("totals");
        TreeSet<String> compared = new TreeSet<>(current.keySet());
        compared.addAll(previous.keySet());
        for (String currency : compared) {
            Totals now = current.getOrDefault(currency, new Totals());
            Totals before = previous.getOrDefault(currency, new Totals());
            ObjectNode c = changes.addObject().put("currency", currency);
            c.put("income", Money.toDecimalString(now.income.subtract(before.income), currency));
            c.put("expense", Money.toDecimalString(now.expense.subtract(before.expense), currency));
            c.put("net", Money.toDecimalString(now.net().subtract(before.net()), currency));
            c.put("expensePercent", percentChange(before.expense, now.expense));
            c.put("incomePercent", percentChange(before.income, now.income));
        }

        TreeSet<String> trendCurrencies = new TreeSet<>();
        rows.forEach((m, r) -> {
            if (!m.isBefore(first)) {
                trendCurrencies.addAll(totals(r).keySet());
            }
        });
        if (trendCurrencies.isEmpty()) {
            trendCurrencies.add(profile.currency());
        }
        ArrayNode trend = body.putArray("trend");
        for (YearMonth m = first; !m.isAfter(month); m = m.plusMonths(1)) {
            Map<String, Totals> totals = totals(rows.get(m));
            ObjectNode point = trend.addObject().put("month", m.toString());
            ArrayNode perCurrency = point.putArray("totals");
            for (String currency : trendCurrencies) {
                perCurrency.add(totals.getOrDefault(currency, new Totals()).toJson(currency));
            }
        }

        if (recent != null) {
            ArrayNode recentNode = body.putArray("recent");
            recent.forEach(tx -> recentNode.add(TransactionJson.of(tx)));
        } else {
            body.putNull("recent");
            body.putArray("missing").add("recent");
        }
        body.put("generatedAt", clock.instant().toString());
        return body;
    }

    /** Sums of one month per currency: exact, as the statistics they add up may be beyond any {@code long}. */
    private static final class Totals {
        BigInteger income = BigInteger.ZERO;
        BigInteger expense = BigInteger.ZERO;
        long count;

        BigInteger net() {
            return income.subtract(expense);
        }

        ObjectNode toJson(String currency) {
            return Json.object().put("currency", currency)
                    .put("income", Money.toDecimalString(income, currency))
                    .put("expense", Money.toDecimalString(expense, currency))
                    .put("net", Money.toDecimalString(net(), currency))
                    .put("count", count);
        }
    }

    private static Map<String, Totals> totals(List<StatsRow> rows) {
        Map<String, Totals> totals = new TreeMap<>();
        for (StatsRow row : rows == null ? List.<StatsRow>of() : rows) {
            row.counts().forEach((currency, count) -> {
                if (count == 0) {
                    return;
                }
                Totals t = totals.computeIfAbsent(currency, c -> new Totals());
                BigInteger sum = row.sums().getOrDefault(currency, BigInteger.ZERO);
                if (row.type().equals("income")) {
                    t.income = t.income.add(sum);
                } else {
                    t.expense = t.expense.add(sum);
                }
                t.count = Math.addExact(t.count, count);
            });
        }
        return totals;
    }

    /** Categories by amount, largest first; a share is the category's part of its type's total in its currency. */
    private static ArrayNode byCategory(List<StatsRow> rows, Map<String, Totals> totals) {
        record Line(String category, String type, String currency, BigInteger amount, long count) {
        }
        List<Line> lines = new ArrayList<>();
        for (StatsRow row : rows == null ? List.<StatsRow>of() : rows) {
            row.counts().forEach((currency, count) -> {
                if (count != 0) {
                    BigInteger amount = row.sums().getOrDefault(currency, BigInteger.ZERO);
                    lines.add(new Line(row.category(), row.type(), currency, amount, count));
                }
            });
        }
        lines.sort(Comparator.comparing(Line::type).thenComparing(Line::currency)
                .thenComparing(Comparator.comparing(Line::amount).reversed()).thenComparing(Line::category));
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (Line line : lines) {
            Totals t = totals.get(line.currency());
            BigInteger whole = line.type().equals("income") ? t.income : t.expense;
            array.addObject().put("category", line.category()).put("type", line.type()).put("currency", line.currency())
                    .put("amount", Money.toDecimalString(line.amount(), line.currency())).put("count", line.count())
                    .put("share", whole.signum() == 0 ? "0.0" : percent(line.amount(), whole));
        }
        return array;
    }

    private static String percentChange(BigInteger before, BigInteger now) {
        return before.signum() == 0 ? null : percent(now.subtract(before), before);
    }

    /** {@code part} as a percentage of {@code whole}, to one decimal place. */
    private static String percent(BigInteger part, BigInteger whole) {
        return new BigDecimal(part).multiply(BigDecimal.valueOf(100))
                .divide(new BigDecimal(whole), 1, RoundingMode.HALF_EVEN).toPlainString();
    }
}
