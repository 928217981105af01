package app.tally.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.tally.model.EntryType;
import app.tally.model.Ids;
import app.tally.model.Money;
import app.tally.model.Transaction;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/** The statistics deltas a write adds, and the chunk budget the import planner counts with, without DynamoDB. */
class StatisticsTest {
    private static final Instant NOW = Instant.parse("2026-11-24T08:00:00Z");

    static Transaction tx(String date, String category, String amount, String currency) {
        LocalDate day = LocalDate.parse(date);
        return new Transaction(Ids.newTransactionId(day, NOW), day, EntryType.EXPENSE, Money.parse(amount, currency),
                category, "", List.of(), NOW, NOW, 1);
    }

    private static Statistics.Item item(String month, String category) {
        return new Statistics.Item(YearMonth.parse(month), "expense", category);
    }

    @Test
    void aCreateAddsItsAmountAndOneToItsItemAndADeleteTakesThemAway() {
        Transaction lunch = tx("2026-11-24", "餐饮", "12.34", "CNY");
        assertArrayEquals(new long[] {1234, 1}, Statistics.Delta.of(null, lunch).change(item("2026-11", "餐饮"), "CNY"));
        assertArrayEquals(new long[] {-1234, -1}, Statistics.Delta.of(lunch, null).change(item("2026-11", "餐饮"), "CNY"));
        assertEquals(1, Statistics.Delta.of(null, lunch).items());
    }

    @Test
    void aChangeThatKeepsItemAndAmountTouchesNoStatistics() {
        Transaction lunch = tx("2026-11-24", "餐饮", "12.34", "CNY");
        Transaction sameDayOtherNote = new Transaction(lunch.id(), lunch.date().minusDays(3), lunch.type(),
                lunch.amount(), lunch.category(), "with Bob", lunch.tags(), NOW, NOW, 2);
        assertEquals(0, Statistics.Delta.of(lunch, sameDayOtherNote).items());
        assertTrue(Statistics.Delta.of(lunch, sameDayOtherNote).updates("t", "u").isEmpty());
    }

    @Test
    void aMoveToAnotherMonthAndCategoryLeavesOneItemAndEntersAnother() {
        Transaction before = tx("2026-11-24", "餐饮", "12.34", "CNY");
        Transaction after = new Transaction(before.id(), LocalDate.parse("2026-10-02"), before.type(),
                Money.parse("20.00", "USD"), "交通", "", List.of(), NOW, NOW, 2);
        Statistics.Delta delta = Statistics.Delta.of(before, after);
        assertEquals(2, delta.items());
        assertArrayEquals(new long[] {-1234, -1}, delta.change(item("2026-11", "餐饮"), "CNY"));
        assertArrayEquals(new long[] {2000, 1}, delta.change(item("2026-10", "交通"), "USD"));
        assertArrayEquals(new long[] {0, 0}, delta.change(item("2026-10", "交通"), "CNY"));
        assertEquals(2, delta.updates("t", "u").size());
    }

    @Test
    void aNewAmountInAnotherCurrencyMovesBetweenCurrenciesOfOneItem() {
        Transaction before = tx("2026-11-24", "餐饮", "12.34", "CNY");
        Transaction after = new Transaction(before.id(), before.date(), before.type(), Money.parse("5", "JPY"),
                before.category(), "", List.of(), NOW, NOW, 2);
        Statistics.Delta delta = Statistics.Delta.of(before, after);
        assertEquals(1, delta.items());
        assertArrayEquals(new long[] {-1234, -1}, delta.change(item("2026-11", "餐饮"), "CNY"));
        assertArrayEquals(new long[] {5, 1}, delta.change(item("2026-11", "餐饮"), "JPY"));
        String expression = delta.updates("t", "u").get(0).update().updateExpression();
        assertEquals("SET #month = :month, #type = :type, #cat = :cat ADD #s0 :s0, #c0 :c0, #s1 :s1, #c1 :c1", expression);
    }

    @Test
    void addingManyRowsSumsThemPerItem() {
        List<Transaction> rows = List.of(tx("2026-11-01", "a", "1.00", "CNY"), tx("2026-11-02", "a", "2.50", "CNY"),
                tx("2026-11-03", "b", "1.00", "CNY"));
        Statistics.Delta delta = Statistics.Delta.adding(rows);
        assertEquals(2, delta.items());
        assertArrayEquals(new long[] {350, 2}, delta.change(item("2026-11", "a"), "CNY"));
    }

    @Test
    void theChunkBudgetCountsWhatTheChunkTransactionWrites() {
        ChunkBudget budget = new ChunkBudget();
        List<Transaction> rows = new ArrayList<>();
        // 48 rows at home in 48 categories: 2 + 48 + 48 = 98 actions.
        for (int i = 0; i < 48; i++) {
            Transaction row = tx("2026-11-05", "c" + i, "1.00", "CNY");
            assertTrue(budget.fits(row), "row " + i);
            budget.add(row);
            rows.add(row);
        }
        assertEquals(98, budget.actions());
        assertTrue(budget.fits(tx("2026-11-05", "new", "1.00", "CNY")), "row and item: 100");
        Transaction known = tx("2026-11-05", "c0", "1.00", "CNY");
        budget.add(known);
        rows.add(known);
        assertEquals(99, budget.actions(), "a known category adds only its row");
        assertFalse(budget.fits(tx("2026-11-05", "new", "1.00", "CNY")));
        assertTrue(budget.fits(tx("2026-11-05", "c1", "1.00", "CNY")));
        int written = 2 + rows.stream().mapToInt(row -> TransactionItems.putNew("t", "u", row).size()).sum()
                + Statistics.Delta.adding(rows).updates("t", "u").size();
        assertEquals(written, budget.actions());
    }

    @Test
    void aRowAwayFromItsIdsHomeIsTwoActionsItsItemAndAForwardingItemAtTheHome() {
        Transaction home = tx("2026-11-05", "a", "1.00", "CNY");
        Transaction away = new Transaction(Ids.newTransactionId(LocalDate.parse("2026-09-30"), NOW),
                home.date(), home.type(), home.amount(), "a", "", List.of(), NOW, NOW, 1);
        List<TransactWriteItem> actions = TransactionItems.putNew("t", "u", away);
        assertEquals(2, actions.size());
        assertEquals(2, TransactionItems.newActions(away));
        assertEquals(1, TransactionItems.newActions(home));
        assertEquals("U#u#M#2026-11", actions.get(0).put().item().get(Keys.PK).s());
        assertEquals("U#u#M#2026-09", actions.get(1).put().item().get(Keys.PK).s());
        assertEquals(TransactionItems.positionOf(away), actions.get(1).put().item().get("fwdSk").s());
        actions.forEach(a -> assertEquals("attribute_not_exists(PK)", a.put().conditionExpression()));
    }
}
