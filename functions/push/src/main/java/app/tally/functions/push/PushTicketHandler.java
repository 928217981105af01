package app.tally.functions.push;

import app.tally.aws.AwsClients;
import app.tally.aws.Env;
import app.tally.http.ApiHandler;
import app.tally.http.ApiRequest;
import app.tally.http.ApiResponse;
import app.tally.json.Json;
import app.tally.services.push.PushTickets;
import app.tally.store.PushStore;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;

/** POST /push-tickets: a single-use ticket, valid for a minute, that opens the caller's push socket. */
public final class PushTicketHandler extends ApiHandler {
    private final PushTickets tickets;

    public PushTicketHandler() {
        this(Env.system());
    }

    public PushTicketHandler(Env env) {
        this(env, AwsClients.container());
    }

    public PushTicketHandler(Env env, AwsClients aws) {
        this.tickets = new PushTickets(new PushStore(aws.dynamoDb(), env.require("TABLE_NAME")),
                env.require("PUSH_SOCKET_URL"), Clock.systemUTC());
    }

    @Override
    protected CompletableFuture<ApiResponse> handle(ApiRequest request) {
        return tickets.issue(request.user()).thenApply(ticket -> ApiResponse.json(201, Json.object()
                .put("ticket", ticket.ticket()).put("url", ticket.url())
                .put("expiresAt", ticket.expiresAt().toString())));
    }
}
