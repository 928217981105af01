package app.tally.services.imports;

import app.tally.model.Transaction;
import app.tally.services.imports.ImportFile.Valid;
import app.tally.store.ChunkBudget;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Splits valid rows, in file order, into chunks of one month each: a chunk closes when one more row would take its
 * transaction past DynamoDB's 100 actions (as the store counts them: {@link ChunkBudget}) or its message past
 * {@link #MAX_CHUNK_BYTES} (reckoned from the rows' text, see {@link ImportChunk#maxRowBytes}). Keeping a chunk within a month means chunks of different months never
 * touch the same statistics or tally item. Deterministic: the same rows give the same chunks with the same numbers.
 */
final class ChunkPlanner {
    /** Well below SQS's 256 KB message limit, so a chunk message never needs S3. */
    static final int MAX_CHUNK_BYTES = 200_000;

    private final String user;
    private final String jobId;
    private final Consumer<ImportChunk> out;
    private final Map<YearMonth, Open> open = new TreeMap<>();
    private int chunks;

    private static final class Open {
        final List<Valid> rows = new ArrayList<>();
        final ChunkBudget actions = new ChunkBudget();
        int bytes;
    }

    ChunkPlanner(String user, String jobId, Consumer<ImportChunk> out) {
        this.user = user;
        this.jobId = jobId;
        this.out = out;
    }

    void add(Valid row) {
        Transaction tx = row.tx();
        YearMonth month = tx.month();
        Open chunk = open.computeIfAbsent(month, m -> new Open());
        int bytes = ImportChunk.maxRowBytes(row);
        if (!chunk.rows.isEmpty() && (!chunk.actions.fits(tx) || chunk.bytes + bytes > MAX_CHUNK_BYTES)) {
            emit(month, chunk);
            chunk = new Open();
            open.put(month, chunk);
        }
        chunk.rows.add(row);
        chunk.actions.add(tx);
        chunk.bytes += bytes;
    }

    /** Emits the chunks still open, oldest month first. */
    void finish() {
        open.forEach(this::emit);
        open.clear();
    }

    int chunks() {
        return chunks;
    }

    private void emit(YearMonth month, Open chunk) {
        out.accept(new ImportChunk(user, jobId, chunks++, month, chunk.rows));
    }
}
