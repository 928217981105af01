package app.tally.functions.dashboard;

import app.tally.aws.AwsClients;
import app.tally.aws.Env;
import app.tally.http.ApiHandler;
import app.tally.http.ApiRequest;
import app.tally.http.ApiResponse;
import app.tally.services.dashboard.Dashboard;
import app.tally.services.dashboard.DashboardConversion;
import app.tally.services.dashboard.DashboardQuery;
import app.tally.services.profile.Profiles;
import app.tally.services.rates.RateFetcher;
import app.tally.services.rates.RateSources;
import app.tally.services.rates.Rates;
import app.tally.store.LedgerStore;
import app.tally.store.ProfileStore;
import app.tally.store.RateStore;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * GET /dashboard: the month, its categories and change, the trend and the newest transactions, in one call, with the
 * totals converted to one currency beside the per-currency ones.
 */
public final class DashboardHandler extends ApiHandler {
    /** Reads of one dashboard in flight at once: a default dashboard (6 months) needs 10, 24 months 28. */
    static final int MAX_READS_IN_FLIGHT = 16;
    private final Dashboard dashboard;
    private final DashboardConversion conversion;

    public DashboardHandler() {
        this(Env.system());
    }

    public DashboardHandler(Env env) {
        this(env, AwsClients.container());
    }

    public DashboardHandler(Env env, AwsClients aws) {
        this(env, aws, MAX_READS_IN_FLIGHT);
    }

    /** {@code maxReadsInFlight} 1 runs the same reads one after another: the benchmark's sequential baseline. */
    public DashboardHandler(Env env, AwsClients aws, int maxReadsInFlight) {
        String table = env.require("TABLE_NAME");
        var db = aws.dynamoDb();
        this.dashboard = new Dashboard(new LedgerStore(db, table),
                new Profiles(new ProfileStore(db, table), env.require("DEFAULT_CURRENCY"), Clock.systemUTC()),
                Clock.systemUTC(), maxReadsInFlight);
        this.conversion = new DashboardConversion(new Rates(RateSources.fromEnvironment(env), new RateFetcher(),
                new RateStore(db, table), Clock.systemUTC()));
    }

    @Override
    protected CompletableFuture<ApiResponse> handle(ApiRequest request) {
        DashboardQuery query = DashboardQuery.from(request);
        Optional<String> convertTo = DashboardConversion.convertTo(request);
        return dashboard.build(request.user(), request.claims(), query)
                .thenCompose(body -> conversion.addTo(body, convertTo.orElse(body.path("profile").path("currency").asText())))
                .thenApply(body -> ApiResponse.json(200, body));
    }
}
