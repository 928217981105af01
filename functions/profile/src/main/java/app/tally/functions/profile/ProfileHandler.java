package app.tally.functions.profile;

import app.tally.aws.AwsClients;
import app.tally.aws.Env;
import app.tally.http.ApiException;
import app.tally.http.ApiHandler;
import app.tally.http.ApiRequest;
import app.tally.http.ApiResponse;
import app.tally.services.profile.ProfileJson;
import app.tally.services.profile.Profiles;
import app.tally.store.ProfileStore;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;

/** GET /me and PATCH /me: the caller's own profile, created on first access. */
public final class ProfileHandler extends ApiHandler {
    private final Profiles profiles;

    public ProfileHandler() {
        this(Env.system());
    }

    public ProfileHandler(Env env) {
        this(env, AwsClients.container());
    }

    public ProfileHandler(Env env, AwsClients aws) {
        this(new Profiles(new ProfileStore(aws.dynamoDb(), env.require("TABLE_NAME")),
                env.require("DEFAULT_CURRENCY"), Clock.systemUTC()));
    }

    ProfileHandler(Profiles profiles) {
        this.profiles = profiles;
    }

    @Override
    protected CompletableFuture<ApiResponse> handle(ApiRequest request) {
        return switch (request.routeKey()) {
            case "GET /me" -> profiles.get(request.user(), request.claims())
                    .thenApply(profile -> ApiResponse.json(200, ProfileJson.of(profile)));
            case "PATCH /me" -> profiles.change(request.user(), request.claims(), request.jsonObject())
                    .thenApply(profile -> ApiResponse.json(200, ProfileJson.of(profile)));
            default -> throw ApiException.notFound("The route " + request.routeKey());
        };
    }
}
