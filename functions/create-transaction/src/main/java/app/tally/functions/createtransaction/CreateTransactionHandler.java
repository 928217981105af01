package app.tally.functions.createtransaction;

import app.tally.aws.AwsClients;
import app.tally.aws.Env;
import app.tally.http.ApiHandler;
import app.tally.http.ApiRequest;
import app.tally.http.ApiResponse;
import app.tally.services.ledger.Ledger;
import app.tally.services.ledger.TransactionInput;
import app.tally.services.profile.Profiles;
import app.tally.services.push.PushPublisher;
import app.tally.store.LedgerStore;
import app.tally.store.ProfileStore;
import app.tally.telemetry.Metrics;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** POST /transactions: records one transaction (idempotent with an Idempotency-Key header). */
public final class CreateTransactionHandler extends ApiHandler {
    private final Ledger ledger;
    private final Profiles profiles;

    public CreateTransactionHandler() {
        this(Env.system());
    }

    public CreateTransactionHandler(Env env) {
        this(env, AwsClients.container());
    }

    public CreateTransactionHandler(Env env, AwsClients aws) {
        this(aws, env.require("TABLE_NAME"), env.require("DEFAULT_CURRENCY"),
                new PushPublisher(aws.sqs(), env.require("PUSH_QUEUE_URL")));
    }

    private CreateTransactionHandler(AwsClients aws, String table, String defaultCurrency, PushPublisher push) {
        var db = aws.dynamoDb();
        this.ledger = new Ledger(new LedgerStore(db, table), Clock.systemUTC(), push);
        this.profiles = new Profiles(new ProfileStore(db, table), defaultCurrency, Clock.systemUTC());
    }

    @Override
    protected CompletableFuture<ApiResponse> handle(ApiRequest request) {
        ObjectNode body = request.jsonObject();
        String key = request.header("Idempotency-Key").map(Ledger::checkIdempotencyKey).orElse(null);
        // Only a valid body without a currency costs a profile read; otherwise the create is one DynamoDB transaction.
        CompletableFuture<String> currency;
        if (body.has("currency")) {
            currency = CompletableFuture.completedFuture(null);
        } else {
            TransactionInput.checkBeforeCurrency(body);
            currency = profiles.currencyOf(request.user());
        }
        return currency
                .thenCompose(fallback -> ledger.create(request.user(), body, fallback, key))
                .thenApply(created -> {
                    if (!created.replayed()) {
                        Metrics.transactionsCreated("api", 1);
                    }
                    ApiResponse response = new ApiResponse(201, Map.of("Content-Type", "application/json"),
                            created.json()).withHeader("Location", "/transactions/" + created.id());
                    return created.replayed() ? response.withHeader("Idempotent-Replayed", "true") : response;
                });
    }
}
