package app.tally.local.gateway;

import static app.tally.local.gateway.LocalGateway.decode;
import static app.tally.local.gateway.LocalGateway.send;

import app.tally.json.Json;
import app.tally.local.faults.FaultPlan;
import app.tally.local.faults.FaultProxies;
import app.tally.local.faults.Latency;
import app.tally.local.rates.RatesEmulator;
import app.tally.local.runtime.LocalContext;
import app.tally.local.runtime.SdkCallCounter;
import app.tally.local.runtime.SdkFaults;
import app.tally.local.template.SamTemplate;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * The local stack's own endpoints beside the API, under {@code /_local/}, outside every template path: SDK call
 * counts, armed SDK faults, the fault proxies' plan, the rates emulator's faults, and running a scheduled function.
 */
final class LocalControl {
    /** Not an API route: the local stack's own counter of SDK calls, outside every template path. */
    public static final String SDK_CALLS_PATH = "/_local/sdk-calls";
    /** Not an API route: arms SDK call failures in this JVM for the recovery tests (see {@link SdkFaults}). */
    public static final String SDK_FAULTS_PATH = "/_local/sdk-faults";
    /** Not an API route: the fault proxies in front of the emulators (see {@link FaultProxies}). */
    public static final String FAULTS_PATH = "/_local/faults";
    /** Not an API route: each service's added round trip in the fault proxies (see {@link Latency}). */
    public static final String LATENCY_PATH = "/_local/latency";
    /** Not an API route: the rates emulator's per-source faults and request counts (see {@link RatesEmulator}). */
    public static final String RATES_PATH = "/_local/rates";
    /** Not an API route: runs a scheduled function now, as its EventBridge schedule would. */
    public static final String SCHEDULE_PATH = "/_local/schedule";

    private final SamTemplate template;
    private final Function<SamTemplate.FunctionDef, Object> handlers;

    LocalControl(SamTemplate template, Function<SamTemplate.FunctionDef, Object> handlers) {
        this.template = template;
        this.handlers = handlers;
    }

    /** Serves {@code path} when it is a control endpoint; false when it is not one. */
    boolean serve(HttpExchange exchange, String method, String path) throws IOException {
        switch (path) {
            case SDK_CALLS_PATH -> serveSdkCalls(exchange, method);
            case SDK_FAULTS_PATH -> serveSdkFaults(exchange, method);
            case FAULTS_PATH -> serveFaults(exchange, method);
            case LATENCY_PATH -> serveLatency(exchange, method);
            case RATES_PATH -> serveRates(exchange, method);
            case SCHEDULE_PATH -> serveSchedule(exchange, method);
            default -> {
                return false;
            }
        }
        return true;
    }

    /** Local-only: the SDK calls the handlers made (GET), or a reset (DELETE); used by the benchmarks. */
    private static void serveSdkCalls(HttpExchange exchange, String method) throws IOException {
        if (method.equals("DELETE")) {
            SdkCallCounter.reset();
        }
        sendCounts(exchange, SdkCallCounter.snapshot());
    }

    /** A JSON object of names (SDK operations, plain text) to counts. */
    private static void sendCounts(HttpExchange exchange, Map<String, ? extends Number> counts) throws IOException {
        StringBuilder json = new StringBuilder("{");
        counts.forEach((name, count) ->
                json.append(json.length() > 1 ? "," : "").append('"').append(name).append("\":").append(count));
        send(exchange, 200, Map.of("Content-Type", "application/json"), json.append('}').toString());
    }

    /**
     * Local-only: POST {@code ?service=S3&operation=UploadPart&keyPrefix=exports/..&count=2} arms a fault (with
     * {@code &answerLost=true} the call succeeds and its answer is lost), DELETE clears all; every method answers the
     * faults still armed.
     */
    private static void serveSdkFaults(HttpExchange exchange, String method) throws IOException {
        if (method.equals("POST")) {
            Map<String, String> query = localQuery(exchange);
            try {
                if (query.get("service") == null || query.get("operation") == null) {
                    throw new NumberFormatException("service and operation are required");
                }
                int count = Integer.parseInt(query.getOrDefault("count", "1"));
                if ("true".equals(query.get("answerLost"))) {
                    SdkFaults.armLostAnswer(query.get("service"), query.get("operation"),
                            query.getOrDefault("keyPrefix", ""), count);
                } else {
                    SdkFaults.arm(query.get("service"), query.get("operation"), query.getOrDefault("keyPrefix", ""),
                            count);
                }
            } catch (NumberFormatException e) {
                send(exchange, 400, Map.of("Content-Type", "application/json"),
                        "{\"message\":\"service, operation and a whole count are required\"}");
                return;
            }
        } else if (method.equals("DELETE")) {
            SdkFaults.clear();
        }
        sendCounts(exchange, SdkFaults.remaining());
    }

    /**
     * Local-only: POST {@code ?rate=0.1&faults=throttle,drop-after&slowMillis=2000&operations=..&seed=..} sets the
     * fault proxies' plan (see {@link FaultPlan#parse}) and restarts their counts, DELETE turns faults off and keeps the
     * counts; every method answers the plan and the counts.
     */
    private static void serveFaults(HttpExchange exchange, String method) throws IOException {
        if (method.equals("POST")) {
            if (!FaultProxies.running()) {
                send(exchange, 409, Map.of("Content-Type", "application/json"),
                        "{\"message\":\"this stack runs without fault proxies (start it with TALLY_FAULT_PROXY=1)\"}");
                return;
            }
            try {
                FaultProxies.plan(FaultPlan.parse(localQuery(exchange)));
            } catch (IllegalArgumentException e) {
                send(exchange, 400, Map.of("Content-Type", "application/json"),
                        Json.write(Json.object().put("message", e.getMessage())));
                return;
            }
        } else if (method.equals("DELETE")) {
            FaultProxies.off();
        }
        send(exchange, 200, Map.of("Content-Type", "application/json"), Json.write(FaultProxies.status()));
    }

    /**
     * Local-only: POST {@code ?latency=aws} (or {@code dynamodb=4~2,sqs=10,s3=10}, see {@link Latency#parse}) sets what
     * the fault proxies add to each answer, DELETE removes it; every method answers the setting.
     */
    private static void serveLatency(HttpExchange exchange, String method) throws IOException {
        if (method.equals("POST") || method.equals("DELETE")) {
            if (!FaultProxies.running()) {
                send(exchange, 409, Map.of("Content-Type", "application/json"),
                        "{\"message\":\"this stack runs without fault proxies (start it with TALLY_FAULT_PROXY=1)\"}");
                return;
            }
            try {
                Latency.set(method.equals("DELETE") ? Latency.NONE : Latency.parse(localQuery(exchange).get("latency")));
            } catch (IllegalArgumentException e) {
                send(exchange, 400, Map.of("Content-Type", "application/json"),
                        Json.write(Json.object().put("message", e.getMessage())));
                return;
            }
        }
        send(exchange, 200, Map.of("Content-Type", "application/json"),
                Json.write(Json.object().put("latency", Latency.current().describe())));
    }

    /**
     * Local-only: POST {@code ?source=ecb&fault=hang&delayMillis=200} sets one source's fault (none, hang, 500, 429,
     * malformed, wrong-date, disagree) and restarts the request counts; DELETE makes every source healthy and zeroes
     * the counts; every method answers each source's fault and requests.
     */
    private static void serveRates(HttpExchange exchange, String method) throws IOException {
        RatesEmulator rates = RatesEmulator.running();
        if (rates == null) {
            send(exchange, 409, Map.of("Content-Type", "application/json"), "{\"message\":\"no rates emulator runs\"}");
            return;
        }
        if (method.equals("POST")) {
            Map<String, String> query = localQuery(exchange);
            try {
                rates.plan(String.valueOf(query.get("source")), new RatesEmulator.SourceFault(
                        query.getOrDefault("fault", "none"), Long.parseLong(query.getOrDefault("delayMillis", "0"))));
            } catch (IllegalArgumentException e) {
                send(exchange, 400, Map.of("Content-Type", "application/json"),
                        Json.write(Json.object().put("message", e.getMessage())));
                return;
            }
        } else if (method.equals("DELETE")) {
            rates.reset();
        }
        send(exchange, 200, Map.of("Content-Type", "application/json"), Json.write(rates.status()));
    }

    /** Local-only: POST {@code ?function=RatesPrefetchFunction} invokes it with a scheduled event and answers its result. */
    @SuppressWarnings("unchecked")
    private void serveSchedule(HttpExchange exchange, String method) throws IOException {
        String name = localQuery(exchange).get("function");
        if (!method.equals("POST") || !template.scheduledFunctions().contains(name)) {
            send(exchange, 400, Map.of("Content-Type", "application/json"), Json.write(Json.object().put("message",
                    "POST ?function=<one of " + template.scheduledFunctions() + ">")));
            return;
        }
        SamTemplate.FunctionDef function = template.functions().stream().filter(f -> f.logicalId().equals(name))
                .findFirst().orElseThrow();
        Map<String, Object> event = Map.of("version", "0", "id", UUID.randomUUID().toString(),
                "detail-type", "Scheduled Event", "source", "aws.events", "time", Instant.now().toString(),
                "region", "us-east-1", "detail", Map.of());
        try {
            Object result = ((RequestHandler<Map<String, Object>, Object>) handlers.apply(function)).handleRequest(event,
                    new LocalContext(name, function.memoryMb(), function.timeoutSeconds()));
            send(exchange, 200, Map.of("Content-Type", "application/json"), Json.MAPPER.writeValueAsString(result));
        } catch (RuntimeException e) {
            // Lambda reports a function error; the schedule's retries and the errors alarm take it from there.
            send(exchange, 502, Map.of("Content-Type", "application/json"), Json.write(Json.object()
                    .put("errorType", e.getClass().getName()).put("errorMessage", String.valueOf(e.getMessage()))));
        }
    }

    private static Map<String, String> localQuery(HttpExchange exchange) {
        Map<String, String> query = new LinkedHashMap<>();
        String raw = Optional.ofNullable(exchange.getRequestURI().getRawQuery()).orElse("");
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                query.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
            }
        }
        return query;
    }
}
