package app.tally.services.exports;

import app.tally.model.Job;
import app.tally.model.JobKind;
import app.tally.model.JobProgress;
import app.tally.model.JobStatus;
import app.tally.model.Transaction;
import app.tally.retry.Failures;
import app.tally.services.jobs.JobFiles;
import app.tally.services.push.JobAnnouncements;
import app.tally.store.JobStore;
import app.tally.store.LedgerStore;
import app.tally.store.StatsRow;
import app.tally.telemetry.Log;
import app.tally.telemetry.Metrics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * Runs one export job: reads the requested months (only those whose statistics show rows), several partitions at
 * once but written strictly in order (oldest first, then by id), streams the rows into a multipart upload keyed by
 * the job, records progress after each month, and marks the job succeeded with its counts and file.
 * <p>
 * A retried run starts over: it takes the job over with its own upload id as the run token, aborts the upload of the
 * run before it, and writes the same key, so the file is complete and appears once. A missing, foreign or finished job
 * is logged and left alone.
 */
public final class ExportWorker {
    /** Month partitions read ahead of the writer; each holds at most {@link MonthFeed#PAGES_AHEAD} pages. */
    public static final int MONTHS_IN_FLIGHT = 4;

    private final LedgerStore ledger;
    private final JobStore jobs;
    private final S3AsyncClient s3;
    private final String bucket;
    private final Clock clock;
    private final int monthsInFlight;
    private final JobAnnouncements announcements;

    public ExportWorker(LedgerStore ledger, JobStore jobs, S3AsyncClient s3, String bucket, Clock clock, int monthsInFlight) {
        this(ledger, jobs, s3, bucket, clock, monthsInFlight, JobAnnouncements.none());
    }

    /** An export worker that tells the user's open clients of each month written and of the file's link. */
    public ExportWorker(LedgerStore ledger, JobStore jobs, S3AsyncClient s3, String bucket, Clock clock, int monthsInFlight,
                    JobAnnouncements announcements) {
        this.announcements = announcements;
        this.ledger = ledger;
        this.jobs = jobs;
        this.s3 = s3;
        this.bucket = bucket;
        this.clock = clock;
        this.monthsInFlight = monthsInFlight;
    }

    /** Completes when the job is done or there is nothing to do; fails when the run should be retried. */
    public CompletableFuture<Void> export(String user, String jobId) {
        return jobs.find(user, jobId).thenCompose(found -> {
            if (found.isEmpty() || found.get().kind() != JobKind.EXPORT) {
                log(jobId, "no export job of this user: message ignored");
                return CompletableFuture.completedFuture(null);
            }
            if (found.get().status().isFinal()) {
                log(jobId, "already " + found.get().status().wire() + ": message ignored");
                return CompletableFuture.completedFuture(null);
            }
            ExportRequest request = ExportRequest.fromJson(found.get().request());
            return monthsWithRows(user, request).thenCompose(months -> run(user, jobId, request, months));
        });
    }

    private CompletableFuture<List<YearMonth>> monthsWithRows(String user, ExportRequest request) {
        return ledger.stats(user, request.firstMonth(), request.lastMonth()).thenApply(rows -> {
            TreeSet<YearMonth> months = new TreeSet<>();
            for (StatsRow row : rows) {
                if (!row.isEmpty() && (request.category() == null || request.category().equals(row.category()))) {
                    months.add(row.month());
                }
            }
            return new ArrayList<>(months);
        });
    }

    private CompletableFuture<Void> run(String user, String jobId, ExportRequest request, List<YearMonth> months) {
        String key = JobFiles.key(JobKind.EXPORT, user, jobId, request.format().extension());
        return ExportUpload.begin(s3, bucket, key, request.format().contentType(), request.fileName())
                .thenCompose(upload -> jobs.start(user, jobId, upload.uploadId(), months.size(), clock.instant())
                        .thenCompose(before -> {
                            if (before.isEmpty()) {
                                log(jobId, "finished while this run started: upload dropped");
                                return upload.abort();
                            }
                            abortPrevious(key, before.get(), upload.uploadId());
                            return write(user, jobId, request, months, upload)
                                    .thenCompose(written -> written.isPresent()
                                            ? finish(user, before.get(), key, written.get(), upload) : upload.abort())
                                    .whenComplete((ignored, failure) -> {
                                        if (failure != null) {
                                            // Best effort: the run already failed and will be retried; the bucket's
                                            // lifecycle rule aborts an upload this cannot.
                                            upload.abort().exceptionally(e -> null);
                                        }
                                    });
                        }));
    }

    /**
     * A run that died leaves its multipart upload open; S3 would keep its parts until aborted. The job as it was
     * "before" may show this run's own upload: the take-over committed, its answer was lost, and the SDK's retry
     * found it done.
     */
    private void abortPrevious(String key, Job before, String ownUpload) {
        if (before.attempt() != null && !before.attempt().equals(ownUpload)) {
            ExportUpload.abort(s3, bucket, key, before.attempt()).exceptionally(failure -> {
                log(before.id(), "could not abort the previous run's upload ("
                        + Failures.unwrap(failure).getClass().getSimpleName() + ")");
                return null;
            });
        }
    }

    /** Writes every month in order; empty when another run took the job over meanwhile. */
    private CompletableFuture<Optional<JobProgress>> write(String user, String jobId, ExportRequest request, List<YearMonth> months,
                                             ExportUpload upload) {
        StringBuilder header = new StringBuilder();
        if (request.format() == ExportFormat.CSV) {
            if (request.bom()) {
                header.append('\uFEFF');
            }
            TransactionCsv.appendHeader(header);
        }
        List<MonthFeed> feeds = new ArrayList<>();
        for (YearMonth month : months) {
            feeds.add(new MonthFeed(ledger, user, month, request));
        }
        for (int i = 0; i < Math.min(monthsInFlight, feeds.size()); i++) {
            feeds.get(i).start();
        }
        return upload.write(header.toString().getBytes(StandardCharsets.UTF_8))
                .thenCompose(ignored -> writeMonth(user, jobId, request, feeds, 0, upload, new RowCount()));
    }

    private CompletableFuture<Optional<JobProgress>> writeMonth(String user, String jobId, ExportRequest request,
                                                                List<MonthFeed> feeds, int index, ExportUpload upload,
                                                                RowCount rows) {
        JobProgress progress = new JobProgress(rows.value, upload.bytes(), index, feeds.size());
        if (index == feeds.size()) {
            return CompletableFuture.completedFuture(Optional.of(progress));
        }
        return drain(feeds.get(index), request.format(), upload, rows).thenCompose(ignored -> {
            if (index + monthsInFlight < feeds.size()) {
                feeds.get(index + monthsInFlight).start();
            }
            return jobs.progress(user, jobId, upload.uploadId(),
                    new JobProgress(rows.value, upload.bytes(), index + 1, feeds.size()), clock.instant());
        }).thenCompose(owned -> owned ? announcements.progress(user, jobId, List.of()).thenApply(ignored -> true)
                : CompletableFuture.completedFuture(false)).thenCompose(owned -> {
            if (!owned) {
                log(jobId, "taken over by another run: this run stops");
                return CompletableFuture.completedFuture(Optional.empty());
            }
            return writeMonth(user, jobId, request, feeds, index + 1, upload, rows);
        });
    }

    /** Rows written so far by one run; touched only by its sequential chain. */
    private static final class RowCount {
        private long value;
    }

    private CompletableFuture<Void> drain(MonthFeed feed, ExportFormat format, ExportUpload upload, RowCount rows) {
        return feed.take().thenCompose(page -> {
            if (page == null) {
                return CompletableFuture.completedFuture(null);
            }
            StringBuilder text = new StringBuilder(page.size() * 160);
            for (Transaction tx : page) {
                ExportRow row = ExportRow.of(tx);
                if (format == ExportFormat.CSV) {
                    TransactionCsv.appendRow(text, row);
                } else {
                    TransactionJsonLines.appendRow(text, row);
                }
            }
            rows.value += page.size();
            return upload.write(text.toString().getBytes(StandardCharsets.UTF_8))
                    .thenCompose(ignored -> drain(feed, format, upload, rows));
        });
    }

    private CompletableFuture<Void> finish(String user, Job job, String key, JobProgress written, ExportUpload upload) {
        Instant now = clock.instant();
        return upload.complete()
                .thenCompose(ignored -> jobs.succeed(user, job.id(), upload.uploadId(), written, key, now))
                .thenCompose(applied -> {
                    if (applied) {
                        Metrics.jobFinished(JobKind.EXPORT.wire(), JobStatus.SUCCEEDED.wire(),
                                Duration.between(job.createdAt(), now), job.id());
                        return announcements.finished(user, job.id());
                    }
                    log(job.id(), "finished by another run first");
                    return CompletableFuture.completedFuture(null);
                });
    }

    private static void log(String jobId, String note) {
        Log.info("job-note").put("kind", JobKind.EXPORT.wire()).put("job", jobId).put("note", note).write();
    }
}
