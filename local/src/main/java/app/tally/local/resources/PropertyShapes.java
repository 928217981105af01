package app.tally.local.resources;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;
import software.amazon.awssdk.services.s3.model.BucketLifecycleConfiguration;
import software.amazon.awssdk.services.s3.model.LifecycleExpiration;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.LifecycleRuleFilter;

/** Template properties (as the YAML reads them) in the shapes the SDK's create calls take. */
final class PropertyShapes {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PropertyShapes() {
    }

    static BucketLifecycleConfiguration lifecycle(Map<?, ?> lifecycle) {
        List<LifecycleRule> rules = maps(lifecycle.get("Rules")).stream()
                .map(rule -> {
                    LifecycleRule.Builder builder = LifecycleRule.builder()
                            .id((String) rule.get("Id"))
                            .status(string(rule, "Status"))
                            .filter(LifecycleRuleFilter.builder()
                                    .prefix(String.valueOf(rule.containsKey("Prefix") ? rule.get("Prefix") : ""))
                                    .build());
                    if (rule.get("ExpirationInDays") instanceof Number days) {
                        builder.expiration(LifecycleExpiration.builder().days(days.intValue()).build());
                    }
                    if (rule.get("AbortIncompleteMultipartUpload") instanceof Map<?, ?> abort) {
                        builder.abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(
                                ((Number) abort.get("DaysAfterInitiation")).intValue()));
                    }
                    return builder.build();
                })
                .toList();
        return BucketLifecycleConfiguration.builder().rules(rules).build();
    }

    static List<KeySchemaElement> keySchema(Object raw) {
        return maps(raw).stream()
                .map(k -> KeySchemaElement.builder()
                        .attributeName(string(k, "AttributeName"))
                        .keyType(string(k, "KeyType"))
                        .build())
                .toList();
    }

    static Projection projection(Object raw) {
        Map<?, ?> projection = (Map<?, ?>) raw;
        Projection.Builder builder = Projection.builder().projectionType(string(projection, "ProjectionType"));
        if (projection.get("NonKeyAttributes") instanceof List<?> attributes) {
            builder.nonKeyAttributes(attributes.stream().map(String::valueOf).toList());
        }
        return builder.build();
    }

    static ProvisionedThroughput throughput(Object raw) {
        Map<?, ?> throughput = (Map<?, ?>) raw;
        return ProvisionedThroughput.builder()
                .readCapacityUnits(Long.parseLong(string(throughput, "ReadCapacityUnits")))
                .writeCapacityUnits(Long.parseLong(string(throughput, "WriteCapacityUnits")))
                .build();
    }

    static String json(Object value) {
        // The template may give RedrivePolicy as a mapping; SQS wants its attribute as a JSON string.
        if (value instanceof String text) {
            return text;
        }
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value + " as JSON", e);
        }
    }

    static List<Map<?, ?>> maps(Object raw) {
        return ((List<?>) raw).stream().<Map<?, ?>>map(item -> (Map<?, ?>) item).toList();
    }

    static String string(Map<?, ?> map, String key) {
        return String.valueOf(map.get(key));
    }
}
