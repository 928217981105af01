package app.tally.store;

import app.tally.model.Transaction;
import java.util.List;

/** Transactions read from one month partition, newest first; {@code more} when the partition has further items. */
public record MonthSlice(List<Transaction> items, boolean more) {
}
