package app.tally.functions.jobs;

import app.tally.aws.AwsClients;
import app.tally.aws.Env;
import app.tally.http.ApiException;
import app.tally.http.ApiHandler;
import app.tally.http.ApiRequest;
import app.tally.http.ApiResponse;
import app.tally.services.CursorCodec;
import app.tally.services.jobs.DownloadLinks;
import app.tally.services.jobs.JobQueries;
import app.tally.store.ImportStore;
import app.tally.store.JobStore;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;

/**
 * GET /jobs (newest first, cursor), GET /jobs/{id} (with a 15-minute download link when an export is done),
 * GET /jobs/{id}/errors (an import's row errors, cursor).
 */
public final class JobsHandler extends ApiHandler {
    private final JobQueries jobs;

    public JobsHandler() {
        this(Env.system());
    }

    public JobsHandler(Env env) {
        this(env, AwsClients.container());
    }

    public JobsHandler(Env env, AwsClients aws) {
        String table = env.require("TABLE_NAME");
        this.jobs = new JobQueries(new JobStore(aws.dynamoDb(), table), new ImportStore(aws.dynamoDb(), table),
                new CursorCodec(env.require("CURSOR_SECRET")),
                new DownloadLinks(aws.s3Presigner(), env.require("FILES_BUCKET")), Clock.systemUTC());
    }

    @Override
    protected CompletableFuture<ApiResponse> handle(ApiRequest request) {
        String user = request.user();
        return switch (request.routeKey()) {
            case "GET /jobs" -> jobs.list(user, request)
                    .thenApply(page -> ApiResponse.json(200, page));
            case "GET /jobs/{id}" -> jobs.get(user, request.pathParameter("id"))
                    .thenApply(job -> ApiResponse.json(200, job));
            case "GET /jobs/{id}/errors" -> jobs.errors(user, request.pathParameter("id"), request)
                    .thenApply(page -> ApiResponse.json(200, page));
            default -> throw ApiException.notFound("The route " + request.routeKey());
        };
    }
}
