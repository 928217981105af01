package app.tally.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** An import's counting: when it is complete, what it ends as, and how far along it says it is. */
class ImportProgressTest {
    private static final Instant START = Instant.parse("2026-11-24T08:00:00Z");

    /** 100 rows read, 90 valid in 3 chunks, 10 invalid. */
    private static ImportProgress planned(long imported, long duplicates, long failed, int chunksDone) {
        return new ImportProgress(100, 90, 10, 3, 0, 0, 0, 0, true).withCounts(imported, duplicates, failed, chunksDone);
    }

    @Test
    void itIsCompleteOnceEveryValidRowIsAccountedForAndNotBeforeThePlanIsFinal() {
        assertFalse(planned(60, 0, 0, 2).complete());
        assertTrue(planned(60, 30, 0, 3).complete());
        assertFalse(new ImportProgress(100, 90, 10, 3, 90, 0, 0, 3, false).complete(), "the file is still being read");
    }

    @Test
    void invalidRowsAloneDoNotSpoilASuccessButLostChunksMakeItPartialOrFailed() {
        assertEquals(JobStatus.SUCCEEDED, planned(80, 10, 0, 3).outcome());
        assertEquals(JobStatus.PARTIAL, planned(60, 0, 30, 3).outcome());
        assertEquals(JobStatus.FAILED, planned(0, 0, 90, 3).outcome());
        assertEquals(JobStatus.FAILED, new ImportProgress(10, 0, 10, 0, 0, 0, 0, 0, true).outcome(), "no valid row");
        assertEquals(JobStatus.SUCCEEDED, new ImportProgress(0, 0, 0, 0, 0, 0, 0, 0, true).outcome(), "an empty file");
    }

    @Test
    void percentRateAndEtaFollowTheDoneRows() {
        ImportProgress half = planned(45, 0, 0, 1);
        assertEquals(50, half.percent(JobStatus.RUNNING));
        assertEquals(99, planned(90, 0, 0, 3).percent(JobStatus.RUNNING), "100 only once final");
        assertEquals(100, half.percent(JobStatus.PARTIAL));
        assertEquals(4.5, half.rowsPerSecond(START, START.plusSeconds(10)));
        assertEquals(10, half.etaSeconds(START, START.plusSeconds(10)));
        assertEquals(-1, ImportProgress.NONE.etaSeconds(START, START.plusSeconds(10)));
    }
}
