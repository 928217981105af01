package app.tally.functions.importrequest;

import app.tally.aws.AwsClients;
import app.tally.aws.Env;
import app.tally.http.ApiException;
import app.tally.http.ApiHandler;
import app.tally.http.ApiRequest;
import app.tally.http.ApiResponse;
import app.tally.services.imports.ImportRequest;
import app.tally.services.imports.ImportRequests;
import app.tally.services.jobs.JobQueue;
import app.tally.store.JobStore;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;

/**
 * POST /imports: a CSV body (text/csv, up to 1,000,000 bytes) is queued at once; {@code {"filename"}} answers a presigned upload
 * form. POST /imports/{id}/start queues an uploaded file. Both answer 202 with where to follow the job.
 */
public final class ImportRequestHandler extends ApiHandler {
    private final ImportRequests imports;

    public ImportRequestHandler() {
        this(Env.system());
    }

    public ImportRequestHandler(Env env) {
        this(env, AwsClients.container());
    }

    public ImportRequestHandler(Env env, AwsClients aws) {
        this.imports = new ImportRequests(new JobStore(aws.dynamoDb(), env.require("TABLE_NAME")),
                new JobQueue(aws.sqs(), env.require("IMPORT_QUEUE_URL")), aws.s3(),
                env.require("FILES_BUCKET"), Clock.systemUTC());
    }

    @Override
    protected int maxBodyBytes() {
        return ImportRequests.MAX_BODY_BYTES;
    }

    @Override
    protected String largerBodies() {
        return ImportRequests.LARGER_FILES;
    }

    @Override
    protected CompletableFuture<ApiResponse> handle(ApiRequest request) {
        String user = request.user();
        CompletableFuture<ObjectNode> job = switch (request.routeKey()) {
            case "POST /imports" -> request.mediaType().equals("text/csv")
                    ? imports.fromBody(user, request.body(), ImportRequest.forBody(request.query("mapping").orElse(null),
                            request.query("dryRun").orElse(null)))
                    : imports.forUpload(user, ImportRequest.forUpload(request.jsonObject(),
                            request.query("dryRun").orElse(null)));
            case "POST /imports/{id}/start" -> imports.start(user, request.pathParameter("id"));
            default -> throw ApiException.notFound("The route " + request.routeKey());
        };
        return job.thenApply(json -> ApiResponse.json(202, json)
                .withHeader("Location", "/jobs/" + json.get("jobId").asText()));
    }
}
