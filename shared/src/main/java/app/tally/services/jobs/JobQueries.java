package app.tally.services.jobs;

import app.tally.json.Json;
import app.tally.model.Ids;
import app.tally.model.ImportProgress;
import app.tally.model.Job;
import app.tally.model.JobKind;
import app.tally.model.JobProgress;
import app.tally.model.JobStatus;
import app.tally.services.CursorCodec;
import app.tally.services.Parameters;
import app.tally.services.Refusal;
import app.tally.store.ImportStore;
import app.tally.store.JobStore;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * A user's jobs as they see them: status, progress, counts, times, and a download link once an export's file is ready;
 * an import's row counters with rows/s and an ETA, its event log, and its row errors page by page.
 */
public final class JobQueries {
    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    private final JobStore store;
    private final ImportStore imports;
    private final CursorCodec cursors;
    private final DownloadLinks links;
    private final Clock clock;

    public JobQueries(JobStore store, ImportStore imports, CursorCodec cursors, DownloadLinks links, Clock clock) {
        this.store = store;
        this.imports = imports;
        this.cursors = cursors;
        this.links = links;
        this.clock = clock;
    }

    /** One job with its download link when it succeeded; another user's job is as unknown as a missing one. */
    public CompletableFuture<ObjectNode> get(String user, String id) {
        if (!Ids.isValid(id)) {
            return CompletableFuture.failedFuture(Refusal.notFound("The job"));
        }
        return store.find(user, id).thenApply(found -> {
            Job job = found.orElseThrow(() -> Refusal.notFound("The job"));
            ObjectNode json = toJson(job);
            if (JobFiles.downloadable(job, user)) {
                DownloadLinks.Link link = links.link(job.objectKey());
                json.putObject("download").put("url", link.url()).put("expiresAt", link.expiresAt().toString());
            }
            return json;
        });
    }

    /** An import's row errors in row order, {@code limit} at a time, with a signed cursor to the next page. */
    public CompletableFuture<ObjectNode> errors(String user, String id, Parameters query) {
        if (!Ids.isValid(id)) {
            return CompletableFuture.failedFuture(Refusal.notFound("The job"));
        }
        int limit = query.boundedInt("limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
        String cursor = query.query("cursor").orElse(null);
        String startAfter = null;
        if (cursor != null) {
            startAfter = cursors.decode(user, cursor).path("k").asText();
            if (!ImportStore.isErrorKeyOf(id, startAfter)) {
                throw Refusal.malformed("The cursor is not valid for this request.");
            }
        }
        String start = startAfter;
        return store.find(user, id).thenCompose(found -> {
            found.filter(job -> job.kind() == JobKind.IMPORT).orElseThrow(() -> Refusal.notFound("The import"));
            return imports.errors(user, id, start, limit);
        }).thenApply(page -> {
            ObjectNode json = Json.object();
            ArrayNode items = json.putArray("items");
            page.errors().forEach(error -> items.addObject().put("row", error.row()).put("column", error.column())
                    .put("reason", error.reason()).put("raw", error.raw()));
            json.put("nextCursor", page.lastKey() == null ? null
                    : cursors.encode(user, Json.object().put("k", page.lastKey())));
            return json;
        });
    }

    /** The user's jobs, newest first, {@code limit} at a time, with a signed cursor to the next page. */
    public CompletableFuture<ObjectNode> list(String user, Parameters query) {
        int limit = query.boundedInt("limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
        String cursor = query.query("cursor").orElse(null);
        String startAfter = null;
        if (cursor != null) {
            startAfter = cursors.decode(user, cursor).path("k").asText();
            if (!JobStore.isJobKey(startAfter)) {
                throw Refusal.malformed("The cursor is not valid for this request.");
            }
        }
        return store.page(user, startAfter, limit).thenApply(page -> {
            ObjectNode json = Json.object();
            ArrayNode items = json.putArray("items");
            page.jobs().forEach(job -> items.add(toJson(job)));
            json.put("nextCursor", page.lastKey() == null ? null
                    : cursors.encode(user, Json.object().put("k", page.lastKey())));
            return json;
        });
    }

    ObjectNode toJson(Job job) {
        return view(job, clock.instant());
    }

    /** A job as GET /jobs/{id} shows it (without the download link), its rates measured up to {@code now}. */
    public static ObjectNode view(Job job, Instant now) {
        ObjectNode json = Json.object();
        json.put("jobId", job.id());
        json.put("kind", job.kind().wire());
        json.put("status", job.status().wire());
        try {
            json.set("request", Json.parse(job.request()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The stored job request is not JSON", e);
        }
        json.set("progress", progress(job, now));
        if (job.imports() != null) {
            ArrayNode events = json.putArray("events");
            job.events().forEach(event -> events.addObject().put("at", event.at().toString()).put("text", event.text()));
            json.put("errors", "/jobs/" + job.id() + "/errors");
        }
        time(json, "createdAt", job.createdAt());
        time(json, "updatedAt", job.updatedAt());
        time(json, "startedAt", job.startedAt());
        time(json, "finishedAt", job.finishedAt());
        if (job.error() != null) {
            json.put("error", job.error());
        }
        return json;
    }

    /**
     * A job's progress as GET /jobs/{id} shows it (and its pushed events carry it): percent and counts; an import's
     * rows/s and ETA up to {@code now}, or up to its end.
     */
    public static ObjectNode progress(Job job, Instant now) {
        if (job.imports() == null) {
            JobProgress progress = job.progress();
            return Json.object()
                    .put("percent", progress.percent(job.status()))
                    .put("rows", progress.rows())
                    .put("bytes", progress.bytes())
                    .put("monthsDone", progress.monthsDone())
                    .put("monthsTotal", progress.monthsTotal());
        }
        ImportProgress counts = job.imports();
        Instant until = job.finishedAt() != null ? job.finishedAt() : now;
        ObjectNode progress = Json.object()
                .put("percent", counts.percent(job.status()))
                .put("total", counts.total())
                .put("valid", counts.valid())
                .put("invalid", counts.invalid())
                .put("imported", counts.imported())
                .put("duplicates", counts.duplicates())
                .put("failed", counts.failed())
                .put("chunks", counts.chunks())
                .put("chunksDone", counts.chunksDone())
                .put("rowsPerSecond", Math.round(counts.rowsPerSecond(job.startedAt(), until)));
        long eta = job.status().isFinal() ? 0 : counts.etaSeconds(job.startedAt(), until);
        if (eta >= 0) {
            progress.put("etaSeconds", eta);
        } else {
            progress.putNull("etaSeconds");
        }
        return progress;
    }

    private static void time(ObjectNode json, String name, Instant value) {
        json.put(name, value == null ? null : value.toString());
    }
}
