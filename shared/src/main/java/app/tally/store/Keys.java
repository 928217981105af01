package app.tally.store;

import java.time.LocalDate;
import java.time.YearMonth;

/**
 * Key shapes of Tally's single table. A user's transactions live in month partitions so that imports spread out
 * and range reads can query months concurrently; everything else about a user sits in the user partition.
 */
final class Keys {
    static final String PK = "PK";
    static final String SK = "SK";
    static final String PROFILE = "PROFILE";
    static final String JOBS = "J#";
    /** Sorts after '#', so "T#2026-11-30" + HIGH bounds every id of that day. */
    static final String HIGH = "$";

    private Keys() {
    }

    static String user(String user) {
        return "U#" + user;
    }

    static String month(String user, YearMonth month) {
        return "U#" + user + "#M#" + month;
    }

    static String transaction(LocalDate date, String id) {
        return "T#" + date + "#" + id;
    }

    static String day(LocalDate date) {
        return "T#" + date;
    }

    static String stats(YearMonth month, String type, String category) {
        return "S#" + month + "#" + type + "#" + category;
    }

    static String statsMonth(YearMonth month) {
        return "S#" + month;
    }

    /** Jobs sort by their time-ordered ids, so the newest job is the last item of the prefix. */
    static String job(String id) {
        return JOBS + id;
    }

    /**
     * An import chunk's marker, written in the same transaction as its rows. Its own prefix, not {@code J#}: a job
     * listing reads every {@code J#} key.
     */
    static String importChunk(String jobId, int chunk) {
        return "JC#" + jobId + "#" + String.format("%06d", chunk);
    }

    /**
     * An import's running counts for one month of its rows: every chunk of that month adds to it in the transaction
     * that writes the chunk, so the counts are exact and the job item stays small however many chunks there are.
     */
    static String importTally(String jobId, YearMonth month) {
        return importTallies(jobId) + month;
    }

    static String importTallies(String jobId) {
        return "JT#" + jobId + "#";
    }

    /** An import's row error; rows sort in file order. */
    static String importError(String jobId, long row) {
        return importErrors(jobId) + String.format("%09d", row);
    }

    static String importErrors(String jobId) {
        return "JE#" + jobId + "#";
    }

    static String idempotency(String key) {
        return "I#" + key;
    }
}
