package app.tally.services.imports;

import app.tally.model.ImportProgress;
import app.tally.model.Job;
import app.tally.model.JobKind;
import app.tally.model.JobStatus;
import app.tally.retry.Backoff;
import app.tally.services.imports.ImportFile.Invalid;
import app.tally.services.imports.ImportFile.Row;
import app.tally.services.imports.ImportFile.Skipped;
import app.tally.services.imports.ImportFile.Valid;
import app.tally.services.imports.bills.BillSource;
import app.tally.services.jobs.JobQueue;
import app.tally.store.ImportStore;
import app.tally.store.ImportStore.RowError;
import app.tally.store.JobStore;
import app.tally.telemetry.Log;
import app.tally.telemetry.Metrics;
import app.tally.telemetry.Usage;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Runs one import job's reading side. The first pass streams the file from S3, validates every row, stores the row
 * errors and counts rows and chunks, so that a file that cannot be read at all (binary, not UTF-8, no header, a
 * mapping that does not fit) fails the job with its reason before any row is written, and the job's totals are final
 * before its first chunk can finish. A file of up to {@link #HELD_ROWS} valid rows keeps its chunks from that pass;
 * a larger one is streamed again (memory stays flat). The chunks (see {@link ChunkPlanner}) go to the FIFO chunk
 * queue ({@link ChunkSender}), where many writers take them at once, one per month ({@link ChunkWriter}). A dry run
 * stops after the first pass.
 * <p>
 * A retried run reads the same file into the same chunks with the same numbers: chunks sent before are written and
 * counted once (see {@link app.tally.store.ImportStore}).
 */
public final class ImportWorker {
    /** Row errors kept per import; more are counted but not stored. */
    public static final int MAX_STORED_ERRORS = 10_000;
    /**
     * Rows per import: a bigger history is split into several files, so that one job (about 22,000 chunks here) ends
     * within minutes and its row errors and event log stay readable.
     */
    public static final int MAX_ROWS = 1_000_000;
    /** Files of up to this many valid rows keep their chunks from the first pass, so there is no second read. */
    public static final int HELD_ROWS = 50_000;
    private static final int ERROR_FLUSH = 500;

    private final JobStore jobs;
    private final ImportStore store;
    private final S3AsyncClient s3;
    private final String bucket;
    private final JobQueue chunks;
    private final Clock clock;
    /** Reads files on threads of its own; what a read's calls consume counts for the job's invocation. */
    private final Executor reader = Usage.propagating(Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "import-reader");
        thread.setDaemon(true);
        return thread;
    }));

    public ImportWorker(JobStore jobs, ImportStore store, S3AsyncClient s3, String bucket, JobQueue chunks, Clock clock) {
        // Job updates are bookkeeping a worker can wait for: a throttled job item is waited out, not failed on.
        this.jobs = jobs.retrying(Backoff.WORKER);
        this.store = store;
        this.s3 = s3;
        this.bucket = bucket;
        this.chunks = chunks;
        this.clock = clock;
    }

    /** Completes when the job's chunks are all sent or there is nothing to do; fails when the run should be retried. */
    public CompletableFuture<Void> run(String user, String jobId, int receive) {
        return jobs.find(user, jobId).thenCompose(found -> {
            if (found.isEmpty() || found.get().kind() != JobKind.IMPORT || found.get().objectKey() == null) {
                log(jobId, "no import job of this user: message ignored");
                return CompletableFuture.completedFuture(null);
            }
            if (found.get().status().isFinal()) {
                log(jobId, "already " + found.get().status().wire() + ": message ignored");
                return CompletableFuture.completedFuture(null);
            }
            String event = receive == 1 ? "started" : "restarted (delivery " + receive + ")";
            return jobs.startImport(user, jobId, event, clock.instant()).thenCompose(before -> before.isEmpty()
                    ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.runAsync(() -> read(user, before.get()), reader));
        });
    }

    /** Both passes, blocking this reader thread (the S3 stream is read with plain IO). */
    private void read(String user, Job job) {
        ImportRequest request = ImportRequest.fromJson(job.request());
        Plan read;
        try {
            read = validate(user, job, request);
        } catch (ImportFileException e) {
            fail(user, job, e);
            return;
        }
        ImportProgress plan = read.progress();
        String summary = "read " + plan.total() + " rows: " + plan.valid() + " valid, " + plan.invalid() + " invalid"
                + (read.report().skipped() > 0 ? ", " + read.report().skipped() + " skipped" : "");
        // A dry run writes nothing, so it looks up which rows the ledger has already (while their chunks are held).
        Long duplicates = request.dryRun() && read.chunks() != null ? store.existing(user, read.chunks().stream()
                .flatMap(chunk -> chunk.transactions().stream()).toList()).join() : null;
        if (jobs.planned(user, job.id(), plan, read.report().into(job.request(), duplicates),
                summary + ", " + plan.chunks() + " chunks", clock.instant()).join().isEmpty()) {
            return;
        }
        if (request.dryRun() || plan.valid() == 0) {
            JobStatus outcome = request.dryRun() ? JobStatus.SUCCEEDED : plan.outcome();
            finished(job, outcome, plan, jobs.finishImport(user, job.id(), outcome, null,
                    outcome == JobStatus.FAILED ? "No row of the file is valid; see its row errors." : null,
                    (request.dryRun() ? "dry run finished, nothing written: " : "finished: ") + summary,
                    clock.instant()).join());
            return;
        }
        if (read.chunks() != null) {
            ChunkSender sender = new ChunkSender(chunks);
            read.chunks().forEach(sender::add);
            sender.finish();
            return;
        }
        try {
            fanOut(user, job, request);
        } catch (ImportFileException e) {
            // Only a file replaced between the passes reads differently; without an ETag pin (a body import, whose key
            // no one else can write) this cannot happen. Retrying would not help.
            fail(user, job, e);
        }
    }

    /** The file cannot be read (as it was): the job fails with the reason; chunks already sent still count. */
    private void fail(String user, Job job, ImportFileException e) {
        finished(job, JobStatus.FAILED, null, jobs.finishImport(user, job.id(), JobStatus.FAILED, null, e.getMessage(),
                "failed: " + e.getMessage(), clock.instant()).join());
    }

    /**
     * What the first pass found; {@code chunks} is null when the file has too many rows to hold them; {@code report}
     * says what was detected and how rows came out, for the job's request.
     */
    private record Plan(ImportProgress progress, List<ImportChunk> chunks, ImportReport report) {
    }

    /** The first pass's chunks, until there are too many rows to hold. */
    private static final class Held {
        private List<ImportChunk> chunks = new ArrayList<>();

        void add(ImportChunk chunk) {
            if (chunks != null) {
                chunks.add(chunk);
            }
        }

        void drop() {
            chunks = null;
        }
    }

    private Plan validate(String user, Job job, ImportRequest request) throws ImportFileException {
        long total = 0;
        long valid = 0;
        long invalid = 0;
        List<RowError> errors = new ArrayList<>();
        // One flush of row errors in flight while reading goes on: the next waits for it (ImportStore bounds a flush).
        CompletableFuture<Void> stored = CompletableFuture.completedFuture(null);
        Held held = new Held();
        ChunkPlanner planner = new ChunkPlanner(user, job.id(), held::add);
        BillSource.Opened opened = open(user, job, request);
        ImportReport report = new ImportReport(opened);
        try (ImportRows file = opened.rows()) {
            for (Row row = file.next(); row != null; row = file.next()) {
                report.add(row);
                if (row instanceof Skipped) {
                    continue;
                }
                if (++total > MAX_ROWS) {
                    throw new ImportFileException("The file has more than " + String.format("%,d", MAX_ROWS)
                            + " rows; split it into several imports.");
                }
                if (row instanceof Valid ok) {
                    if (++valid > HELD_ROWS) {
                        held.drop();
                    }
                    planner.add(ok);
                } else if (row instanceof Invalid bad) {
                    if (invalid++ < MAX_STORED_ERRORS) {
                        errors.add(bad.error());
                    }
                    if (errors.size() == ERROR_FLUSH) {
                        stored.join();
                        stored = store.putErrors(user, job.id(), errors);
                        errors = new ArrayList<>();
                    }
                }
            }
        } catch (ImportFileException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Reading the import file failed", e);
        }
        planner.finish();
        stored.join();
        store.putErrors(user, job.id(), errors).join();
        return new Plan(new ImportProgress(total, valid, invalid, planner.chunks(), 0, 0, 0, 0, true), held.chunks,
                report);
    }

    private void fanOut(String user, Job job, ImportRequest request) throws ImportFileException {
        ChunkSender sender = new ChunkSender(chunks);
        ChunkPlanner planner = new ChunkPlanner(user, job.id(), sender::add);
        try (ImportRows file = open(user, job, request).rows()) {
            for (Row row = file.next(); row != null; row = file.next()) {
                if (row instanceof Valid ok) {
                    planner.add(ok);
                }
            }
        } catch (ImportFileException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Reading the import file failed", e);
        }
        planner.finish();
        sender.finish();
    }

    private BillSource.Opened open(String user, Job job, ImportRequest request) throws ImportFileException {
        InputStream in;
        try {
            // An uploaded file is read only as it was when the job started: the upload URL stays valid a while.
            in = s3.getObject(g -> g.bucket(bucket).key(job.objectKey()).ifMatch(job.objectETag()),
                    AsyncResponseTransformer.toBlockingInputStream()).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof S3Exception s3e && s3e.statusCode() == 412) {
                throw new ImportFileException("The file was replaced after the import was started; import the new "
                        + "file as a new import.");
            }
            throw e;
        }
        try {
            return BillSource.open(in, request.mapping(), request.preset(), request.rules(), user, job.createdAt());
        } catch (ImportFileException | RuntimeException e) {
            try {
                in.close();
            } catch (Exception ignored) {
                // the first failure is the one to report
            }
            throw e;
        }
    }

    /** Metrics of an import that ended before any chunk was sent (nothing written: no rows/s). */
    private void finished(Job job, JobStatus outcome, ImportProgress plan, boolean applied) {
        if (applied) {
            Metrics.jobFinished(JobKind.IMPORT.wire(), outcome.wire(),
                    Duration.between(job.createdAt(), clock.instant()), job.id());
            if (plan != null) {
                Metrics.importFinished(null, plan.invalid(), 0, job.id());
            }
        }
    }

    private static void log(String jobId, String note) {
        Log.info("job-note").put("kind", JobKind.IMPORT.wire()).put("job", jobId).put("note", note).write();
    }
}
