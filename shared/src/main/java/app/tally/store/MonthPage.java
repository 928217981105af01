package app.tally.store;

import app.tally.model.Transaction;
import java.util.List;

/** One DynamoDB page of a month partition, oldest first; {@code nextAfter} is where the next page starts, or null. */
public record MonthPage(List<Transaction> items, String nextAfter) {
}
