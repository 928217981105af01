package app.tally.local.template;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A read-only view of a SAM template. The local stack derives everything it runs (functions, routes, queues,
 * tables, buckets) from here, so that template.yaml stays the single source of truth.
 */
public final class SamTemplate {

    /**
     * @param codeUri  what SAM CLI builds: the function's source folder, relative to the template
     * @param metadata the resource's Metadata (sam build reads BuildMethod and SkipBuild from it)
     */
    public record FunctionDef(String logicalId, String handlerClass, String handlerMethod, String codeUri,
                              Map<String, Object> metadata, int timeoutSeconds, int memoryMb,
                              List<String> architectures, Map<String, Object> environment, List<Object> policies,
                              List<HttpRoute> httpRoutes, List<SqsTrigger> sqsTriggers) {
    }

    public record HttpRoute(String method, String path, String functionLogicalId, String eventName) {
    }

    /**
     * @param maximumConcurrency ScalingConfig.MaximumConcurrency: how many invocations may run at once; without it
     *                           Lambda scales far higher, the local poller runs {@link #LOCAL_DEFAULT_CONCURRENCY}
     */
    public record SqsTrigger(String functionLogicalId, String queueLogicalId, int batchSize,
                             boolean reportBatchItemFailures, int maximumBatchingWindowSeconds,
                             int maximumConcurrency) {
        /** Also the smallest MaximumConcurrency Lambda accepts. */
        public static final int LOCAL_DEFAULT_CONCURRENCY = 2;
    }

    public record ResourceDef(String logicalId, String type, Map<String, Object> properties,
                              Map<String, Object> metadata) {
    }

    // Lambda's own defaults, used when neither the function nor Globals sets a value.
    private static final int LAMBDA_DEFAULT_TIMEOUT = 3;
    private static final int LAMBDA_DEFAULT_MEMORY = 128;
    private static final List<String> LAMBDA_DEFAULT_ARCHITECTURES = List.of("x86_64");

    private final Map<String, Object> root;

    private SamTemplate(Map<String, Object> root) {
        this.root = root;
    }

    public static SamTemplate load(Path file) {
        Yaml yaml = new Yaml(new CloudFormationConstructor());
        try (Reader reader = Files.newBufferedReader(file)) {
            Object document = yaml.load(reader);
            if (!(document instanceof Map)) {
                throw new IllegalArgumentException(file + " is not a YAML mapping");
            }
            return new SamTemplate(asMap(document));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file, e);
        }
    }

    public Map<String, Object> parameters() {
        return section("Parameters");
    }

    public Map<String, Object> conditions() {
        return section("Conditions");
    }

    public Map<String, Object> rules() {
        return section("Rules");
    }

    public Map<String, ResourceDef> resources() {
        Map<String, ResourceDef> resources = new LinkedHashMap<>();
        section("Resources").forEach((logicalId, raw) -> {
            Map<String, Object> resource = asMap(raw);
            resources.put(logicalId, new ResourceDef(logicalId, (String) resource.get("Type"),
                    asMap(resource.getOrDefault("Properties", Map.of())),
                    asMap(resource.getOrDefault("Metadata", Map.of()))));
        });
        return Collections.unmodifiableMap(resources);
    }

    public List<FunctionDef> functions() {
        Map<String, Object> globals = asMap(asMap(section("Globals")).getOrDefault("Function", Map.of()));
        List<FunctionDef> functions = new ArrayList<>();
        for (ResourceDef resource : resources().values()) {
            if ("AWS::Serverless::Function".equals(resource.type())) {
                functions.add(function(resource, globals));
            }
        }
        return List.copyOf(functions);
    }

    /** Functions with an EventBridge schedule (SAM's Schedule or ScheduleV2 event), by logical id. */
    public List<String> scheduledFunctions() {
        return functions().stream().map(FunctionDef::logicalId).filter(id -> {
            Object events = resources().get(id).properties().get("Events");
            return events instanceof Map<?, ?> map && map.values().stream().anyMatch(event -> event instanceof Map<?, ?> e
                    && ("Schedule".equals(e.get("Type")) || "ScheduleV2".equals(e.get("Type"))));
        }).toList();
    }

    public List<HttpRoute> httpRoutes() {
        return functions().stream().flatMap(f -> f.httpRoutes().stream()).toList();
    }

    private static FunctionDef function(ResourceDef resource, Map<String, Object> globals) {
        Map<String, Object> props = resource.properties();
        String id = resource.logicalId();
        String handler = (String) props.get("Handler");
        if (handler == null) {
            throw new IllegalArgumentException(id + " has no Handler");
        }
        // Java handlers are "class::method"; the method defaults to handleRequest like the Lambda runtime does.
        int separator = handler.indexOf("::");
        String handlerClass = separator < 0 ? handler : handler.substring(0, separator);
        String handlerMethod = separator < 0 ? "handleRequest" : handler.substring(separator + 2);

        Map<String, Object> environment = new LinkedHashMap<>(environmentVariables(globals));
        environment.putAll(environmentVariables(props));

        List<HttpRoute> routes = new ArrayList<>();
        List<SqsTrigger> triggers = new ArrayList<>();
        asMap(props.getOrDefault("Events", Map.of())).forEach((eventName, rawEvent) -> {
            Map<String, Object> event = asMap(rawEvent);
            Map<String, Object> eventProps = asMap(event.getOrDefault("Properties", Map.of()));
            switch (String.valueOf(event.get("Type"))) {
                // SAM's HttpApi event without Method/Path is the catch-all $default route.
                case "HttpApi" -> routes.add(new HttpRoute(
                        String.valueOf(eventProps.getOrDefault("Method", "ANY")).toUpperCase(),
                        String.valueOf(eventProps.getOrDefault("Path", "$default")), id, eventName));
                case "SQS" -> triggers.add(sqsTrigger(id, eventName, eventProps));
                default -> {
                }
            }
        });

        return new FunctionDef(id, handlerClass, handlerMethod, (String) props.get("CodeUri"), resource.metadata(),
                intValue(props, globals, "Timeout", LAMBDA_DEFAULT_TIMEOUT),
                intValue(props, globals, "MemorySize", LAMBDA_DEFAULT_MEMORY),
                stringList(props.getOrDefault("Architectures",
                        globals.getOrDefault("Architectures", LAMBDA_DEFAULT_ARCHITECTURES))),
                Collections.unmodifiableMap(environment),
                List.copyOf(asList(props.getOrDefault("Policies", List.of()))),
                List.copyOf(routes), List.copyOf(triggers));
    }

    private static SqsTrigger sqsTrigger(String functionId, String eventName, Map<String, Object> props) {
        // Only queues of this template can be polled locally, so the event must name one with !GetAtt Q.Arn.
        Object queue = props.get("Queue");
        if (!(queue instanceof Map<?, ?> intrinsic) || !(intrinsic.get("Fn::GetAtt") instanceof List<?> getAtt)
                || getAtt.size() != 2 || !"Arn".equals(getAtt.get(1))) {
            throw new IllegalArgumentException(functionId + "." + eventName
                    + ": Queue must be !GetAtt <QueueLogicalId>.Arn, got " + queue);
        }
        List<?> responseTypes = asList(props.getOrDefault("FunctionResponseTypes", List.of()));
        return new SqsTrigger(functionId, String.valueOf(getAtt.get(0)),
                ((Number) props.getOrDefault("BatchSize", 10)).intValue(),
                responseTypes.contains("ReportBatchItemFailures"),
                ((Number) props.getOrDefault("MaximumBatchingWindowInSeconds", 0)).intValue(),
                ((Number) asMap(props.getOrDefault("ScalingConfig", Map.of()))
                        .getOrDefault("MaximumConcurrency", SqsTrigger.LOCAL_DEFAULT_CONCURRENCY)).intValue());
    }

    private static Map<String, Object> environmentVariables(Map<String, Object> props) {
        Map<String, Object> environment = asMap(props.getOrDefault("Environment", Map.of()));
        return asMap(environment.getOrDefault("Variables", Map.of()));
    }

    private static int intValue(Map<String, Object> props, Map<String, Object> globals, String key, int fallback) {
        Object value = props.getOrDefault(key, globals.get(key));
        return value == null ? fallback : ((Number) value).intValue();
    }

    private Map<String, Object> section(String name) {
        return Collections.unmodifiableMap(asMap(root.getOrDefault(name, Map.of())));
    }

    private static List<String> stringList(Object value) {
        return asList(value).stream().map(String::valueOf).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        if (value instanceof Map) {
            return (Map<String, Object>) value;
        }
        throw new IllegalArgumentException("expected a mapping, got " + value);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> asList(Object value) {
        // CloudFormation accepts a single value wherever a list of one is meant (e.g. Policies: AWSLambdaRole).
        return value instanceof List ? (List<Object>) value : List.of(value);
    }

    /** Turns CloudFormation's short-form tags (!Ref, !GetAtt, !Sub, ...) into their long forms. */
    private static final class CloudFormationConstructor extends SafeConstructor {

        private static final List<String> FUNCTIONS = List.of("Sub", "If", "Equals", "Join", "Select", "Split",
                "FindInMap", "GetAZs", "ImportValue", "Not", "And", "Or", "Base64", "Cidr");

        CloudFormationConstructor() {
            super(new LoaderOptions());
            yamlConstructors.put(new Tag("!Ref"), new Intrinsic("Ref"));
            yamlConstructors.put(new Tag("!Condition"), new Intrinsic("Condition"));
            yamlConstructors.put(new Tag("!GetAtt"), new GetAtt());
            for (String function : FUNCTIONS) {
                yamlConstructors.put(new Tag("!" + function), new Intrinsic("Fn::" + function));
            }
        }

        private Object constructAny(Node node) {
            if (node instanceof ScalarNode scalar) {
                return constructScalar(scalar);
            }
            if (node instanceof SequenceNode sequence) {
                return constructSequence(sequence);
            }
            return constructMapping((MappingNode) node);
        }

        private final class Intrinsic extends AbstractConstruct {
            private final String key;

            Intrinsic(String key) {
                this.key = key;
            }

            @Override
            public Object construct(Node node) {
                return Map.of(key, constructAny(node));
            }
        }

        private final class GetAtt extends AbstractConstruct {
            @Override
            public Object construct(Node node) {
                Object value = constructAny(node);
                if (value instanceof String dotted) {
                    // Only the first dot separates resource and attribute (e.g. Db.Endpoint.Address).
                    int dot = dotted.indexOf('.');
                    if (dot < 0) {
                        throw new IllegalArgumentException("!GetAtt needs Resource.Attribute, got " + dotted);
                    }
                    value = List.of(dotted.substring(0, dot), dotted.substring(dot + 1));
                }
                return Map.of("Fn::GetAtt", value);
            }
        }
    }
}
