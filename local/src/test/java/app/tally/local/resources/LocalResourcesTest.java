package app.tally.local.resources;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.tally.local.LocalClients;
import app.tally.local.LocalEndpoints;
import app.tally.local.emulators.Emulators;
import app.tally.local.template.LocalNames;
import app.tally.local.template.SamTemplate;
import app.tally.local.template.TemplateFiles;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Creates the project template's queues and bucket in in-process ElasticMQ and S3Proxy. Tables need dynalite, a
 * node process: set TALLY_TEST_DYNAMODB_ENDPOINT (e.g. http://127.0.0.1:8000) to a running one, with the project's
 * patch (UpdateTimeToLive), to test them too.
 */
class LocalResourcesTest {

    private static final String DYNAMODB_ENDPOINT = "TALLY_TEST_DYNAMODB_ENDPOINT";

    private static Emulators emulators;
    private static LocalClients clients;
    private static LocalNames names;
    private static LocalResources resources;

    @BeforeAll
    static void start() {
        emulators = Emulators.start();
        String dynamoDb = System.getenv().getOrDefault(DYNAMODB_ENDPOINT, "http://127.0.0.1:1");
        LocalEndpoints endpoints = new LocalEndpoints(URI.create(dynamoDb), emulators.sqsEndpoint(),
                emulators.s3Endpoint());
        SamTemplate template = SamTemplate.load(TemplateFiles.projectTemplate());
        clients = LocalClients.create(endpoints);
        names = new LocalNames(template, endpoints, Map.of());
        resources = new LocalResources(template, names, clients.dynamoDb(), clients.sqs(), clients.s3());
    }

    @AfterAll
    static void stop() {
        clients.close();
        emulators.close();
    }

    @Test
    void queuesGetTheirAttributesAndTheRedrivePolicyPointsAtTheDeadLetterQueue() {
        resources.createQueues();
        resources.createQueues();

        Map<QueueAttributeName, String> dlq = attributes("ExportDeadLetterQueue");
        // ElasticMQ accepts but ignores MessageRetentionPeriod (messages never expire locally), so it is not checked.
        assertEquals(names.queueArn("ExportDeadLetterQueue"), dlq.get(QueueAttributeName.QUEUE_ARN));

        Map<QueueAttributeName, String> jobs = attributes("ExportQueue");
        assertEquals("1800", jobs.get(QueueAttributeName.VISIBILITY_TIMEOUT));
        String redrive = jobs.get(QueueAttributeName.REDRIVE_POLICY);
        assertTrue(redrive.contains(names.queueArn("ExportDeadLetterQueue")), redrive);
        assertTrue(redrive.contains("3"), redrive);
    }

    @Test
    void bucketIsCreatedAndObjectsRoundTrip() {
        resources.createBuckets();
        resources.createBuckets();

        String bucket = names.bucketName("FilesBucket");
        byte[] content = "date,amount\n2026-01-01,12.34\n".getBytes(StandardCharsets.UTF_8);
        clients.s3().putObject(r -> r.bucket(bucket).key("exports/a.csv"), AsyncRequestBody.fromBytes(content)).join();
        byte[] read = clients.s3().getObject(r -> r.bucket(bucket).key("exports/a.csv"),
                AsyncResponseTransformer.toBytes()).join().asByteArray();
        assertArrayEquals(content, read);
    }

    @Test
    @EnabledIfEnvironmentVariable(named = DYNAMODB_ENDPOINT, matches = ".+")
    void tableIsCreatedFromItsDefinition() {
        resources.createTables();
        resources.createTables();

        TableDescription table = clients.dynamoDb()
                .describeTable(r -> r.tableName(names.tableName("Table"))).join().table();
        assertEquals(2, table.keySchema().size());
        assertEquals("PK", table.keySchema().get(0).attributeName());
        TimeToLiveDescription ttl = clients.dynamoDb()
                .describeTimeToLive(r -> r.tableName(names.tableName("Table"))).join().timeToLiveDescription();
        assertEquals(TimeToLiveStatus.ENABLED, ttl.timeToLiveStatus());
        assertEquals("ttl", ttl.attributeName());
    }

    private static Map<QueueAttributeName, String> attributes(String queueLogicalId) {
        return clients.sqs().getQueueAttributes(r -> r.queueUrl(names.queueUrl(queueLogicalId))
                .attributeNames(QueueAttributeName.ALL)).join().attributes();
    }
}
