package app.tally.local.bench;

import app.tally.local.runtime.LocalContext;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;

/**
 * Runs in a fresh JVM whose classpath is one function artifact (plus this class and LocalContext, which use only what
 * the artifact carries): creates the handler as Lambda does and handles one event, then prints the timings. Proves
 * the artifact runs on its own and measures its init time.
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
        APIGatewayV2HTTPEvent event = new ObjectMapper()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .readValue(Path.of(args[1]).toFile(), APIGatewayV2HTTPEvent.class);
        APIGatewayV2HTTPResponse response = ((RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>) handler)
                .handleRequest(event, new LocalContext(args[0], 1024, 15));
        long handled = System.currentTimeMillis();
        System.out.printf("{\"jvmToMainMs\":%d,\"initMs\":%d,\"firstEventMs\":%d,\"totalMs\":%d,\"status\":%d}%n",
                loading - jvmStart, constructed - loading, handled - constructed, handled - jvmStart,
                response.getStatusCode());
    }
}
