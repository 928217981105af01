package app.tally.services.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.tally.model.EntryType;
import app.tally.model.Ids;
import app.tally.model.Money;
import app.tally.model.Transaction;
import app.tally.store.ChunkBudget;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How valid rows become chunks: one month each, within DynamoDB's 100 actions, numbered the same every time. */
class ChunkPlannerTest {
    private static final Instant NOW = Instant.parse("2026-11-24T08:00:00Z");
    private long rows;

    private ImportFile.Valid row(String date, String category, String idDate) {
        LocalDate day = LocalDate.parse(date);
        byte[] digest = new byte[32];
        digest[0] = (byte) rows;
        digest[1] = (byte) (rows >> 8);
        Transaction tx = new Transaction(Ids.transactionId(LocalDate.parse(idDate), digest), day, EntryType.EXPENSE,
                Money.parse("1.00", "CNY"), category, "", List.of(), NOW, NOW, 1);
        return new ImportFile.Valid(++rows, tx);
    }

    private static List<ImportChunk> plan(List<ImportFile.Valid> rows) {
        List<ImportChunk> chunks = new ArrayList<>();
        ChunkPlanner planner = new ChunkPlanner("u", "job", chunks::add);
        rows.forEach(planner::add);
        planner.finish();
        assertEquals(chunks.size(), planner.chunks());
        return chunks;
    }

    private static int actions(ImportChunk chunk) {
        ChunkBudget budget = new ChunkBudget();
        chunk.rows().forEach(row -> budget.add(row.tx()));
        return budget.actions();
    }

    @Test
    void rowsOfOneCategoryFillAChunkTo100ActionsAndNoFurther() {
        List<ImportFile.Valid> rows = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            rows.add(row("2026-11-05", "餐饮", "2026-11-05"));
        }
        List<ImportChunk> chunks = plan(rows);
        // 2 (marker, tally) + 1 statistics item + 97 rows = 100.
        assertEquals(List.of(97, 97, 6), chunks.stream().map(c -> c.rows().size()).toList());
        chunks.forEach(chunk -> assertTrue(actions(chunk) <= ChunkBudget.MAX_ACTIONS));
        assertEquals(ChunkBudget.MAX_ACTIONS, actions(chunks.get(0)));
    }

    @Test
    void rowsAwayFromTheirIdsHomeAndNewCategoriesTakeMoreRoom() {
        List<ImportFile.Valid> rows = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            rows.add(row("2026-11-05", "c" + (i % 10), "2026-10-01"));
        }
        List<ImportChunk> chunks = plan(rows);
        // 2 + 10 statistics items + 2 actions a row: 44 rows make 100.
        assertEquals(List.of(44, 16), chunks.stream().map(c -> c.rows().size()).toList());
        assertEquals(ChunkBudget.MAX_ACTIONS, actions(chunks.get(0)));
    }

    @Test
    void eachChunkHoldsOneMonthAndTheSameRowsGiveTheSameChunks() {
        List<ImportFile.Valid> rows = List.of(row("2026-11-05", "a", "2026-11-05"), row("2026-10-05", "a", "2026-10-05"),
                row("2026-11-06", "b", "2026-11-06"), row("2026-09-30", "a", "2026-09-30"));
        List<ImportChunk> chunks = plan(rows);
        assertEquals(List.of(YearMonth.of(2026, 9), YearMonth.of(2026, 10), YearMonth.of(2026, 11)),
                chunks.stream().map(ImportChunk::month).toList());
        assertEquals(List.of(0, 1, 2), chunks.stream().map(ImportChunk::chunk).toList());
        assertEquals(List.of(1L, 3L), chunks.get(2).rows().stream().map(ImportFile.Valid::row).toList());
        assertEquals(chunks, plan(rows));
    }
}
