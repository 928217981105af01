package app.tally.services.push;

import app.tally.model.Job;
import app.tally.services.jobs.DownloadLinks;
import app.tally.services.jobs.JobFiles;
import app.tally.store.JobStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Tells a user's open clients how a job is doing, after a worker's write to it has committed: {@code job.progress}
 * with the counts GET /jobs/{id} shows, and at the end a last progress and {@code job.finished} (with the download
 * link of an export's file). The job is read back, so the event shows what the table holds. Never fails the worker.
 */
public final class JobAnnouncements {
    private static final JobAnnouncements NONE = new JobAnnouncements(null, PushSink.NONE, null, Clock.systemUTC());

    private final JobStore jobs;
    private final PushSink push;
    private final DownloadLinks links;
    private final Clock clock;

    /** {@code links} signs an export's download link; null for a worker whose jobs have no file to download. */
    public JobAnnouncements(JobStore jobs, PushSink push, DownloadLinks links, Clock clock) {
        this.jobs = jobs;
        this.push = push;
        this.links = links;
        this.clock = clock;
    }

    /** Announces nothing: for workers run without a push queue. */
    public static JobAnnouncements none() {
        return NONE;
    }

    /** The job's progress, after {@code before} (events of the same change, e.g. statistics.changed). */
    public CompletableFuture<Void> progress(String user, String jobId, List<PushEvent> before) {
        return announce(user, jobId, before, false);
    }

    public CompletableFuture<Void> finished(String user, String jobId) {
        return announce(user, jobId, List.of(), true);
    }

    private CompletableFuture<Void> announce(String user, String jobId, List<PushEvent> before, boolean end) {
        if (push == PushSink.NONE) {
            return CompletableFuture.completedFuture(null);
        }
        return jobs.find(user, jobId).thenCompose(found -> {
            List<PushEvent> events = new ArrayList<>(before);
            found.ifPresent(job -> {
                Instant now = clock.instant();
                events.add(PushEvent.jobProgress(job, now));
                if (end) {
                    events.add(PushEvent.jobFinished(job, downloadUrl(user, job), now));
                }
            });
            return push.publish(user, events);
        }).exceptionally(ignored -> null);
    }

    private String downloadUrl(String user, Job job) {
        return links != null && JobFiles.downloadable(job, user) ? links.link(job.objectKey()).url() : null;
    }
}
