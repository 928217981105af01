package app.tally.functions.push;

import app.tally.aws.AwsClients;
import app.tally.aws.Env;
import app.tally.queue.QueueHandler;
import app.tally.services.push.ProgressThrottle;
import app.tally.services.push.PushFanout;
import app.tally.services.push.PushMessage;
import app.tally.store.PushStore;
import app.tally.telemetry.Log;
import app.tally.telemetry.UserRef;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * SQS PushQueue → sends each message's events to every live connection of its user. A user's messages run one after
 * another (one lane per user, and one FIFO message group per user), different users' at once.
 */
public final class PushHandler extends QueueHandler<PushMessage> {
    /** Posts in flight per event: enough to reach a user's devices at once, bounded for a user with very many. */
    static final int MAX_IN_FLIGHT = 32;

    private final PushFanout fanout;

    public PushHandler() {
        this(Env.system());
    }

    public PushHandler(Env env) {
        this(env, AwsClients.container());
    }

    public PushHandler(Env env, AwsClients aws) {
        super("push", Integer.parseInt(env.require("PUSH_MAX_RECEIVES")));
        this.fanout = new PushFanout(new PushStore(aws.dynamoDb(), env.require("TABLE_NAME")),
                aws.connections(connectionsEndpoint(env.require("PUSH_SOCKET_URL"))), new ProgressThrottle(),
                MAX_IN_FLIGHT, Clock.systemUTC());
    }

    /** The @connections API lives at the socket's own address over HTTPS (wss://… → https://…). */
    static String connectionsEndpoint(String socketUrl) {
        return socketUrl.replaceFirst("^ws", "http");
    }

    @Override
    protected Optional<PushMessage> parse(String body) {
        return PushMessage.parse(body);
    }

    @Override
    protected String describe(PushMessage message) {
        return message.events().size() + " events";
    }

    @Override
    protected String user(PushMessage message) {
        return message.user();
    }

    @Override
    protected String lane(PushMessage message) {
        return message.user();
    }

    @Override
    protected CompletableFuture<Void> process(PushMessage message, int receive) {
        return fanout.send(message.user(), message.events()).thenAccept(outcome -> Log.info("pushed")
                .put("user", UserRef.of(message.user())).put("events", outcome.events())
                .put("delivered", outcome.delivered()).put("gone", outcome.gone()).write());
    }

    @Override
    protected CompletableFuture<Void> giveUp(PushMessage message, int receives, Throwable failure) {
        // Nothing to record: the events are lost, and the clients' sequence numbers show the gap.
        return CompletableFuture.completedFuture(null);
    }
}
