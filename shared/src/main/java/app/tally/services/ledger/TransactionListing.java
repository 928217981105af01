package app.tally.services.ledger;

import app.tally.json.Json;
import app.tally.model.Transaction;
import app.tally.services.CursorCodec;
import app.tally.services.Refusal;
import app.tally.store.LedgerStore;
import app.tally.store.MonthSlice;
import app.tally.store.StatsRow;
import app.tally.store.TransactionItems;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/** Lists a user's transactions page by page, with signed cursors. */
public final class TransactionListing {
    /** How many month partitions one listing reads at once. */
    static final int MONTHS_IN_FLIGHT = 4;

    private final LedgerStore store;
    private final CursorCodec cursors;

    public TransactionListing(LedgerStore store, CursorCodec cursors) {
        this.store = store;
        this.cursors = cursors;
    }

    /**
     * A page of transactions, newest first. Only months whose statistics show data are read; several month partitions
     * are read concurrently and their slices joined in month order, so a page never skips or repeats an item.
     */
    public CompletableFuture<Page> list(String user, ListQuery query) {
        YearMonth first = YearMonth.from(query.from());
        YearMonth last = YearMonth.from(query.to());
        String startAfter = null;
        if (query.cursor() != null) {
            ObjectNode position = cursors.decode(user, query.cursor());
            if (!query.fingerprint().equals(position.path("q").asText())) {
                throw Refusal.malformed("The cursor belongs to a listing with other filters.");
            }
            try {
                last = YearMonth.parse(position.path("m").asText());
            } catch (DateTimeParseException e) {
                throw Refusal.malformed("The cursor is not valid for this request.");
            }
            startAfter = position.path("k").asText();
        }
        YearMonth cursorMonth = query.cursor() == null ? null : last;
        String resumeAfter = startAfter;
        return store.stats(user, first, last).thenCompose(rows -> {
            TreeSet<YearMonth> months = new TreeSet<>();
            for (StatsRow row : rows) {
                if (!row.isEmpty() && (query.type() == null || query.type().statistic().wire().equals(row.type()))
                        && (query.category() == null || query.category().equals(row.category()))) {
                    months.add(row.month());
                }
            }
            if (cursorMonth != null) {
                months.add(cursorMonth);
            }
            List<YearMonth> newestFirst = new ArrayList<>(months.descendingSet());
            return fill(user, query, newestFirst, 0, resumeAfter, new ArrayList<>());
        });
    }

    private CompletableFuture<Page> fill(String user, ListQuery query, List<YearMonth> months, int next,
                                         String resumeAfter, List<Transaction> items) {
        int need = query.limit() - items.size();
        List<YearMonth> batch = months.subList(next, Math.min(months.size(), next + MONTHS_IN_FLIGHT));
        List<CompletableFuture<MonthSlice>> slices = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            String after = next == 0 && i == 0 ? resumeAfter : null;
            slices.add(store.month(user, batch.get(i), query.from(), query.to(), query.type(), query.category(),
                    after, need));
        }
        return CompletableFuture.allOf(slices.toArray(CompletableFuture[]::new)).thenCompose(ignored -> {
            for (int i = 0; i < slices.size(); i++) {
                MonthSlice slice = slices.get(i).join();
                items.addAll(slice.items());
                boolean laterMonths = next + i + 1 < months.size();
                if (items.size() >= query.limit()) {
                    boolean more = items.size() > query.limit() || slice.more() || laterMonths;
                    List<Transaction> page = List.copyOf(items.subList(0, query.limit()));
                    return CompletableFuture.completedFuture(new Page(page, more ? cursorAfter(user, query, page) : null));
                }
            }
            if (next + batch.size() >= months.size()) {
                return CompletableFuture.completedFuture(new Page(List.copyOf(items), null));
            }
            return fill(user, query, months, next + batch.size(), null, items);
        });
    }

    private String cursorAfter(String user, ListQuery query, List<Transaction> page) {
        Transaction lastItem = page.get(page.size() - 1);
        ObjectNode position = Json.object();
        position.put("m", lastItem.month().toString());
        position.put("k", TransactionItems.positionOf(lastItem));
        position.put("q", query.fingerprint());
        return cursors.encode(user, position);
    }
}
