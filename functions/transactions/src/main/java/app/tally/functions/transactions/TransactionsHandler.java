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
import app.tally.services.ledger.TransactionListing;
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
        this(new LedgerStore(aws.dynamoDb(), env.require("TABLE_NAME")), new CursorCodec(env.require("CURSOR_SECRET")));
    }

    private TransactionsHandler(LedgerStore store, CursorCodec cursors) {
        this.ledger = new Ledger(store, Clock.systemUTC());
        this.listing = new TransactionListing(store, cursors);
    }

    @Override
    protected CompletableFuture<ApiResponse> handle(ApiRequest request) {
        String user = request.user();
        return switch (request.routeKey()) {
            case "GET /transactions" -> listing.list(user, ListQuery.from(request))
                    .thenApply(page -> ApiResponse.json(200, page.toJson()));
            case "GET /transactions/{id}" -> ledger.get(user, request.pathParameter("id"))
                    .thenApply(tx -> ApiResponse.json(200, tx.toJson()));
            case "PATCH /transactions/{id}" -> ledger.patch(user, request.pathParameter("id"), request.jsonObject())
                    .thenApply(tx -> ApiResponse.json(200, tx.toJson()));
            case "DELETE /transactions/{id}" -> ledger.delete(user, request.pathParameter("id"))
                    .thenApply(ignored -> ApiResponse.noContent());
            default -> throw ApiException.notFound("The route " + request.routeKey());
        };
    }
}
