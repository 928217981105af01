package app.tally.functions.exportrequest;

import app.tally.aws.AwsClients;
import app.tally.aws.Env;
import app.tally.http.ApiHandler;
import app.tally.http.ApiRequest;
import app.tally.http.ApiResponse;
import app.tally.json.Json;
import app.tally.services.exports.ExportRequests;
import app.tally.services.jobs.JobQueue;
import app.tally.store.JobStore;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;

/** POST /exports: queues an export job and answers 202 with where to follow it. */
public final class ExportRequestHandler extends ApiHandler {
    private final ExportRequests exports;

    public ExportRequestHandler() {
        this(Env.system());
    }

    public ExportRequestHandler(Env env) {
        this(env, AwsClients.container());
    }

    public ExportRequestHandler(Env env, AwsClients aws) {
        this.exports = new ExportRequests(new JobStore(aws.dynamoDb(), env.require("TABLE_NAME")),
                new JobQueue(aws.sqs(), env.require("EXPORT_QUEUE_URL")), Clock.systemUTC());
    }

    @Override
    protected CompletableFuture<ApiResponse> handle(ApiRequest request) {
        return exports.request(request.user(), request.jsonObject())
                .thenApply(job -> ApiResponse.json(202, Json.object()
                                .put("jobId", job.id())
                                .put("kind", job.kind().wire())
                                .put("status", job.status().wire()))
                        .withHeader("Location", "/jobs/" + job.id()));
    }
}
