package app.tally.functions.exportworker;

import app.tally.aws.AwsClients;
import app.tally.aws.Env;
import app.tally.model.JobKind;
import app.tally.queue.JobHandler;
import app.tally.services.exports.ExportWorker;
import app.tally.services.jobs.DownloadLinks;
import app.tally.services.jobs.JobMessage;
import app.tally.services.push.JobAnnouncements;
import app.tally.services.push.PushPublisher;
import app.tally.store.JobStore;
import app.tally.store.LedgerStore;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;

/** SQS ExportQueue → writes each requested export to S3 (partial batch failures; see JobHandler for retries). */
public final class ExportWorkerHandler extends JobHandler {
    private final ExportWorker exporter;

    public ExportWorkerHandler() {
        this(Env.system());
    }

    public ExportWorkerHandler(Env env) {
        this(env, AwsClients.container());
    }

    public ExportWorkerHandler(Env env, AwsClients aws) {
        this(new JobStore(aws.dynamoDb(), env.require("TABLE_NAME")), env, aws);
    }

    private ExportWorkerHandler(JobStore jobs, Env env, AwsClients aws) {
        super(JobKind.EXPORT, jobs, Integer.parseInt(env.require("EXPORT_MAX_RECEIVES")), Clock.systemUTC());
        String bucket = env.require("FILES_BUCKET");
        this.exporter = new ExportWorker(new LedgerStore(aws.dynamoDb(), env.require("TABLE_NAME")), jobs,
                aws.s3(), bucket, Clock.systemUTC(), ExportWorker.MONTHS_IN_FLIGHT,
                new JobAnnouncements(jobs, new PushPublisher(aws.sqs(), env.require("PUSH_QUEUE_URL")),
                        new DownloadLinks(aws.s3Presigner(), bucket), Clock.systemUTC()));
    }

    @Override
    protected CompletableFuture<Void> run(JobMessage message, int receive) {
        return exporter.export(message.user(), message.jobId());
    }
}
