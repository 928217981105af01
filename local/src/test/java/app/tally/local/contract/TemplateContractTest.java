package app.tally.local.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import app.tally.aws.AwsClients;
import app.tally.aws.Env;
import app.tally.http.ApiHandler;
import app.tally.local.LocalEndpoints;
import app.tally.local.LocalStack;
import app.tally.local.bench.Bench;
import app.tally.local.bench.ColdStart;
import app.tally.local.template.FunctionArtifact;
import app.tally.local.template.LocalNames;
import app.tally.local.template.SamTemplate;
import app.tally.local.template.SamTemplate.FunctionDef;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * template.yaml is the map of the system: these checks fail when it and the code disagree. A handler that does not
 * exist or takes the wrong event, a route nobody serves, a variable the code reads but the template does not set,
 * or a table/queue/bucket a function uses without being granted it.
 */
class TemplateContractTest {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    /** Reads sample events as ColdStart does. */
    private static final com.fasterxml.jackson.databind.ObjectMapper EVENTS = new com.fasterxml.jackson.databind.ObjectMapper()
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final Path ROOT = LocalStack.root();
    private static final SamTemplate TEMPLATE = SamTemplate.load(ROOT.resolve("template.yaml"));
    private static final LocalNames NAMES = new LocalNames(TEMPLATE, new LocalEndpoints(URI.create("http://127.0.0.1:1"),
            URI.create("http://127.0.0.1:2"), URI.create("http://127.0.0.1:3")), Map.of("CursorSecret", "x".repeat(40)));
    /** The resource a Fn::Sub text starts from: X in ${X} or ${X.Arn}. */
    private static final Pattern SUB_RESOURCE = Pattern.compile("\\$\\{([A-Za-z0-9]+)[.}]");
    /** The artifact budget: the build removes the SDK classes a function cannot load (scripts/TrimLambdaJar.java). */
    private static final long MAX_ARTIFACT_BYTES = 15_000_000L;
    /** Policy templates by the property naming what they grant. */
    private static final Map<String, String> GRANT_PROPERTIES = Map.of(
            "TableName", "AWS::DynamoDB::Table", "QueueName", "AWS::SQS::Queue", "BucketName", "AWS::S3::Bucket");

    @Test
    void everyHandlerExistsAndTakesTheEventOfItsTrigger() throws Exception {
        assertFalse(TEMPLATE.functions().isEmpty());
        for (FunctionDef function : TEMPLATE.functions()) {
            Class<?> handler = Class.forName(function.handlerClass());
            assertEquals("handleRequest", function.handlerMethod(), function.logicalId());
            Type[] types = requestHandlerTypes(handler);
            assertNotNull(types, function.logicalId() + " does not implement RequestHandler");
            if (!function.httpRoutes().isEmpty()) {
                assertEquals(List.of(APIGatewayV2HTTPEvent.class, APIGatewayV2HTTPResponse.class), List.of(types),
                        function.logicalId());
            }
            if (!function.sqsTriggers().isEmpty()) {
                assertEquals(List.of(SQSEvent.class, SQSBatchResponse.class), List.of(types), function.logicalId());
            }
            handler.getConstructor();
        }
    }

    @Test
    void everySdkCallAndEveryHttpAnswerEndsBeforeItsFunctionTimesOut() {
        AwsClients.CALL_TIMEOUTS.forEach((service, timeouts) -> assertTrue(
                timeouts.attempt().compareTo(timeouts.call()) < 0, service + ": an attempt outlasts its call"));
        Duration longestCall = AwsClients.CALL_TIMEOUTS.values().stream().map(AwsClients.CallTimeouts::call)
                .max(Duration::compareTo).orElseThrow();
        for (FunctionDef function : TEMPLATE.functions()) {
            Duration timeout = Duration.ofSeconds(function.timeoutSeconds());
            assertTrue(longestCall.compareTo(timeout) < 0, function.logicalId() + ": an SDK call may take "
                    + longestCall + ", longer than the function's Timeout " + timeout);
            if (!function.httpRoutes().isEmpty()) {
                assertTrue(Duration.ofMillis(ApiHandler.MAX_WAIT_MILLIS).compareTo(timeout) < 0,
                        function.logicalId() + ": the HTTP boundary waits longer than the function's Timeout");
            }
        }
    }

    @Test
    void everyRouteIsServedByItsFunctionsHandler() throws IOException {
        Set<String> routeKeys = new HashSet<>();
        for (SamTemplate.HttpRoute route : TEMPLATE.httpRoutes()) {
            String routeKey = route.method() + " " + route.path();
            assertTrue(routeKeys.add(routeKey), "route declared twice: " + routeKey);
            FunctionDef function = function(route.functionLogicalId());
            // A function with one route needs no dispatch; one with several must name each route it serves.
            if (function.httpRoutes().size() > 1) {
                String source = Files.readString(sourceOf(function));
                assertTrue(source.contains("\"" + routeKey + "\""), function.handlerClass() + " does not dispatch " + routeKey);
            }
        }
        assertTrue(routeKeys.contains("GET /me"));
    }

    @Test
    void everyVariableAHandlerReadsIsSetByTheTemplate() throws Exception {
        for (FunctionDef function : TEMPLATE.functions()) {
            Env env = Env.of(NAMES.functionEnvironment(function.logicalId()));
            try {
                Class.forName(function.handlerClass()).getConstructor(Env.class).newInstance(env);
            } catch (java.lang.reflect.InvocationTargetException e) {
                fail(function.logicalId() + ": " + e.getCause().getMessage());
            }
        }
    }

    @Test
    void everyResourceAFunctionUsesIsDeclaredAndGrantedToIt() {
        for (FunctionDef function : TEMPLATE.functions()) {
            Set<String> granted = grantedResources(function);
            function.environment().forEach((name, raw) -> {
                String resource = referencedResource(raw);
                if (resource == null || TEMPLATE.parameters().containsKey(resource)) {
                    return;
                }
                SamTemplate.ResourceDef declared = TEMPLATE.resources().get(resource);
                assertNotNull(declared, function.logicalId() + "." + name + " names undeclared " + resource);
                assertTrue(granted.contains(resource), function.logicalId() + " uses " + resource + " (" + name
                        + ") without a policy granting it");
            });
            function.sqsTriggers().forEach(trigger -> assertEquals("AWS::SQS::Queue",
                    TEMPLATE.resources().get(trigger.queueLogicalId()).type(), function.logicalId()));
        }
    }

    @Test
    void noPolicyGrantsEverything() {
        for (FunctionDef function : TEMPLATE.functions()) {
            assertFalse(String.valueOf(function.policies()).contains("Resource=*"), function.logicalId());
            assertFalse(String.valueOf(function.policies()).contains("Action=*"), function.logicalId());
            for (Object policy : function.policies()) {
                assertTrue(policy instanceof Map, function.logicalId() + " uses a managed policy: " + policy);
            }
        }
    }

    /** Run after `mvn package`: each function's artifact is self-contained, of one CRT platform and no other HTTP client. */
    @Test
    void everyArtifactIsSelfContainedSmallAndCarriesOneNativePlatform() throws IOException {
        for (FunctionDef function : TEMPLATE.functions()) {
            Path jar = FunctionArtifact.jar(ROOT, function);
            assertTrue(Files.exists(jar), jar + " is not built");
            assertTrue(Files.size(jar) <= MAX_ARTIFACT_BYTES, jar + " is " + Files.size(jar) + " bytes");
            assertEquals(List.of("x86_64"), function.architectures());
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                List<String> natives = new ArrayList<>();
                zip.stream().map(e -> e.getName()).forEach(name -> {
                    if (name.endsWith(".so") || name.endsWith(".dylib") || name.endsWith(".dll")) {
                        natives.add(name);
                    }
                    assertFalse(name.startsWith("org/apache/http") || name.startsWith("org/apache/hc")
                            || name.startsWith("io/netty"), jar + " carries " + name);
                });
                assertEquals(List.of("linux/x86_64/glibc/libaws-crt-jni.so"), natives, jar.toString());
                assertNotNull(zip.getEntry(function.handlerClass().replace('.', '/') + ".class"), jar.toString());
            }
        }
    }

    /**
     * Each HTTP function's artifact, alone on the classpath of a fresh JVM (with the small ColdStart launcher, which
     * uses only what the artifact carries), builds its handler and answers an unauthenticated event with a 401.
     */
    @Test
    void everyArtifactRunsOnItsOwn() throws Exception {
        Path launcher = ROOT.resolve("local/target/classes");
        for (FunctionDef function : TEMPLATE.functions()) {
            if (function.httpRoutes().isEmpty()) {
                continue;
            }
            com.fasterxml.jackson.databind.node.ObjectNode event = (com.fasterxml.jackson.databind.node.ObjectNode)
                    JSON.readTree(Bench.eventFor(ROOT, function).toFile());
            ((com.fasterxml.jackson.databind.node.ObjectNode) event.get("requestContext")).remove("authorizer");
            Path file = Files.createTempFile("event", ".json");
            Files.writeString(file, event.toString());
            ProcessBuilder run = new ProcessBuilder("java", "-XX:TieredStopAtLevel=1", "-cp",
                    FunctionArtifact.jar(ROOT, function) + ":" + launcher, ColdStart.class.getName(), function.handlerClass(),
                    file.toString()).redirectErrorStream(true);
            run.environment().putAll(NAMES.functionEnvironment(function.logicalId()));
            run.environment().putAll(Map.of("AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "test",
                    "AWS_SECRET_ACCESS_KEY", "test", "AWS_ENDPOINT_URL", "http://127.0.0.1:9"));
            Process process = run.start();
            String output = new String(process.getInputStream().readAllBytes());
            assertEquals(0, process.waitFor(), function.logicalId() + ": " + output);
            assertTrue(output.contains("\"status\":401"), function.logicalId() + ": " + output);
            Files.delete(file);
        }
    }

    /** A queue that another queue's RedrivePolicy names as its dead-letter target. */
    private static Set<String> deadLetterQueues() {
        Set<String> queues = new java.util.TreeSet<>();
        TEMPLATE.resources().values().stream().filter(r -> r.type().equals("AWS::SQS::Queue")).forEach(queue -> {
            if (queue.properties().get("RedrivePolicy") instanceof Map<?, ?> redrive) {
                queues.add(referencedResource(redrive.get("deadLetterTargetArn")));
            }
        });
        return queues;
    }

    /** The alarms of the template that notify an SNS topic of the template with an e-mail subscription. */
    private static List<SamTemplate.ResourceDef> notifyingAlarms() {
        Set<String> topics = new HashSet<>();
        TEMPLATE.resources().values().stream().filter(r -> r.type().equals("AWS::SNS::Subscription"))
                .filter(s -> "email".equals(s.properties().get("Protocol"))
                        && TEMPLATE.parameters().containsKey(referencedResource(s.properties().get("Endpoint"))))
                .forEach(s -> topics.add(referencedResource(s.properties().get("TopicArn"))));
        assertFalse(topics.isEmpty(), "no SNS topic with an e-mail subscription from a parameter");
        topics.forEach(topic -> assertEquals("AWS::SNS::Topic", TEMPLATE.resources().get(topic).type(), topic));
        return TEMPLATE.resources().values().stream().filter(r -> r.type().equals("AWS::CloudWatch::Alarm"))
                .filter(alarm -> alarm.properties().get("AlarmActions") instanceof List<?> actions
                        && actions.stream().map(TemplateContractTest::referencedResource).anyMatch(topics::contains))
                .toList();
    }

    /** Whether an alarm fires on any datapoint above zero of the metric, for the dimension naming the resource. */
    private static boolean alarmsOnAnyOf(SamTemplate.ResourceDef alarm, String namespace, String metric, String dimension,
                                         String resource) {
        Map<String, Object> p = alarm.properties();
        return namespace.equals(p.get("Namespace")) && metric.equals(p.get("MetricName"))
                && "GreaterThanThreshold".equals(p.get("ComparisonOperator"))
                && p.get("Threshold") instanceof Number threshold && threshold.doubleValue() == 0
                && p.get("Dimensions") instanceof List<?> dimensions && dimensions.size() == 1
                && dimensions.get(0) instanceof Map<?, ?> only && dimension.equals(only.get("Name"))
                && resource.equals(referencedResource(only.get("Value")));
    }

    @Test
    void everyDeadLetterQueueHasAnAlarmOnVisibleMessagesThatNotifiesTheTopic() {
        List<SamTemplate.ResourceDef> alarms = notifyingAlarms();
        Set<String> queues = deadLetterQueues();
        assertEquals(Set.of("ExportDeadLetterQueue", "ImportDeadLetterQueue", "ImportChunkDeadLetterQueue",
                "PushDeadLetterQueue"), queues);
        for (String queue : queues) {
            assertTrue(alarms.stream().anyMatch(alarm -> alarmsOnAnyOf(alarm, "AWS/SQS",
                    "ApproximateNumberOfMessagesVisible", "QueueName", queue)), queue + " has no alarm");
        }
    }

    @Test
    void everyFunctionHasErrorsAndThrottlesAlarmsThatNotifyTheTopic() {
        List<SamTemplate.ResourceDef> alarms = notifyingAlarms();
        for (FunctionDef function : TEMPLATE.functions()) {
            for (String metric : List.of("Errors", "Throttles")) {
                assertTrue(alarms.stream().anyMatch(alarm -> alarmsOnAnyOf(alarm, "AWS/Lambda", metric, "FunctionName",
                        function.logicalId())), function.logicalId() + " has no " + metric + " alarm");
            }
        }
    }

    /** A function logs to a log group of the template (LoggingConfig) that keeps its lines a bounded time. */
    @Test
    void everyFunctionLogsToItsOwnLogGroupWithRetention() {
        Set<String> groups = new HashSet<>();
        for (FunctionDef function : TEMPLATE.functions()) {
            Object config = TEMPLATE.resources().get(function.logicalId()).properties().get("LoggingConfig");
            String group = config instanceof Map<?, ?> logging ? referencedResource(logging.get("LogGroup")) : null;
            assertNotNull(group, function.logicalId() + " has no LoggingConfig.LogGroup: !Ref <a log group>");
            SamTemplate.ResourceDef resource = TEMPLATE.resources().get(group);
            assertNotNull(resource, function.logicalId() + " names undeclared " + group);
            assertEquals("AWS::Logs::LogGroup", resource.type(), group);
            Object retention = resource.properties().get("RetentionInDays");
            assertTrue(retention instanceof Number || referencedResource(retention) != null,
                    group + " keeps its logs forever (no RetentionInDays)");
            assertTrue(groups.add(group), group + " is shared by two functions");
        }
    }

    /**
     * Defence in depth behind the JWT authorizer: every route's handler, given its sample event without verified claims
     * or with a subject that cannot be a user, answers 401 problem+json before it reads or writes anything (the
     * handlers here point at no reachable AWS endpoint).
     */
    @Test
    void everyRouteRefusesAnEventWithoutAVerifiedSubject() throws Exception {
        Map<String, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> handlers = new HashMap<>();
        Map<String, java.util.function.Consumer<com.fasterxml.jackson.databind.node.ObjectNode>> unauthenticated =
                new java.util.LinkedHashMap<>();
        unauthenticated.put("no authorizer", e -> ((com.fasterxml.jackson.databind.node.ObjectNode)
                e.get("requestContext")).remove("authorizer"));
        unauthenticated.put("no jwt", e -> authorizer(e).remove("jwt"));
        unauthenticated.put("no claims", e -> jwt(e).remove("claims"));
        unauthenticated.put("empty claims", e -> jwt(e).putObject("claims"));
        unauthenticated.put("claims without sub", e -> jwt(e).putObject("claims").put("email", "li.wei@example.com"));
        unauthenticated.put("blank sub", e -> jwt(e).putObject("claims").put("sub", ""));
        unauthenticated.put("sub with a key separator", e -> jwt(e).putObject("claims").put("sub", "victim#M#2026-11"));
        unauthenticated.put("sub too long", e -> jwt(e).putObject("claims").put("sub", "a".repeat(129)));
        int checked = 0;
        for (SamTemplate.HttpRoute route : TEMPLATE.httpRoutes()) {
            FunctionDef function = function(route.functionLogicalId());
            RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler = handlers.computeIfAbsent(
                    function.logicalId(), id -> newHandler(function));
            Path sample = Bench.eventFor(ROOT, route.method() + " " + route.path());
            for (var variant : unauthenticated.entrySet()) {
                var event = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(sample.toFile());
                variant.getValue().accept(event);
                APIGatewayV2HTTPResponse response = handler.handleRequest(
                        EVENTS.treeToValue(event, APIGatewayV2HTTPEvent.class), null);
                String what = route.method() + " " + route.path() + ", " + variant.getKey();
                assertEquals(401, response.getStatusCode(), what + ": " + response.getBody());
                assertEquals("application/problem+json", response.getHeaders().get("Content-Type"), what);
                assertEquals(401, JSON.readTree(response.getBody()).path("status").intValue(), what);
                checked++;
            }
        }
        assertEquals(TEMPLATE.httpRoutes().size() * unauthenticated.size(), checked);
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode authorizer(JsonNode event) {
        return (com.fasterxml.jackson.databind.node.ObjectNode) event.get("requestContext").get("authorizer");
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode jwt(JsonNode event) {
        return (com.fasterxml.jackson.databind.node.ObjectNode) authorizer(event).get("jwt");
    }

    @SuppressWarnings("unchecked")
    private static RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> newHandler(FunctionDef function) {
        try {
            return (RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>) Class.forName(
                    function.handlerClass()).getConstructor(Env.class).newInstance(
                    Env.of(NAMES.functionEnvironment(function.logicalId())));
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(function.logicalId() + " cannot be built", e);
        }
    }

    private static FunctionDef function(String logicalId) {
        return TEMPLATE.functions().stream().filter(f -> f.logicalId().equals(logicalId)).findFirst().orElseThrow();
    }

    private static Path sourceOf(FunctionDef function) throws IOException {
        String file = function.handlerClass().replace('.', '/') + ".java";
        try (Stream<Path> modules = Files.list(ROOT.resolve("functions"))) {
            return modules.map(m -> m.resolve("src/main/java").resolve(file)).filter(Files::exists).findFirst()
                    .orElseThrow(() -> new AssertionError("no source for " + function.handlerClass()));
        }
    }

    private static Type[] requestHandlerTypes(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Type candidate : c.getGenericInterfaces()) {
                if (candidate instanceof ParameterizedType parameterized
                        && parameterized.getRawType().equals(RequestHandler.class)) {
                    return parameterized.getActualTypeArguments();
                }
            }
        }
        return null;
    }

    /** The logical id behind {@code !Ref X} or {@code !GetAtt X.Attr}, or null for a literal. */
    private static String referencedResource(Object raw) {
        if (raw instanceof Map<?, ?> map) {
            if (map.get("Ref") instanceof String ref) {
                return ref;
            }
            if (map.get("Fn::GetAtt") instanceof List<?> getAtt && !getAtt.isEmpty()) {
                return String.valueOf(getAtt.get(0));
            }
        }
        return null;
    }

    private static Set<String> grantedResources(FunctionDef function) {
        Set<String> granted = new HashSet<>();
        for (Object policy : function.policies()) {
            if (!(policy instanceof Map<?, ?> template)) {
                continue;
            }
            // An explicit statement grants what its Resource names: !GetAtt X.Arn, or !Sub '${X.Arn}/...'.
            if (template.get("Statement") instanceof List<?> statements) {
                for (Object statement : statements) {
                    Object resources = ((Map<?, ?>) statement).get("Resource");
                    for (Object resource : resources instanceof List<?> list ? list : List.of(resources)) {
                        String id = referencedResource(resource);
                        if (id == null && resource instanceof Map<?, ?> sub && sub.get("Fn::Sub") instanceof String text) {
                            Matcher variable = SUB_RESOURCE.matcher(text);
                            id = variable.find() ? variable.group(1) : null;
                        }
                        if (id != null && TEMPLATE.resources().containsKey(id)) {
                            granted.add(id);
                        }
                    }
                }
                continue;
            }
            template.values().forEach(properties -> {
                if (properties instanceof Map<?, ?> props) {
                    props.forEach((property, value) -> {
                        String resource = referencedResource(value);
                        if (resource != null && GRANT_PROPERTIES.containsKey(String.valueOf(property))
                                && TEMPLATE.resources().containsKey(resource)
                                && GRANT_PROPERTIES.get(String.valueOf(property)).equals(TEMPLATE.resources().get(resource).type())) {
                            granted.add(resource);
                        }
                    });
                }
            });
        }
        return granted;
    }
}
