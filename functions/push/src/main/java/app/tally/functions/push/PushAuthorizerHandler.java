package app.tally.functions.push;

import app.tally.aws.AwsClients;
import app.tally.aws.Env;
import app.tally.services.push.PushTickets;
import app.tally.store.PushStore;
import app.tally.telemetry.Log;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The REQUEST authorizer of the push socket's $connect route: redeems the {@code ticket} query parameter and binds the
 * connection to the ticket's user (the policy's principal, and {@code user} in the context every route then sees).
 * A bad, expired, used or unknown ticket gets a Deny: API Gateway refuses the handshake with 403.
 */
public final class PushAuthorizerHandler implements RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponseV1> {
    private static final long MAX_WAIT_MILLIS = 5_000;

    private final PushTickets tickets;

    public PushAuthorizerHandler() {
        this(Env.system());
    }

    public PushAuthorizerHandler(Env env) {
        this(env, AwsClients.container());
    }

    public PushAuthorizerHandler(Env env, AwsClients aws) {
        // Redeeming needs no socket URL: tickets are only issued by PushTicketFunction.
        this.tickets = new PushTickets(new PushStore(aws.dynamoDb(), env.require("TABLE_NAME")), null,
                Clock.systemUTC());
    }

    @Override
    public IamPolicyResponseV1 handleRequest(APIGatewayCustomAuthorizerEvent event, Context context) {
        String ticket = event.getQueryStringParameters() == null ? null : event.getQueryStringParameters().get("ticket");
        Optional<String> user;
        try {
            user = tickets.redeem(ticket).get(MAX_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // Unauthorized rather than a 500: the client asks for a new ticket and tries again.
            Log.warn("push-ticket-unchecked").put("error", e.toString()).write();
            user = Optional.empty();
        }
        IamPolicyResponseV1.Statement statement = user.isPresent()
                ? IamPolicyResponseV1.allowStatement(event.getMethodArn())
                : IamPolicyResponseV1.denyStatement(event.getMethodArn());
        return IamPolicyResponseV1.builder()
                .withPrincipalId(user.orElse("anonymous"))
                .withPolicyDocument(IamPolicyResponseV1.PolicyDocument.builder()
                        .withVersion(IamPolicyResponseV1.VERSION_2012_10_17)
                        .withStatement(List.of(statement)).build())
                .withContext(user.<Map<String, Object>>map(u -> Map.of("user", u)).orElse(Map.of()))
                .build();
    }
}
