package app.tally.functions.rates;

import app.tally.aws.AwsClients;
import app.tally.aws.Env;
import app.tally.services.rates.RateFetcher;
import app.tally.services.rates.RateSources;
import app.tally.services.rates.Rates;
import app.tally.store.RateStore;
import java.time.Clock;

/** The rates service both functions of this module build once per container. */
final class RatesSetup {
    private RatesSetup() {
    }

    static Rates rates(Env env, AwsClients aws) {
        return new Rates(RateSources.fromEnvironment(env), new RateFetcher(),
                new RateStore(aws.dynamoDb(), env.require("TABLE_NAME")), Clock.systemUTC());
    }
}
