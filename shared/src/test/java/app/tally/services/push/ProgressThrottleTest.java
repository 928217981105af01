package app.tally.services.push;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.tally.json.Json;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressThrottleTest {
    private static final Instant T0 = Instant.parse("2026-11-24T04:00:00Z");

    private static PushEvent progress(String job, int percent, String status) {
        return new PushEvent(PushEvent.JOB_PROGRESS, T0, Json.object().put("jobId", job).put("percent", percent)
                .put("status", status));
    }

    @Test
    void aJobsProgressPassesAtMostOncePerIntervalButItsLastAlwaysPasses() {
        ProgressThrottle throttle = new ProgressThrottle();
        assertTrue(throttle.admit(progress("j1", 10, "running"), T0));
        assertFalse(throttle.admit(progress("j1", 20, "running"), T0.plusMillis(100)));
        assertTrue(throttle.admit(progress("j2", 20, "running"), T0.plusMillis(100)), "another job has its own pace");
        assertTrue(throttle.admit(progress("j1", 99, "running"), T0.plus(ProgressThrottle.INTERVAL)));
        assertTrue(throttle.admit(progress("j1", 100, "succeeded"), T0.plus(ProgressThrottle.INTERVAL).plusMillis(1)));
        assertTrue(throttle.admit(progress("j1", 99, "partial"), T0.plus(ProgressThrottle.INTERVAL).plusMillis(2)));
    }

    @Test
    void otherEventsAreNeverThrottled() {
        ProgressThrottle throttle = new ProgressThrottle();
        PushEvent stats = PushEvent.statisticsChanged(List.of(YearMonth.of(2026, 11)), T0);
        for (int i = 0; i < 5; i++) {
            assertTrue(throttle.admit(stats, T0));
        }
    }
}
