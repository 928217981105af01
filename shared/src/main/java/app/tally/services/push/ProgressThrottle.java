package app.tally.services.push;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * At most one {@code job.progress} per job per {@link #INTERVAL}: a busy import counts dozens of chunks a second,
 * and a client redraws a bar no faster. The last progress of a job (100%, or a final status) always passes, and so
 * does every other type. Kept per container: the push queue hands a user's messages to one invocation at a time.
 */
public final class ProgressThrottle {
    public static final Duration INTERVAL = Duration.ofMillis(250);
    private static final int JOBS_KEPT = 10_000;

    private final Map<String, Instant> lastSent = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
            return size() > JOBS_KEPT;
        }
    };

    /** Whether to send this event now; a progress event that passes marks its job's time. */
    public synchronized boolean admit(PushEvent event, Instant now) {
        if (!PushEvent.JOB_PROGRESS.equals(event.type()) || event.jobId() == null) {
            return true;
        }
        Instant last = lastSent.get(event.jobId());
        if (!event.isLastProgress() && last != null && last.plus(INTERVAL).isAfter(now)) {
            return false;
        }
        lastSent.put(event.jobId(), now);
        return true;
    }
}
