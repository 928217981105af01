package app.tally.services.push;

import app.tally.json.Json;
import app.tally.model.Job;
import app.tally.services.jobs.JobQueries;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Collection;
import java.util.TreeSet;

/**
 * One change a user's open clients are told about (docs/push.md, api/asyncapi.yaml): its type, when it happened and
 * what changed. The push function adds the user's sequence number when it sends it.
 */
public record PushEvent(String type, Instant at, ObjectNode data) {
    public static final String JOB_PROGRESS = "job.progress";
    public static final String JOB_FINISHED = "job.finished";

    public static PushEvent jobProgress(Job job, Instant now) {
        ObjectNode counts = JobQueries.progress(job, now);
        ObjectNode data = jobData(job).put("percent", counts.path("percent").asInt())
                .put("rowsPerSecond", rowsPerSecond(job, counts, now));
        data.set("counts", counts);
        return new PushEvent(JOB_PROGRESS, now, data);
    }

    /** The job's final state; {@code downloadUrl} (an export's file) may be null. */
    public static PushEvent jobFinished(Job job, String downloadUrl, Instant now) {
        ObjectNode data = jobData(job);
        data.set("counts", JobQueries.progress(job, now));
        if (downloadUrl != null) {
            data.put("downloadUrl", downloadUrl);
        }
        return new PushEvent(JOB_FINISHED, now, data);
    }

    public static PushEvent statisticsChanged(Collection<YearMonth> months, Instant now) {
        ObjectNode data = Json.object();
        new TreeSet<>(months).forEach(month -> data.withArray("months").add(month.toString()));
        return new PushEvent("statistics.changed", now, data);
    }

    /** The JSON object a client receives: the event with its sequence number. */
    public ObjectNode toMessage(long seq) {
        ObjectNode message = Json.object().put("type", type).put("seq", seq).put("at", at.toString());
        message.set("data", data);
        return message;
    }

    /** The event as it travels on the push queue. */
    ObjectNode toJson() {
        ObjectNode json = Json.object().put("type", type).put("at", at.toString());
        json.set("data", data);
        return json;
    }

    static PushEvent fromJson(JsonNode json) {
        if (!json.path("type").isTextual() || !json.path("data").isObject()) {
            throw new IllegalArgumentException("not a push event");
        }
        return new PushEvent(json.get("type").asText(), Instant.parse(json.path("at").asText()),
                (ObjectNode) json.get("data"));
    }

    /** The job this event is about, or null. */
    public String jobId() {
        return data.path("jobId").isTextual() ? data.get("jobId").asText() : null;
    }

    /** A progress event whose job has ended or is at 100%: the last of its job, never dropped by the rate limit. */
    public boolean isLastProgress() {
        return data.path("percent").asInt() >= 100 || !"running".equals(data.path("status").asText());
    }

    private static ObjectNode jobData(Job job) {
        return Json.object().put("jobId", job.id()).put("kind", job.kind().wire()).put("status", job.status().wire());
    }

    private static long rowsPerSecond(Job job, ObjectNode counts, Instant now) {
        if (counts.has("rowsPerSecond")) {
            return counts.get("rowsPerSecond").asLong();
        }
        // An export counts rows too, but GET /jobs shows no rate for it.
        Instant until = job.finishedAt() != null ? job.finishedAt() : now;
        long millis = job.startedAt() == null ? 0 : Math.max(1, until.toEpochMilli() - job.startedAt().toEpochMilli());
        return millis == 0 ? 0 : Math.round(job.progress().rows() * 1000.0 / millis);
    }
}
