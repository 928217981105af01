package app.tally.services.exports;

import app.tally.model.Transaction;
import app.tally.store.LedgerStore;
import app.tally.store.MonthPage;
import java.time.YearMonth;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One month partition read page by page, oldest first, ahead of its reader: pages keep coming while the writer works
 * on earlier months, up to {@link #PAGES_AHEAD} waiting pages, so several months are read at the pace of a plain Query
 * while memory stays bounded. Pages arrive on SDK threads and are taken by the writer's chain: state is guarded by
 * this object's lock, and a waiting reader is completed outside it.
 */
final class MonthFeed {
    /**
     * Enough for a month of a busy user (about 4,000 rows) to be read whole while the writer is on an earlier one, so
     * every month in flight keeps a Query running: with two, the months waiting stalled after two pages and the
     * export read about one month at a time (47-50% of raw Query's rate at AWS's latency). At most 4 months × 5 pages
     * × 1,000 rows are held.
     */
    static final int PAGES_AHEAD = 5;

    private final LedgerStore ledger;
    private final String user;
    private final YearMonth month;
    private final ExportRequest request;
    private final Deque<List<Transaction>> ready = new ArrayDeque<>();
    private CompletableFuture<List<Transaction>> waiting;
    private String nextAfter;
    private boolean fetching;
    private boolean done;
    private Throwable failure;

    MonthFeed(LedgerStore ledger, String user, YearMonth month, ExportRequest request) {
        this.ledger = ledger;
        this.user = user;
        this.month = month;
        this.request = request;
    }

    /** Starts reading; call once. */
    synchronized void start() {
        fetch();
    }

    /** The next page's transactions, or null when the month is done. */
    synchronized CompletableFuture<List<Transaction>> take() {
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        if (!ready.isEmpty()) {
            List<Transaction> page = ready.poll();
            if (!fetching && !done) {
                fetch();
            }
            return CompletableFuture.completedFuture(page);
        }
        if (done) {
            return CompletableFuture.completedFuture(null);
        }
        if (!fetching) {
            fetch();
        }
        waiting = new CompletableFuture<>();
        return waiting;
    }

    private void fetch() {
        fetching = true;
        ledger.monthPage(user, month, request.from(), request.to(), request.category(), nextAfter)
                .whenComplete(this::arrived);
    }

    private void arrived(MonthPage page, Throwable error) {
        CompletableFuture<List<Transaction>> reader;
        synchronized (this) {
            fetching = false;
            reader = waiting;
            waiting = null;
            if (error != null) {
                failure = error;
            } else {
                nextAfter = page.nextAfter();
                done = nextAfter == null;
                if (reader == null) {
                    ready.add(page.items());
                }
                if (!done && ready.size() < PAGES_AHEAD) {
                    fetch();
                }
            }
        }
        if (reader != null) {
            if (error != null) {
                reader.completeExceptionally(error);
            } else {
                reader.complete(page.items());
            }
        }
    }
}
