package app.tally.functions.transactions;

import app.tally.aws.AwsClients;
import app.tally.aws.Env;
import app.tally.http.ApiException;
import app.tally.http.ApiHandler;
import app.tally.http.ApiRequest;
import app.tally.http.ApiResponse;
import app.tally.services.CursorCodec;
import app.tally.services.ledger.Ledger;
import app.tally.services.ledger.ListQuery;
import app.tally.services.ledger.TransactionJson;
import app.tally.services.ledger.TransactionListing;
import app.tally.services.push.PushPublisher;
import app.tally.store.LedgerStore;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;

/** GET /transactions, GET|PATCH|DELETE /transactions/{id}. */
public final class TransactionsHandler extends ApiHandler {
    private final Ledger ledger;
    private final TransactionListing listing;

    public TransactionsHandler() {
        this(Env.system());
    }

    public TransactionsHandler(Env env) {
        this(env, AwsClients.container());
    }

    public TransactionsHandler(Env env, AwsClients aws) {
        this(new LedgerStore(aws.dynamoDb(), env.require("TABLE_NAME")), new CursorCodec(env.require("CURSOR_SECRET")),
                new PushPublisher(aws.sqs(), env.require("PUSH_QUEUE_URL")));
    }

    private TransactionsHandler(LedgerStore store, CursorCodec cursors, PushPublisher push) {
        this.ledger = new Ledger(store, Clock.systemUTC(), push);
        this.listing = new TransactionListing(store, cursors);
    }

    @Override
    protected CompletableFuture<ApiResponse> handle(ApiRequest request) {
        String user = request.user();
        return switch (request.routeKey()) {
            case "GET /transactions" -> listing.list(user, ListQuery.from(request))
                    .thenApply(page -> ApiResponse.json(200, page.toJson()));
            case "GET /transactions/{id}" -> ledger.get(user, request.pathParameter("id"))
                    .thenApply(tx -> ApiResponse.json(200, TransactionJson.of(tx)));
            case "PATCH /transactions/{id}" -> ledger.patch(user, request.pathParameter("id"), request.jsonObject())
                    .thenApply(tx -> ApiResponse.json(200, TransactionJson.of(tx)));
            case "DELETE /transactions/{id}" -> ledger.delete(user, request.pathParameter("id"))
                    .thenApply(ignored -> ApiResponse.noContent());
            default -> throw ApiException.notFound("The route " + request.routeKey());
        };
    }
}
