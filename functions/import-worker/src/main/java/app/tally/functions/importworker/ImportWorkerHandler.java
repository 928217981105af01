package app.tally.functions.importworker;

import app.tally.aws.AwsClients;
import app.tally.aws.Env;
import app.tally.model.JobKind;
import app.tally.queue.JobHandler;
import app.tally.services.imports.ImportWorker;
import app.tally.services.jobs.JobMessage;
import app.tally.services.jobs.JobQueue;
import app.tally.store.ImportStore;
import app.tally.store.JobStore;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;

/** SQS ImportQueue → validates each import's file from S3 and fans its rows out to ImportChunkQueue. */
public final class ImportWorkerHandler extends JobHandler {
    private final ImportWorker importer;

    public ImportWorkerHandler() {
        this(Env.system());
    }

    public ImportWorkerHandler(Env env) {
        this(env, AwsClients.container());
    }

    public ImportWorkerHandler(Env env, AwsClients aws) {
        this(new JobStore(aws.dynamoDb(), env.require("TABLE_NAME")), env, aws);
    }

    private ImportWorkerHandler(JobStore jobs, Env env, AwsClients aws) {
        super(JobKind.IMPORT, jobs, Integer.parseInt(env.require("IMPORT_MAX_RECEIVES")), Clock.systemUTC());
        this.importer = new ImportWorker(jobs, new ImportStore(aws.dynamoDb(), env.require("TABLE_NAME")),
                aws.s3(), env.require("FILES_BUCKET"),
                new JobQueue(aws.sqs(), env.require("IMPORT_CHUNK_QUEUE_URL")), Clock.systemUTC());
    }

    @Override
    protected CompletableFuture<Void> run(JobMessage message, int receive) {
        return importer.run(message.user(), message.jobId(), receive);
    }
}
