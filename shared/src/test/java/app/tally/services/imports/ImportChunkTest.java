package app.tally.services.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.tally.json.Json;
import app.tally.model.EntryType;
import app.tally.model.Ids;
import app.tally.model.Money;
import app.tally.model.Transaction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImportChunkTest {
    private static final LocalDate DATE = LocalDate.of(2999, 12, 31);

    private static ImportFile.Valid row(String category, String note, List<String> tags) {
        Transaction tx = new Transaction(Ids.transactionId(DATE, new byte[32]), DATE, EntryType.EXPENSE,
                new Money(Long.MAX_VALUE, "CNY"), category, note, tags, Instant.MAX, Instant.MAX, 1);
        return new ImportFile.Valid(Long.MAX_VALUE, tx);
    }

    private static int written(ImportFile.Valid row) {
        return Json.write(ImportChunk.rowJson(row)).getBytes(StandardCharsets.UTF_8).length + 1;
    }

    @Test
    void theReckonedSizeOfARowIsNeverBelowItsJson() {
        List<ImportFile.Valid> rows = List.of(
                row("x", "", List.of()),
                row("\u0001".repeat(64), "\u0002".repeat(500), Collections.nCopies(20, "\"".repeat(32))),
                row("餐饮", "😀".repeat(500), Collections.nCopies(20, "团队".repeat(16))),
                row("a\\b", "line one\r\nline two\t\"quoted\"", List.of("a;b", "back\\slash")));
        for (ImportFile.Valid row : rows) {
            assertTrue(ImportChunk.maxRowBytes(row) >= written(row), row.tx().note());
        }
    }

    @Test
    void chunksOfTheLongestRowsStayUnderTheMessageLimit() {
        List<ImportChunk> chunks = new ArrayList<>();
        ChunkPlanner planner = new ChunkPlanner("user", "job", chunks::add);
        for (int i = 0; i < 300; i++) {
            planner.add(row("\u0001".repeat(64), "\u0002".repeat(499) + (char) ('a' + i % 26),
                    Collections.nCopies(20, "\"".repeat(32))));
        }
        planner.finish();
        assertTrue(chunks.size() > 1);
        assertEquals(300, chunks.stream().mapToInt(chunk -> chunk.rows().size()).sum());
        for (ImportChunk chunk : chunks) {
            int bytes = chunk.toJson().getBytes(StandardCharsets.UTF_8).length;
            assertTrue(bytes <= ChunkPlanner.MAX_CHUNK_BYTES + 1_000, bytes + " bytes");
        }
    }
}
