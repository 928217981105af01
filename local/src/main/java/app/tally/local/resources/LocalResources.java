package app.tally.local.resources;

import static app.tally.local.resources.PropertyShapes.json;
import static app.tally.local.resources.PropertyShapes.keySchema;
import static app.tally.local.resources.PropertyShapes.lifecycle;
import static app.tally.local.resources.PropertyShapes.maps;
import static app.tally.local.resources.PropertyShapes.projection;
import static app.tally.local.resources.PropertyShapes.string;
import static app.tally.local.resources.PropertyShapes.throughput;

import app.tally.local.template.LocalNames;
import app.tally.local.template.SamTemplate;
import app.tally.local.template.SamTemplate.ResourceDef;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * Creates the template's DynamoDB tables, SQS queues and S3 buckets in the emulators, from their definitions in
 * template.yaml. Resources that already exist are left as they are, so a restart keeps persisted data.
 */
public final class LocalResources {

    private static final String TABLE = "AWS::DynamoDB::Table";
    private static final String QUEUE = "AWS::SQS::Queue";
    private static final String BUCKET = "AWS::S3::Bucket";

    // CloudFormation queue properties that are plain SQS attributes of the same meaning.
    private static final Map<String, QueueAttributeName> QUEUE_ATTRIBUTES = Map.of(
            "VisibilityTimeout", QueueAttributeName.VISIBILITY_TIMEOUT,
            "MessageRetentionPeriod", QueueAttributeName.MESSAGE_RETENTION_PERIOD,
            "DelaySeconds", QueueAttributeName.DELAY_SECONDS,
            "ReceiveMessageWaitTimeSeconds", QueueAttributeName.RECEIVE_MESSAGE_WAIT_TIME_SECONDS,
            "MaximumMessageSize", QueueAttributeName.MAXIMUM_MESSAGE_SIZE,
            "FifoQueue", QueueAttributeName.FIFO_QUEUE,
            "ContentBasedDeduplication", QueueAttributeName.CONTENT_BASED_DEDUPLICATION,
            "DeduplicationScope", QueueAttributeName.DEDUPLICATION_SCOPE,
            "FifoThroughputLimit", QueueAttributeName.FIFO_THROUGHPUT_LIMIT);

    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!][^}.]*)");
    private static final long TABLE_ACTIVE_TIMEOUT_MILLIS = 30_000;

    private final SamTemplate template;
    private final LocalNames names;
    private final DynamoDbAsyncClient dynamoDb;
    private final SqsAsyncClient sqs;
    private final S3AsyncClient s3;

    public LocalResources(SamTemplate template, LocalNames names, DynamoDbAsyncClient dynamoDb, SqsAsyncClient sqs,
                          S3AsyncClient s3) {
        this.template = template;
        this.names = names;
        this.dynamoDb = dynamoDb;
        this.sqs = sqs;
        this.s3 = s3;
    }

    public void createAll() {
        createTables();
        createQueues();
        createBuckets();
    }

    public void createTables() {
        for (ResourceDef table : ofType(TABLE)) {
            createTable(table);
        }
    }

    /** Creates queues after the queues they refer to, so that a RedrivePolicy finds its dead-letter queue. */
    public void createQueues() {
        List<ResourceDef> pending = new ArrayList<>(ofType(QUEUE));
        Set<String> queueIds = new HashSet<>();
        pending.forEach(queue -> queueIds.add(queue.logicalId()));
        Set<String> created = new HashSet<>();
        while (!pending.isEmpty()) {
            ResourceDef ready = pending.stream()
                    .filter(queue -> references(queue.properties()).stream()
                            .filter(queueIds::contains)
                            .allMatch(created::contains))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("queues refer to each other in a cycle: " + pending));
            createQueue(ready);
            created.add(ready.logicalId());
            pending.remove(ready);
        }
    }

    public void createBuckets() {
        for (ResourceDef bucket : ofType(BUCKET)) {
            createBucket(bucket);
        }
    }

    private void createTable(ResourceDef table) {
        String name = names.tableName(table.logicalId());
        Map<String, Object> props = resolvedProperties(table);
        CreateTableRequest.Builder request = CreateTableRequest.builder()
                .tableName(name)
                .attributeDefinitions(maps(props.get("AttributeDefinitions")).stream()
                        .map(a -> AttributeDefinition.builder()
                                .attributeName(string(a, "AttributeName"))
                                .attributeType(string(a, "AttributeType"))
                                .build())
                        .toList())
                .keySchema(keySchema(props.get("KeySchema")));
        boolean payPerRequest = "PAY_PER_REQUEST".equals(props.get("BillingMode"));
        if (payPerRequest) {
            request.billingMode(BillingMode.PAY_PER_REQUEST);
        } else {
            request.provisionedThroughput(throughput(props.get("ProvisionedThroughput")));
        }
        if (props.containsKey("GlobalSecondaryIndexes")) {
            request.globalSecondaryIndexes(maps(props.get("GlobalSecondaryIndexes")).stream()
                    .map(index -> {
                        GlobalSecondaryIndex.Builder gsi = GlobalSecondaryIndex.builder()
                                .indexName(string(index, "IndexName"))
                                .keySchema(keySchema(index.get("KeySchema")))
                                .projection(projection(index.get("Projection")));
                        if (!payPerRequest) {
                            gsi.provisionedThroughput(throughput(index.get("ProvisionedThroughput")));
                        }
                        return gsi.build();
                    })
                    .toList());
        }
        if (props.containsKey("LocalSecondaryIndexes")) {
            request.localSecondaryIndexes(maps(props.get("LocalSecondaryIndexes")).stream()
                    .map(index -> LocalSecondaryIndex.builder()
                            .indexName(string(index, "IndexName"))
                            .keySchema(keySchema(index.get("KeySchema")))
                            .projection(projection(index.get("Projection")))
                            .build())
                    .toList());
        }
        try {
            dynamoDb.createTable(request.build()).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof ResourceInUseException) {
                return;
            }
            throw e;
        }
        awaitActive(name);
        log("created table " + name);
        if (props.get("TimeToLiveSpecification") instanceof Map<?, ?> ttl && Boolean.TRUE.equals(ttl.get("Enabled"))) {
            enableTimeToLive(name, String.valueOf(ttl.get("AttributeName")));
        }
    }

    // dynalite may answer CreateTable with CREATING (its --createTableMs), and the SDK waiter's back-off is slow.
    private void awaitActive(String tableName) {
        long deadline = System.currentTimeMillis() + TABLE_ACTIVE_TIMEOUT_MILLIS;
        while (dynamoDb.describeTable(r -> r.tableName(tableName)).join().table().tableStatus()
                != TableStatus.ACTIVE) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("table " + tableName + " did not become ACTIVE");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for table " + tableName, e);
            }
        }
    }

    private void enableTimeToLive(String tableName, String attribute) {
        try {
            dynamoDb.updateTimeToLive(r -> r.tableName(tableName)
                    .timeToLiveSpecification(t -> t.attributeName(attribute).enabled(true))).join();
        } catch (CompletionException e) {
            // An unpatched dynalite does not know the operation; expired items then simply stay.
            if (e.getCause() instanceof DynamoDbException dynamo && dynamo.awsErrorDetails() != null
                    && String.valueOf(dynamo.awsErrorDetails().errorCode()).contains("UnknownOperation")) {
                log("table " + tableName + ": the emulator does not support UpdateTimeToLive, TTL is off");
                return;
            }
            throw e;
        }
    }

    private void createQueue(ResourceDef queue) {
        String name = names.physicalName(queue.logicalId());
        try {
            sqs.getQueueUrl(r -> r.queueName(name)).join();
            return;
        } catch (CompletionException e) {
            if (!(e.getCause() instanceof QueueDoesNotExistException)) {
                throw e;
            }
        }
        Map<String, Object> props = resolvedProperties(queue);
        Map<QueueAttributeName, String> attributes = new LinkedHashMap<>();
        QUEUE_ATTRIBUTES.forEach((property, attribute) -> {
            if (props.containsKey(property)) {
                attributes.put(attribute, String.valueOf(props.get(property)));
            }
        });
        if (props.containsKey("RedrivePolicy")) {
            attributes.put(QueueAttributeName.REDRIVE_POLICY, json(props.get("RedrivePolicy")));
        }
        sqs.createQueue(r -> r.queueName(name).attributes(attributes)).join();
        log("created queue " + name);
    }

    private void createBucket(ResourceDef bucket) {
        String name = names.bucketName(bucket.logicalId());
        try {
            s3.headBucket(r -> r.bucket(name)).join();
            return;
        } catch (CompletionException e) {
            if (!(e.getCause() instanceof NoSuchBucketException)) {
                throw e;
            }
        }
        s3.createBucket(r -> r.bucket(name)).join();
        log("created bucket " + name);
        Map<String, Object> props = resolvedProperties(bucket);
        if (props.get("LifecycleConfiguration") instanceof Map<?, ?> lifecycle) {
            try {
                s3.putBucketLifecycleConfiguration(r -> r.bucket(name)
                        .lifecycleConfiguration(lifecycle(lifecycle))).join();
            } catch (CompletionException e) {
                // S3Proxy does not implement lifecycle rules; objects then never expire locally.
                log("bucket " + name + ": the emulator rejected LifecycleConfiguration ("
                        + e.getCause().getMessage() + ")");
            }
        }
    }

    private List<ResourceDef> ofType(String type) {
        return template.resources().values().stream().filter(r -> type.equals(r.type())).toList();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> resolvedProperties(ResourceDef resource) {
        return (Map<String, Object>) names.resolve(resource.properties());
    }

    /** Logical ids that raw refers to through Ref, Fn::GetAtt or a ${...} of Fn::Sub. */
    private static Set<String> references(Object raw) {
        Set<String> ids = new HashSet<>();
        if (raw instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                if ("Ref".equals(key)) {
                    ids.add(String.valueOf(value));
                } else if ("Fn::GetAtt".equals(key) && value instanceof List<?> getAtt) {
                    ids.add(String.valueOf(getAtt.get(0)));
                } else if ("Fn::Sub".equals(key)) {
                    Object text = value instanceof List<?> parts ? parts.get(0) : value;
                    Matcher matcher = SUB_VARIABLE.matcher(String.valueOf(text));
                    while (matcher.find()) {
                        ids.add(matcher.group(1));
                    }
                }
                ids.addAll(references(value));
            });
        } else if (raw instanceof List<?> list) {
            list.forEach(item -> ids.addAll(references(item)));
        }
        return ids;
    }

    private static void log(String line) {
        System.err.println("[resources] " + line);
    }
}
