package app.tally.services.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.tally.model.Job;
import app.tally.model.JobKind;
import app.tally.model.JobProgress;
import app.tally.model.JobStatus;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JobsBasicsTest {
    private static final Job JOB = Job.queued("01M8GA8C45FA7VNZS1R1N9GJX5", JobKind.EXPORT, "{}", Instant.EPOCH);

    @Test
    void messageRoundTripsAndAnythingElseIsNotAMessage() {
        JobMessage message = new JobMessage("li.wei@example.com", JOB.id(), JobKind.EXPORT);
        assertEquals(Optional.of(message), JobMessage.parse(message.toJson()));
        for (String body : new String[] {"", "not json", "[]", "{\"user\":\"u\",\"jobId\":\"j\"}",
                "{\"user\":\"\",\"jobId\":\"j\",\"kind\":\"export\"}", "{\"user\":\"u\",\"jobId\":\"j\",\"kind\":\"mine\"}",
                "{\"user\":1,\"jobId\":\"j\",\"kind\":\"export\"}"}) {
            assertEquals(Optional.empty(), JobMessage.parse(body), body);
        }
    }

    @Test
    void filesLiveUnderAHashOfTheirUserAndOnlyTheJobsOwnFileCounts() {
        String key = JobFiles.key(JobKind.EXPORT, "alice@example.com", JOB.id(), "csv");
        assertTrue(key.matches("exports/[0-9a-f]{32}/" + JOB.id() + "\\.csv"), key);
        assertFalse(key.contains("alice"));
        assertTrue(JobFiles.isFileOf(key, JOB, "alice@example.com"));
        assertFalse(JobFiles.isFileOf(key, JOB, "bob@example.com"));
        assertFalse(JobFiles.isFileOf(JobFiles.key(JobKind.EXPORT, "alice@example.com", "OTHER", "csv"), JOB,
                "alice@example.com"));
        assertFalse(JobFiles.isFileOf(JobFiles.userPrefix(JobKind.EXPORT, "alice@example.com") + JOB.id() + ".csv/../x",
                JOB, "alice@example.com"));
        assertFalse(JobFiles.isFileOf(null, JOB, "alice@example.com"));
    }

    @Test
    void progressIsWholePercentOfMonthsAndHundredOnlyWhenSucceeded() {
        assertEquals(0, new JobProgress(0, 0, 0, 0).percent(JobStatus.RUNNING));
        assertEquals(33, new JobProgress(10, 100, 1, 3).percent(JobStatus.RUNNING));
        assertEquals(99, new JobProgress(10, 100, 3, 3).percent(JobStatus.RUNNING));
        assertEquals(100, new JobProgress(0, 0, 0, 0).percent(JobStatus.SUCCEEDED));
    }
}
