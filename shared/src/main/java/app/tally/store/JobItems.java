package app.tally.store;

import static app.tally.store.Attributes.n;
import static app.tally.store.Attributes.s;

import app.tally.model.ImportProgress;
import app.tally.model.Job;
import app.tally.model.JobEvent;
import app.tally.model.JobKind;
import app.tally.model.JobProgress;
import app.tally.model.JobStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** A job's item shape ({@code PK=U#<user>}, {@code SK=J#<jobId>}) and its event log entries. */
final class JobItems {
    /** Set on an import's job item when its final chunk counts were copied onto it. */
    static final String COUNTS_FINAL = "countsFinal";

    private JobItems() {
    }

    /** A new job's item: no progress, an empty event log. */
    static Map<String, AttributeValue> newItem(String user, Job job) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(Keys.PK, s(Keys.user(user)));
        item.put(Keys.SK, s(Keys.job(job.id())));
        item.put("id", s(job.id()));
        item.put("kind", s(job.kind().wire()));
        item.put("status", s(job.status().wire()));
        item.put("request", s(job.request()));
        item.put("rows", n(0));
        item.put("bytes", n(0));
        item.put("monthsDone", n(0));
        item.put("monthsTotal", n(0));
        item.put("events", AttributeValue.fromL(List.of()));
        if (job.objectKey() != null) {
            item.put("objectKey", s(job.objectKey()));
        }
        item.put("createdAt", s(job.createdAt().toString()));
        item.put("updatedAt", s(job.updatedAt().toString()));
        return item;
    }

    static AttributeValue event(String text, Instant at) {
        return AttributeValue.fromL(List.of(AttributeValue.fromM(Map.of("at", s(at.toString()), "text", s(text)))));
    }

    static Job toJob(Map<String, AttributeValue> item) {
        JobKind kind = JobKind.fromWire(Attributes.string(item, "kind"));
        List<JobEvent> events = new ArrayList<>();
        AttributeValue log = item.get("events");
        if (log != null && log.hasL()) {
            log.l().forEach(e -> events.add(new JobEvent(Instant.parse(e.m().get("at").s()), e.m().get("text").s())));
        }
        return new Job(Attributes.string(item, "id"),
                kind,
                JobStatus.fromWire(Attributes.string(item, "status")),
                Attributes.string(item, "request"),
                new JobProgress(Attributes.number(item, "rows"), Attributes.number(item, "bytes"),
                        (int) Attributes.number(item, "monthsDone"), (int) Attributes.number(item, "monthsTotal")),
                kind != JobKind.IMPORT ? null : new ImportProgress(Attributes.number(item, "total"),
                        Attributes.number(item, "valid"), Attributes.number(item, "invalid"),
                        (int) Attributes.number(item, "chunks"), Attributes.number(item, "imported"),
                        Attributes.number(item, "duplicates"), Attributes.number(item, "failed"),
                        (int) Attributes.number(item, "chunksDone"),
                        item.containsKey("planned") && Boolean.TRUE.equals(item.get("planned").bool())),
                events,
                Attributes.string(item, "objectKey"),
                Attributes.string(item, "objectETag"),
                Attributes.string(item, "error"),
                Attributes.string(item, "attempt"),
                instant(item, "createdAt"), instant(item, "updatedAt"), instant(item, "startedAt"),
                instant(item, "finishedAt"));
    }

    private static Instant instant(Map<String, AttributeValue> item, String name) {
        String value = Attributes.string(item, name);
        return value == null ? null : Instant.parse(value);
    }
}
