package app.tally.local.template;

import app.tally.local.LocalEndpoints;
import app.tally.local.template.SamTemplate.FunctionDef;
import app.tally.local.template.SamTemplate.ResourceDef;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The physical names the local stack gives the template's resources, and a resolver of CloudFormation intrinsic
 * functions against them, so that a function's environment locally is what CloudFormation would have produced.
 */
public final class LocalNames {

    public static final String ACCOUNT_ID = "000000000000";
    public static final String REGION = "us-east-1";
    public static final String STACK_NAME = "tally";

    private static final Map<String, Object> PSEUDO_PARAMETERS = Map.of(
            "AWS::Region", REGION,
            "AWS::AccountId", ACCOUNT_ID,
            "AWS::StackName", STACK_NAME,
            "AWS::StackId", "arn:aws:cloudformation:" + REGION + ":" + ACCOUNT_ID + ":stack/" + STACK_NAME + "/local",
            "AWS::Partition", "aws",
            "AWS::URLSuffix", "amazonaws.com",
            "AWS::NotificationARNs", List.of());

    // Where a resource type lets the template choose its physical name; CloudFormation generates one otherwise.
    private static final Map<String, String> NAME_PROPERTIES = Map.of(
            "AWS::DynamoDB::Table", "TableName",
            "AWS::SQS::Queue", "QueueName",
            "AWS::S3::Bucket", "BucketName",
            "AWS::Serverless::Function", "FunctionName",
            "AWS::ApiGatewayV2::Stage", "StageName");

    private static final String TABLE = "AWS::DynamoDB::Table";
    private static final String QUEUE = "AWS::SQS::Queue";
    private static final String BUCKET = "AWS::S3::Bucket";

    // AWS::NoValue: removes the property or list item that resolves to it.
    private static final Object NO_VALUE = new Object();

    private final SamTemplate template;
    private final Map<String, ResourceDef> resources;
    private final LocalEndpoints endpoints;
    private final Map<String, String> parameterOverrides;

    public LocalNames(SamTemplate template, LocalEndpoints endpoints, Map<String, String> parameterOverrides) {
        this.template = template;
        this.resources = template.resources();
        this.endpoints = endpoints;
        this.parameterOverrides = Map.copyOf(parameterOverrides);
        List<String> failed = failedRules();
        if (!failed.isEmpty()) {
            // CloudFormation refuses such parameters before it creates or changes anything.
            throw new IllegalArgumentException("the template's Rules refuse these parameters: " + failed);
        }
    }

    /** "tally-" + the kebab case of the logical id (JobsQueue → tally-jobs-queue), unless the template names it. */
    public String physicalName(String logicalId) {
        ResourceDef resource = resource(logicalId);
        String nameProperty = NAME_PROPERTIES.get(resource.type());
        if (nameProperty != null && resource.properties().containsKey(nameProperty)) {
            return String.valueOf(resolve(resource.properties().get(nameProperty)));
        }
        String name = STACK_NAME + "-" + kebabCase(logicalId);
        // SQS requires the suffix on FIFO queues, and CloudFormation adds it to the names it generates.
        boolean fifo = QUEUE.equals(resource.type()) && Boolean.TRUE.equals(resource.properties().get("FifoQueue"));
        return fifo ? name + ".fifo" : name;
    }

    public String tableName(String logicalId) {
        requireType(logicalId, TABLE);
        return physicalName(logicalId);
    }

    public String bucketName(String logicalId) {
        requireType(logicalId, BUCKET);
        return physicalName(logicalId);
    }

    /** ElasticMQ's queue URL form: http://host:port/accountId/queueName. */
    public String queueUrl(String logicalId) {
        requireType(logicalId, QUEUE);
        URI sqs = endpoints.sqs();
        return sqs.getScheme() + "://" + sqs.getRawAuthority() + "/" + ACCOUNT_ID + "/" + physicalName(logicalId);
    }

    public String queueArn(String logicalId) {
        requireType(logicalId, QUEUE);
        return "arn:aws:sqs:" + REGION + ":" + ACCOUNT_ID + ":" + physicalName(logicalId);
    }

    /** The function's Environment.Variables (Globals merged in) with every intrinsic function resolved. */
    public Map<String, String> functionEnvironment(String functionLogicalId) {
        FunctionDef function = template.functions().stream()
                .filter(f -> f.logicalId().equals(functionLogicalId))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no function " + functionLogicalId));
        Map<String, String> environment = new LinkedHashMap<>();
        function.environment().forEach((name, raw) -> {
            Object value = evaluate(raw);
            if (value != NO_VALUE) {
                environment.put(name, String.valueOf(value));
            }
        });
        return Collections.unmodifiableMap(environment);
    }

    /** "Rule: AssertDescription" for each assertion of the template's Rules that fails where its RuleCondition holds. */
    private List<String> failedRules() {
        List<String> failed = new ArrayList<>();
        template.rules().forEach((name, raw) -> {
            Map<?, ?> rule = (Map<?, ?>) raw;
            Object condition = rule.get("RuleCondition");
            if (condition != null && !isTrue(condition)) {
                return;
            }
            for (Object item : list(name, rule.get("Assertions"), -1)) {
                Map<?, ?> assertion = (Map<?, ?>) item;
                if (!isTrue(assertion.get("Assert"))) {
                    failed.add(name + ": " + assertion.get("AssertDescription"));
                }
            }
        });
        return failed;
    }

    /** Resolves Ref, Fn::GetAtt, Fn::Sub, Fn::If, Fn::Join, Fn::Select, Fn::Split anywhere inside raw. */
    public Object resolve(Object raw) {
        Object value = evaluate(raw);
        return value == NO_VALUE ? null : value;
    }

    private Object evaluate(Object raw) {
        if (raw instanceof Map<?, ?> map) {
            if (map.size() == 1) {
                Map.Entry<?, ?> entry = map.entrySet().iterator().next();
                String key = String.valueOf(entry.getKey());
                if (key.equals("Ref")) {
                    return ref(String.valueOf(entry.getValue()));
                }
                if (key.startsWith("Fn::")) {
                    return function(key, entry.getValue());
                }
            }
            Map<String, Object> resolved = new LinkedHashMap<>();
            map.forEach((key, value) -> {
                Object item = evaluate(value);
                if (item != NO_VALUE) {
                    resolved.put(String.valueOf(key), item);
                }
            });
            return resolved;
        }
        if (raw instanceof List<?> list) {
            List<Object> resolved = new ArrayList<>();
            for (Object value : list) {
                Object item = evaluate(value);
                if (item != NO_VALUE) {
                    resolved.add(item);
                }
            }
            return resolved;
        }
        return raw;
    }

    private Object function(String name, Object argument) {
        return switch (name) {
            case "Fn::GetAtt" -> {
                List<?> parts = list(name, argument, 2);
                yield getAtt(String.valueOf(parts.get(0)), String.valueOf(parts.get(1)));
            }
            case "Fn::Sub" -> FnSub.apply(argument, new FnSub.Resolver(this::evaluate, this::ref, this::getAtt));
            case "Fn::If" -> {
                List<?> parts = list(name, argument, 3);
                yield evaluate(isTrue(parts.get(0)) ? parts.get(1) : parts.get(2));
            }
            case "Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or" -> isTrue(Map.of(name, argument));
            case "Fn::Join" -> {
                List<?> parts = list(name, argument, 2);
                List<String> items = list(name, evaluate(parts.get(1)), -1).stream().map(String::valueOf).toList();
                yield String.join(String.valueOf(parts.get(0)), items);
            }
            case "Fn::Select" -> {
                List<?> parts = list(name, argument, 2);
                int index = Integer.parseInt(String.valueOf(evaluate(parts.get(0))));
                yield list(name, evaluate(parts.get(1)), -1).get(index);
            }
            case "Fn::Split" -> {
                List<?> parts = list(name, argument, 2);
                String delimiter = String.valueOf(parts.get(0));
                yield Arrays.asList(String.valueOf(evaluate(parts.get(1))).split(Pattern.quote(delimiter), -1));
            }
            default -> throw new IllegalArgumentException(name + " is not supported by the local stack");
        };
    }

    private Object ref(String name) {
        if (name.equals("AWS::NoValue")) {
            return NO_VALUE;
        }
        if (PSEUDO_PARAMETERS.containsKey(name)) {
            return PSEUDO_PARAMETERS.get(name);
        }
        if (template.parameters().containsKey(name)) {
            return parameter(name);
        }
        ResourceDef resource = resource(name);
        // Ref of a queue is its URL; of a table, bucket (and anything else here) its name.
        return QUEUE.equals(resource.type()) ? queueUrl(name) : physicalName(name);
    }

    private Object parameter(String name) {
        Map<?, ?> declaration = (Map<?, ?>) template.parameters().get(name);
        String value = parameterOverrides.get(name);
        if (value == null) {
            Object fallback = declaration.get("Default");
            if (fallback == null) {
                throw new IllegalStateException("parameter " + name + " has no Default: pass it as an override");
            }
            value = String.valueOf(fallback);
        }
        String type = String.valueOf(declaration.get("Type"));
        boolean isList = type.equals("CommaDelimitedList") || type.startsWith("List<");
        return isList ? Arrays.asList(value.split(",", -1)) : value;
    }

    private String getAtt(String logicalId, String attribute) {
        String type = resource(logicalId).type();
        return switch (type + "." + attribute) {
            case QUEUE + ".Arn" -> queueArn(logicalId);
            case QUEUE + ".QueueName" -> physicalName(logicalId);
            case QUEUE + ".QueueUrl" -> queueUrl(logicalId);
            case TABLE + ".Arn" -> tableArn(logicalId);
            // Any label works locally; real stream labels are timestamps.
            case TABLE + ".StreamArn" -> tableArn(logicalId) + "/stream/1970-01-01T00:00:00.000";
            case BUCKET + ".Arn" -> "arn:aws:s3:::" + physicalName(logicalId);
            // wss://{api-id}.execute-api.{region}.amazonaws.com on AWS; locally the push socket, the API's id its path.
            case "AWS::ApiGatewayV2::Api.ApiEndpoint" ->
                    "ws://127.0.0.1:" + LocalEndpoints.pushPort() + "/" + physicalName(logicalId);
            default -> throw new IllegalArgumentException(
                    "Fn::GetAtt " + logicalId + "." + attribute + " (" + type + ") is not supported locally");
        };
    }

    private String tableArn(String logicalId) {
        return "arn:aws:dynamodb:" + REGION + ":" + ACCOUNT_ID + ":table/" + physicalName(logicalId);
    }

    /** A condition: a name from Conditions, {"Condition": name}, or Fn::Equals/Not/And/Or. */
    private boolean isTrue(Object condition) {
        if (condition instanceof Boolean value) {
            return value;
        }
        if (condition instanceof String name) {
            Object definition = template.conditions().get(name);
            if (definition == null) {
                throw new IllegalArgumentException("no condition " + name);
            }
            return isTrue(definition);
        }
        if (condition instanceof Map<?, ?> map && map.size() == 1) {
            Map.Entry<?, ?> entry = map.entrySet().iterator().next();
            String key = String.valueOf(entry.getKey());
            Object argument = entry.getValue();
            switch (key) {
                case "Condition":
                    return isTrue(String.valueOf(argument));
                case "Fn::Equals": {
                    List<?> sides = list(key, argument, 2);
                    // CloudFormation compares the string forms: !Equals [!Ref Count, 3] is true for "3".
                    return String.valueOf(evaluate(sides.get(0))).equals(String.valueOf(evaluate(sides.get(1))));
                }
                case "Fn::Not":
                    return !isTrue(list(key, argument, 1).get(0));
                case "Fn::And":
                    return list(key, argument, -1).stream().allMatch(this::isTrue);
                case "Fn::Or":
                    return list(key, argument, -1).stream().anyMatch(this::isTrue);
                default:
                    break;
            }
        }
        throw new IllegalArgumentException("not a condition: " + condition);
    }

    private ResourceDef resource(String logicalId) {
        ResourceDef resource = resources.get(logicalId);
        if (resource == null) {
            throw new IllegalArgumentException("no resource or parameter " + logicalId + " in the template");
        }
        return resource;
    }

    private void requireType(String logicalId, String type) {
        String actual = resource(logicalId).type();
        if (!type.equals(actual)) {
            throw new IllegalArgumentException(logicalId + " is a " + actual + ", not a " + type);
        }
    }

    private static List<?> list(String function, Object argument, int size) {
        if (!(argument instanceof List<?> list) || (size >= 0 && list.size() != size)) {
            String expected = size >= 0 ? "a list of " + size : "a list";
            throw new IllegalArgumentException(function + " expects " + expected + ", got " + argument);
        }
        return list;
    }

    static String kebabCase(String logicalId) {
        // Splits before an upper-case letter that follows a lower-case letter or digit, and inside acronyms
        // before their last capital when a word follows (DLQueue → dl-queue).
        return logicalId.replaceAll("([a-z0-9])([A-Z])", "$1-$2")
                .replaceAll("([A-Z])([A-Z][a-z])", "$1-$2")
                .toLowerCase();
    }
}
