package app.tally.functions.rates;

import app.tally.aws.AwsClients;
import app.tally.aws.Env;
import app.tally.http.ApiHandler;
import app.tally.http.ApiRequest;
import app.tally.http.ApiResponse;
import app.tally.services.rates.Rates;
import app.tally.services.rates.RatesAnswer;
import app.tally.services.rates.RatesQuery;
import java.util.concurrent.CompletableFuture;

/** GET /rates: a day's exchange rates for a base currency, from the cache or from every source at once. */
public final class RatesHandler extends ApiHandler {
    private final Rates rates;

    public RatesHandler() {
        this(Env.system());
    }

    public RatesHandler(Env env) {
        this(env, AwsClients.container());
    }

    public RatesHandler(Env env, AwsClients aws) {
        this.rates = RatesSetup.rates(env, aws);
    }

    @Override
    protected CompletableFuture<ApiResponse> handle(ApiRequest request) {
        RatesQuery query = RatesQuery.from(request, rates.today());
        return rates.lookup(query.base(), query.date())
                .thenApply(lookup -> ApiResponse.json(200, RatesAnswer.of(query, lookup)));
    }
}
