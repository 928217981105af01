package app.tally.services.imports;

import app.tally.services.jobs.JobQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * Sends an import's chunks to the chunk queue while the file is still being read: every ten chunks go out in one
 * SendMessageBatch, a few batches in flight, so writers start on the first months while later ones are planned.
 * Blocks the reader thread (not an SDK thread) when the sends fall behind, which keeps memory flat.
 */
final class ChunkSender {
    /** SendMessageBatch's limit; a chunk is at most 200 KB, so ten may exceed 256 KB and JobQueue splits them. */
    private static final int BATCH = 10;
    private static final int BATCHES_IN_FLIGHT = 4;

    private final JobQueue queue;
    private final Semaphore inFlight = new Semaphore(BATCHES_IN_FLIGHT);
    private final List<CompletableFuture<Void>> sends = new ArrayList<>();
    private List<JobQueue.Entry> batch = new ArrayList<>();

    ChunkSender(JobQueue queue) {
        this.queue = queue;
    }

    void add(ImportChunk chunk) {
        batch.add(chunk.toEntry());
        if (batch.size() == BATCH) {
            flush();
        }
    }

    /** Sends what is left and waits for every send; throws the first failure (the run is then retried). */
    void finish() {
        flush();
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
    }

    private void flush() {
        if (batch.isEmpty()) {
            return;
        }
        inFlight.acquireUninterruptibly();
        List<JobQueue.Entry> sending = batch;
        batch = new ArrayList<>();
        sends.add(queue.sendAll(sending).whenComplete((ignored, failure) -> inFlight.release()));
    }
}
