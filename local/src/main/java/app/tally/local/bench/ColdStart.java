package app.tally.local.bench;

import app.tally.local.runtime.LocalContext;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs in a fresh JVM whose classpath is one function artifact (plus this class and LocalContext, which use only what
 * the artifact carries): creates the handler as Lambda does and handles one event (API Gateway, SQS or a schedule's,
 * as the file holds), then prints the timings. Proves the artifact runs on its own and measures its init time.
 */
public final class ColdStart {
    private ColdStart() {
    }

    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws Exception {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        long loading = System.currentTimeMillis();
        Object handler = Class.forName(args[0]).getConstructor().newInstance();
        long constructed = System.currentTimeMillis();
        ObjectMapper json = new ObjectMapper()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .configure(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES, true);
        String status;
        JsonNode event = json.readTree(Path.of(args[1]).toFile());
        if (Bench.SCHEDULED_EVENT.equals(event.path("detail-type").asText())) {
            // A scheduled function takes the event as a map, as the Lambda runtime hands it over.
            ((RequestHandler<Map<String, Object>, Object>) handler).handleRequest(
                    json.convertValue(event, new TypeReference<Map<String, Object>>() { }),
                    new LocalContext(args[0], 1024, 60));
            status = "\"scheduled\"";
        } else if (event.has("methodArn")) {
            IamPolicyResponseV1 policy = ((RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponseV1>) handler)
                    .handleRequest(json.readValue(Path.of(args[1]).toFile(), APIGatewayCustomAuthorizerEvent.class),
                            new LocalContext(args[0], 1024, 15));
            status = "\"authorizer:" + policy.getPrincipalId() + "\"";
        } else if (event.at("/requestContext/connectionId").isTextual()) {
            APIGatewayV2WebSocketResponse response =
                    ((RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse>) handler).handleRequest(
                            json.readValue(Path.of(args[1]).toFile(), APIGatewayV2WebSocketEvent.class),
                            new LocalContext(args[0], 1024, 15));
            status = Integer.toString(response.getStatusCode());
        } else if (event.has("Records")) {
            SQSBatchResponse response = ((RequestHandler<SQSEvent, SQSBatchResponse>) handler)
                    .handleRequest(json.readValue(Path.of(args[1]).toFile(), SQSEvent.class),
                            new LocalContext(args[0], 1024, 60));
            status = "\"sqs:" + response.getBatchItemFailures().size() + " failed\"";
        } else {
            APIGatewayV2HTTPResponse response = ((RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>) handler)
                    .handleRequest(json.readValue(Path.of(args[1]).toFile(), APIGatewayV2HTTPEvent.class),
                            new LocalContext(args[0], 1024, 15));
            status = Integer.toString(response.getStatusCode());
        }
        long handled = System.currentTimeMillis();
        System.out.printf("{\"jvmToMainMs\":%d,\"initMs\":%d,\"firstEventMs\":%d,\"totalMs\":%d,\"status\":%s}%n",
                loading - jvmStart, constructed - loading, handled - constructed, handled - jvmStart, status);
    }
}
