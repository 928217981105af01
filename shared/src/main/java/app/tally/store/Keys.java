package app.tally.store;

import java.time.LocalDate;
import java.time.YearMonth;

/**
 * Key shapes of Tally's single table. A user's transactions live in month partitions so that imports spread out
 * and range reads can query months concurrently; an import's bookkeeping has partitions of its own; everything else
 * about a user sits in the user partition.
 */
final class Keys {
    static final String PK = "PK";
    static final String SK = "SK";
    static final String PROFILE = "PROFILE";
    static final String JOBS = "J#";
    /** Month tallies in an import's partition. */
    static final String IMPORT_TALLIES = "T#";
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
     * An import's own partition, apart from the user's: its chunk markers and month tallies, which every chunk writes,
     * would otherwise share one partition key's write rate (about 1,000 WCU/s on DynamoDB) with everything else the
     * user does.
     */
    static String importJob(String user, String jobId) {
        return user(user) + "#J#" + jobId;
    }

    /** An import chunk's marker in its job's partition, written in the same transaction as its rows. */
    static String importChunk(int chunk) {
        return "C#" + String.format("%06d", chunk);
    }

    /**
     * An import's running counts for one month of its rows, in its job's partition: every chunk of that month adds to
     * it in the transaction that writes the chunk, so the counts are exact and the job item stays small however many
     * chunks there are.
     */
    static String importTally(YearMonth month) {
        return IMPORT_TALLIES + month;
    }

    /** One of an import's row-error partitions (see {@link ImportStore#ERROR_SHARDS}). */
    static String importErrors(String user, String jobId, int shard) {
        return importJob(user, jobId) + "#E#" + String.format("%02d", shard);
    }

    /** A row error in its shard; rows sort in file order. */
    static String importError(long row) {
        return "R#" + String.format("%09d", row);
    }

    static String idempotency(String key) {
        return "I#" + key;
    }

    /** Exchange rates of one base currency, one item per day, outside every user's partitions. */
    static String rates(String base) {
        return "RATES#" + base;
    }

    /** Every day of a base's rates item begins so. */
    static final String RATES_DAYS = "D#";

    static String ratesDay(LocalDate date) {
        return RATES_DAYS + date;
    }

    /** A push ticket, outside every user's partitions: the socket's authorizer knows only the ticket. */
    static String pushTicket(String ticket) {
        return "PUSHTICKET#" + ticket;
    }

    /** Every live push connection of a user begins so, in the user partition. */
    static final String CONNECTIONS = "C#";

    static String connection(String connectionId) {
        return CONNECTIONS + connectionId;
    }

    /** The user's push sequence counter, in the user partition. */
    static final String PUSH_SEQUENCE = "PUSHSEQ";
}
