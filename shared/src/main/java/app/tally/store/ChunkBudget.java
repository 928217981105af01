package app.tally.store;

import app.tally.model.Transaction;
import java.util.HashSet;
import java.util.Set;

/**
 * The actions of one import chunk's transaction, counted as {@link ImportStore#writeChunk} builds it: the marker and
 * the month tally, each row's item (and forwarding item when away from its id's home), one update per statistics item
 * touched. The chunk planner asks it whether a row still fits under DynamoDB's {@value #MAX_ACTIONS} actions.
 */
public final class ChunkBudget {
    /** DynamoDB's limit of actions in one TransactWriteItems. */
    public static final int MAX_ACTIONS = 100;
    /** Actions of a chunk's transaction besides its rows and statistics: the marker and the month tally. */
    static final int OVERHEAD = 2;

    private final Set<Statistics.Item> statistics = new HashSet<>();
    private int rowActions;

    /** Whether the chunk's transaction, with {@code tx} added, stays within the limit. */
    public boolean fits(Transaction tx) {
        int items = statistics.size() + (statistics.contains(Statistics.Item.of(tx)) ? 0 : 1);
        return OVERHEAD + rowActions + TransactionItems.newActions(tx) + items <= MAX_ACTIONS;
    }

    public void add(Transaction tx) {
        rowActions += TransactionItems.newActions(tx);
        statistics.add(Statistics.Item.of(tx));
    }

    /** The actions the chunk's transaction takes so far. */
    public int actions() {
        return OVERHEAD + rowActions + statistics.size();
    }
}
