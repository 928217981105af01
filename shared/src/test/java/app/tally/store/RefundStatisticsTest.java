package app.tally.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import app.tally.model.EntryType;
import app.tally.model.Money;
import app.tally.model.Transaction;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A refund is booked against its category's expense: the same statistics item, its amount taken off. */
class RefundStatisticsTest {
    private static final Statistics.Item EXPENSE_FOOD = new Statistics.Item(YearMonth.of(2026, 1), "expense", "餐饮");

    private static Transaction tx(String id, EntryType type, String amount) {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        return new Transaction(id, LocalDate.of(2026, 1, 5), type, Money.parse(amount, "CNY"), "餐饮", "", List.of(),
                now, now, 1);
    }

    @Test
    void aRefundLowersItsCategorysExpenseSumAndCountsAsAnEntry() {
        Statistics.Delta delta = Statistics.Delta.adding(List.of(
                tx("a", EntryType.EXPENSE, "30.00"), tx("b", EntryType.REFUND, "12.50")));

        assertEquals(1, delta.items());
        assertArrayEquals(new long[] {1750, 2}, delta.change(EXPENSE_FOOD, "CNY"));
    }

    @Test
    void turningAnExpenseIntoARefundMovesTwiceItsAmount() {
        Transaction expense = tx("a", EntryType.EXPENSE, "10.00");
        Transaction refund = tx("a", EntryType.REFUND, "10.00");

        Statistics.Delta delta = Statistics.Delta.of(expense, refund);

        assertArrayEquals(new long[] {-2000, 0}, delta.change(EXPENSE_FOOD, "CNY"));
    }
}
