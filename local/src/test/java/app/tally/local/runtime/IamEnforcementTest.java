package app.tally.local.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.tally.aws.AwsClients;
import app.tally.local.LocalEndpoints;
import app.tally.local.LocalStack;
import app.tally.local.runtime.AwsActions.Access;
import app.tally.local.runtime.IamCalls.Call;
import app.tally.local.runtime.IamRole.Decision;
import app.tally.local.template.LocalNames;
import app.tally.local.template.SamTemplate;
import app.tally.local.template.TemplateFiles;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * The local stack's IAM check with real SDK clients: a function whose role (SAM's expansion of a template's Policies)
 * lacks an action it calls gets AccessDenied as the service answers it, so the SDK raises the exception it would on
 * AWS. Denied calls never leave the JVM, so no emulator is needed.
 */
class IamEnforcementTest {
    private static final String TEMPLATE = """
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Table:
                Type: AWS::DynamoDB::Table
                Properties:
                  BillingMode: PAY_PER_REQUEST
                  AttributeDefinitions: [{AttributeName: PK, AttributeType: S}]
                  KeySchema: [{AttributeName: PK, KeyType: HASH}]
              WorkQueue:
                Type: AWS::SQS::Queue
              OtherQueue:
                Type: AWS::SQS::Queue
              Files:
                Type: AWS::S3::Bucket
              Worker:
                Type: AWS::Serverless::Function
                Properties:
                  CodeUri: worker.jar
                  Handler: x.Worker::handleRequest
                  Runtime: java25
                  Policies:
                    - DynamoDBReadPolicy:
                        TableName: !Ref Table
                    - SQSSendMessagePolicy:
                        QueueName: !GetAtt WorkQueue.QueueName
                    - Statement:
                        - Effect: Allow
                          Action: s3:PutObject
                          Resource: !Sub '${Files.Arn}/out/*'
                        - Effect: Deny
                          Action: s3:PutObject
                          Resource: !Sub '${Files.Arn}/out/secret/*'
            """;
    private static final String TABLE = "tally-table";
    private static final String BUCKET = "tally-files";

    private static IamRole worker;
    private static AwsClients clients;

    @BeforeAll
    static void expand(@TempDir Path dir) throws Exception {
        // Denied calls are answered before signing matters, but the SDK wants credentials to build the request.
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        Path template = Files.writeString(dir.resolve("template.yaml"), TEMPLATE);
        URI nowhere = URI.create("http://127.0.0.1:9");
        LocalNames names = new LocalNames(SamTemplate.load(template), new LocalEndpoints(nowhere, nowhere, nowhere),
                Map.of());
        worker = IamRoles.expand(TemplateFiles.projectTemplate().getParent(), template, names).get("Worker");
        clients = AwsClients.tuned(new FunctionIam(worker));
    }

    private static <T extends Throwable> T failure(Class<T> type, Runnable call) {
        CompletionException thrown = assertThrows(CompletionException.class, call::run);
        return assertInstanceOf(type, thrown.getCause());
    }

    @Test
    void exportWorkersRecoveryHeadObjectNeedsTheGetObjectItsPolicyGrants(@TempDir Path dir) throws Exception {
        // The gap issue 13 found: ExportUpload.completedEarlier calls HeadObject, which is s3:GetObject.
        Path project = TemplateFiles.projectTemplate();
        String granted = "Action: [s3:PutObject, s3:AbortMultipartUpload, s3:GetObject]";
        String text = Files.readString(project);
        assertTrue(text.contains(granted), "ExportWorkerFunction's S3 statement changed: update this test");
        Path withoutGetObject = Files.writeString(dir.resolve("template.yaml"),
                text.replace(granted, "Action: [s3:PutObject, s3:AbortMultipartUpload]"));
        String key = "exports/u/01M8GA8C45FA7VNZS1R1N9GJX5.csv";

        AwsClients lacking = AwsClients.tuned(new FunctionIam(exportWorker(withoutGetObject)));
        S3Exception denied = failure(S3Exception.class, () -> lacking.s3().headObject(h -> h.bucket(BUCKET_OF_PROJECT)
                .key(key)).join());
        assertEquals(403, denied.statusCode());

        IamRole actual = exportWorker(project);
        assertEquals(Decision.ALLOWED, actual.decide("s3:GetObject", AwsActions.objectArn(BUCKET_OF_PROJECT, key)));
        assertEquals(Decision.NOT_ALLOWED, actual.decide("s3:PutObjectAcl", AwsActions.objectArn(BUCKET_OF_PROJECT, key)));
        assertEquals(Decision.NOT_ALLOWED, actual.decide("s3:PutLifecycleConfiguration",
                AwsActions.bucketArn(BUCKET_OF_PROJECT)));
        assertEquals(Decision.NOT_ALLOWED, actual.decide("dynamodb:Scan", AwsActions.tableArn("tally-table")));
    }

    private static final String BUCKET_OF_PROJECT = "tally-files-bucket";

    private static IamRole exportWorker(Path template) {
        URI nowhere = URI.create("http://127.0.0.1:9");
        LocalNames names = new LocalNames(SamTemplate.load(template), new LocalEndpoints(nowhere, nowhere, nowhere),
                LocalStack.localParameters());
        return IamRoles.expand(TemplateFiles.projectTemplate().getParent(), template, names).get("ExportWorkerFunction");
    }

    @Test
    void aWriteTheRoleDoesNotAllowIsDynamoDbsAccessDeniedException() {
        DynamoDbException denied = failure(DynamoDbException.class, () -> clients.dynamoDb().putItem(p -> p
                .tableName(TABLE).item(Map.of("PK", AttributeValue.fromS("a")))).join());

        assertEquals(400, denied.statusCode());
        assertEquals("AccessDeniedException", denied.awsErrorDetails().errorCode());
        assertTrue(denied.getMessage().contains("is not authorized to perform: dynamodb:PutItem on resource: "
                + "arn:aws:dynamodb:us-east-1:000000000000:table/tally-table"), denied.getMessage());
    }

    @Test
    void eachActionOfATransactionNeedsItsOwnPermission() {
        DynamoDbException denied = failure(DynamoDbException.class, () -> clients.dynamoDb().transactWriteItems(t -> t
                .transactItems(i -> i.update(u -> u.tableName(TABLE).key(Map.of("PK", AttributeValue.fromS("a")))
                        .updateExpression("SET n = :n").expressionAttributeValues(Map.of(":n", AttributeValue.fromN("1")))))
        ).join());

        assertTrue(denied.getMessage().contains("dynamodb:UpdateItem"), denied.getMessage());
    }

    @Test
    void headObjectWithoutGetObjectIsS3s403() {
        S3Exception denied = failure(S3Exception.class, () -> clients.s3().headObject(h -> h.bucket(BUCKET)
                .key("out/a.csv")).join());

        assertEquals(403, denied.statusCode());
    }

    @Test
    void getObjectWithoutGetObjectIsS3sAccessDeniedError() {
        S3Exception denied = failure(S3Exception.class, () -> clients.s3().getObject(g -> g.bucket(BUCKET)
                .key("out/a.csv"), software.amazon.awssdk.core.async.AsyncResponseTransformer.toBytes()).join());

        assertEquals(403, denied.statusCode());
        assertEquals("AccessDenied", denied.awsErrorDetails().errorCode());
        assertTrue(denied.getMessage().contains("s3:GetObject on resource: arn:aws:s3:::tally-files/out/a.csv"),
                denied.getMessage());
    }

    @Test
    void anExplicitDenyWinsOverTheAllowAroundIt() {
        assertEquals(Decision.ALLOWED, worker.decide("s3:PutObject", "arn:aws:s3:::tally-files/out/a.csv"));
        S3Exception denied = failure(S3Exception.class, () -> clients.s3().putObject(p -> p.bucket(BUCKET)
                .key("out/secret/a.csv"), AsyncRequestBody.fromString("x")).join());

        assertEquals("AccessDenied", denied.awsErrorDetails().errorCode());
        assertTrue(denied.getMessage().contains("with an explicit deny"), denied.getMessage());
    }

    @Test
    void sendingToAQueueThePolicyDoesNotNameIsSqsAccessDenied() {
        SqsException denied = failure(SqsException.class, () -> clients.sqs().sendMessageBatch(s -> s
                .queueUrl("http://127.0.0.1:9/000000000000/tally-other-queue")
                .entries(e -> e.id("1").messageBody("x"))).join());

        assertEquals(403, denied.statusCode());
        assertEquals("AccessDenied", denied.awsErrorDetails().errorCode());
        assertTrue(denied.getMessage().contains("sqs:SendMessage on resource: "
                + "arn:aws:sqs:us-east-1:000000000000:tally-other-queue"), denied.getMessage());
    }

    @Test
    void samsPolicyTemplatesExpandToTheirStatementsOnTheLocalResources() {
        String table = "arn:aws:dynamodb:us-east-1:000000000000:table/tally-table";
        assertEquals(Decision.ALLOWED, worker.decide("dynamodb:Query", table + "/index/ById"));
        assertEquals(Decision.ALLOWED, worker.decide("dynamodb:GetItem", table));
        assertEquals(Decision.NOT_ALLOWED, worker.decide("dynamodb:DeleteItem", table));
        assertEquals(Decision.ALLOWED, worker.decide("sqs:SendMessage", "arn:aws:sqs:us-east-1:000000000000:tally-work-queue"));
        // SAM's managed policies are part of the role: the SQS trigger's (none here) and basic execution's logs.
        assertEquals(Decision.ALLOWED, worker.decide("logs:PutLogEvents", "arn:aws:logs:us-east-1:000000000000:x"));
    }

    @Test
    void aPresignedUrlForAnActionTheRoleLacksIsRefusedWhenSigned() {
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> clients.s3Presigner()
                .presignGetObject(r -> r.signatureDuration(Duration.ofMinutes(1))
                        .getObjectRequest(g -> g.bucket(BUCKET).key("out/a.csv"))));

        assertTrue(refused.getMessage().contains("s3:GetObject"), refused.getMessage());
    }

    @Test
    void anOperationWithoutAKnownActionIsAnErrorRatherThanAGuess() {
        Throwable thrown = assertThrows(CompletionException.class, () -> clients.s3().putBucketPolicy(p -> p
                .bucket(BUCKET).policy("{}")).join()).getCause();

        assertTrue(thrown.getMessage().contains("does not know which permission S3.PutBucketPolicy needs"),
                thrown.getMessage());
        assertInstanceOf(software.amazon.awssdk.core.exception.SdkClientException.class, thrown);
    }

    @Test
    void theUsageCheckFailsOnAGrantNoCallUsedAndOnAnyDenial() {
        List<Call> calls = List.of(new Call("Worker", "dynamodb:GetItem", true, "t"),
                new Call("Worker", "dynamodb:Query", true, "t"), new Call("Worker", "sqs:SendMessage", true, "q"),
                new Call("Worker", "s3:PutObject", true, "o"), new Call("Worker", "dynamodb:PutItem", false, "t"));

        List<String> problems = IamUsage.problems(Map.of("Worker", worker), calls);

        assertTrue(problems.contains("Worker was denied dynamodb:PutItem on t: grant it in template.yaml, or stop "
                + "calling it"), problems.toString());
        // DynamoDBReadPolicy also grants Scan, BatchGetItem, DescribeTable...; SQSSendMessagePolicy GetQueueUrl.
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("Worker is granted dynamodb:Scan but none")),
                problems.toString());
        assertTrue(problems.stream().noneMatch(p -> p.contains("granted dynamodb:Query ") || p.contains("logs:")),
                problems.toString());
    }

    @Test
    void accessesFollowAwssMappingOfOperationsToActions() {
        assertEquals(List.of(new Access("s3:GetObject", "arn:aws:s3:::b/k")), AwsActions.of("HeadObject",
                software.amazon.awssdk.services.s3.model.HeadObjectRequest.builder().bucket("b").key("k").build()));
        assertEquals(List.of(new Access("sqs:DeleteMessage", "arn:aws:sqs:us-east-1:000000000000:q")),
                AwsActions.of("DeleteMessageBatch", software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest
                        .builder().queueUrl("http://127.0.0.1:9324/000000000000/q").build()));
        assertEquals(List.of(new Access("s3:ListMultipartUploadParts", "arn:aws:s3:::b/k")), AwsActions.of("ListParts",
                software.amazon.awssdk.services.s3.model.ListPartsRequest.builder().bucket("b").key("k").build()));
    }

    @Test
    void aPostToAConnectionNeedsManageConnectionsOnItsMethodAndPath() {
        assertEquals(List.of(new Access("execute-api:ManageConnections",
                        "arn:aws:execute-api:us-east-1:000000000000:tally-push-api/live/POST/@connections/L0SM9cOFvHcCIhw=")),
                AwsActions.of("PostToConnection", software.amazon.awssdk.services.apigatewaymanagementapi.model
                                .PostToConnectionRequest.builder().connectionId("L0SM9cOFvHcCIhw=").build(),
                        "/tally-push-api/live/@connections/L0SM9cOFvHcCIhw%3D"));
    }
}
