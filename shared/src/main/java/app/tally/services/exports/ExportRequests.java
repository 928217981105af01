package app.tally.services.exports;

import app.tally.json.Json;
import app.tally.model.Ids;
import app.tally.model.Job;
import app.tally.model.JobKind;
import app.tally.services.Refusal;
import app.tally.services.jobs.JobMessage;
import app.tally.services.jobs.JobQueue;
import app.tally.store.JobStore;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * Accepts export requests: the job item is written first and the message sent after, so a message never names a
 * job that does not exist. If the message cannot be sent, the job is marked failed and the caller gets a 503.
 */
public final class ExportRequests {
    private final JobStore jobs;
    private final JobQueue queue;
    private final Clock clock;

    public ExportRequests(JobStore jobs, JobQueue queue, Clock clock) {
        this.jobs = jobs;
        this.queue = queue;
        this.clock = clock;
    }

    public CompletableFuture<Job> request(String user, ObjectNode body) {
        ExportRequest request = ExportRequest.from(body);
        Instant now = clock.instant();
        Job job = Job.queued(Ids.newId(now), JobKind.EXPORT, Json.write(request.toJson()), now);
        return jobs.create(user, job).thenCompose(created -> queue.send(new JobMessage(user, job.id(), JobKind.EXPORT))
                .exceptionallyCompose(failure -> jobs.fail(user, job.id(),
                                "The export could not be queued. Request it again.", clock.instant())
                        .handle((ignored, alsoFailed) -> {
                            throw Refusal.unavailable("The export could not be queued; retry shortly.");
                        })))
                .thenApply(sent -> job);
    }
}
