package app.tally.model;

import java.time.Duration;
import java.time.Instant;

/**
 * An import's counters. {@code total} data rows were read, {@code invalid} of them failed validation (each has a row
 * error) and {@code valid} went to the chunk queue in {@code chunks} chunks; of those, {@code imported} were written,
 * {@code duplicates} were there already and {@code failed} could not be written (their chunk ended in the dead-letter
 * queue). {@code planned} says the file has been read and the first four numbers are final.
 */
public record ImportProgress(long total, long valid, long invalid, int chunks, long imported, long duplicates,
                             long failed, int chunksDone, boolean planned) {
    public static final ImportProgress NONE = new ImportProgress(0, 0, 0, 0, 0, 0, 0, 0, false);

    /** The same plan with these chunk counts. */
    public ImportProgress withCounts(long imported, long duplicates, long failed, int chunksDone) {
        return new ImportProgress(total, valid, invalid, chunks, imported, duplicates, failed, chunksDone, planned);
    }

    /** Valid rows whose chunk has finished, one way or another. */
    public long done() {
        return imported + duplicates + failed;
    }

    /** Every chunk of a planned import has been counted. */
    public boolean complete() {
        return planned && done() >= valid;
    }

    /** The final state this import reaches once complete: every valid row in the ledger, some of them, or none. */
    public JobStatus outcome() {
        if (failed == 0 && (valid > 0 || invalid == 0)) {
            return JobStatus.SUCCEEDED;
        }
        return imported + duplicates > 0 ? JobStatus.PARTIAL : JobStatus.FAILED;
    }

    public int percent(JobStatus status) {
        if (status.isFinal()) {
            return 100;
        }
        return !planned || valid == 0 ? 0 : (int) Math.min(99, done() * 100 / valid);
    }

    /** Rows per second since the job started (to {@code until}), or 0 before any row is done. */
    public double rowsPerSecond(Instant startedAt, Instant until) {
        if (startedAt == null || done() == 0) {
            return 0;
        }
        long millis = Math.max(1, Duration.between(startedAt, until).toMillis());
        return done() * 1000.0 / millis;
    }

    /** Seconds left at the current rate, or -1 when unknown. */
    public long etaSeconds(Instant startedAt, Instant now) {
        double rate = rowsPerSecond(startedAt, now);
        if (!planned || rate <= 0) {
            return -1;
        }
        return (long) Math.ceil(Math.max(0, valid - done()) / rate);
    }
}
