package app.tally.local.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.tally.local.LocalEndpoints;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalNamesTest {

    private static final LocalEndpoints ENDPOINTS = new LocalEndpoints(URI.create("http://127.0.0.1:8000"),
            URI.create("http://127.0.0.1:9324"), URI.create("http://127.0.0.1:9000"));
    private static final SamTemplate PROJECT = SamTemplate.load(TemplateFiles.projectTemplate());

    /** The HttpApi authorizer's audience as CloudFormation would resolve it for these parameters. */
    private static Object authorizerAudience(Map<String, String> parameters) {
        Map<?, ?> auth = (Map<?, ?>) PROJECT.resources().get("HttpApi").properties().get("Auth");
        Map<?, ?> authorizer = (Map<?, ?>) ((Map<?, ?>) auth.get("Authorizers")).get("TallyJwt");
        Map<?, ?> jwt = (Map<?, ?>) authorizer.get("JwtConfiguration");
        return new LocalNames(PROJECT, ENDPOINTS, parameters).resolve(jwt.get("audience"));
    }

    @Test
    void anIssuerWithoutAnAudienceIsRefusedByTheTemplatesRules() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> authorizerAudience(Map.of("JwtIssuer", "https://issuer.example")));
        assertTrue(refused.getMessage().contains("JwtAudience is required"), refused.getMessage());

        assertEquals(List.of("client-1"),
                authorizerAudience(Map.of("JwtIssuer", "https://issuer.example", "JwtAudience", "client-1")));
        // Neither: the template's own Cognito app client is the audience.
        assertEquals(List.of("tally-user-pool-client"), authorizerAudience(Map.of()));
    }

    @Test
    void physicalNamesAreTheStackNameAndTheKebabCaseLogicalId() {
        LocalNames names = new LocalNames(PROJECT, ENDPOINTS, Map.of());

        assertEquals("tally-table", names.tableName("Table"));
        assertEquals("tally-export-queue", names.physicalName("ExportQueue"));
        assertEquals("tally-export-dead-letter-queue", names.physicalName("ExportDeadLetterQueue"));
        assertEquals("tally-files-bucket", names.bucketName("FilesBucket"));
        assertEquals("http://127.0.0.1:9324/000000000000/tally-export-queue", names.queueUrl("ExportQueue"));
        assertEquals("arn:aws:sqs:us-east-1:000000000000:tally-export-queue", names.queueArn("ExportQueue"));
        assertEquals("dl-queue", LocalNames.kebabCase("DLQueue"));
        assertEquals("s3-files2-bucket", LocalNames.kebabCase("S3Files2Bucket"));
        assertThrows(IllegalArgumentException.class, () -> names.tableName("ExportQueue"));
        assertThrows(IllegalArgumentException.class, () -> names.queueUrl("NoSuchQueue"));
    }

    @Test
    void functionEnvironmentResolvesRefsParametersAndGlobals() {
        LocalNames defaults = new LocalNames(PROJECT, ENDPOINTS, Map.of());
        Map<String, String> profile = defaults.functionEnvironment("ProfileFunction");
        assertEquals("tally-table", profile.get("TABLE_NAME"));
        assertEquals("CNY", profile.get("DEFAULT_CURRENCY"));
        assertEquals("-XX:+TieredCompilation -XX:TieredStopAtLevel=1", profile.get("JAVA_TOOL_OPTIONS"));

        LocalNames overridden = new LocalNames(PROJECT, ENDPOINTS, Map.of("DefaultCurrency", "EUR"));
        assertEquals("EUR", overridden.functionEnvironment("ProfileFunction").get("DEFAULT_CURRENCY"));
    }

    @Test
    void aParameterWithoutDefaultNeedsAnOverride() {
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> new LocalNames(PROJECT, ENDPOINTS, Map.of()).functionEnvironment("TransactionsFunction"));
        assertTrue(missing.getMessage().contains("CursorSecret"), missing.getMessage());

        String secret = "0123456789abcdef0123456789abcdef";
        LocalNames names = new LocalNames(PROJECT, ENDPOINTS, Map.of("CursorSecret", secret));
        assertEquals(secret, names.functionEnvironment("TransactionsFunction").get("CURSOR_SECRET"));
    }

    @Test
    void redrivePolicyResolvesToTheDeadLetterQueueArn() {
        LocalNames names = new LocalNames(PROJECT, ENDPOINTS, Map.of());
        Object redrive = names.resolve(PROJECT.resources().get("ExportQueue").properties().get("RedrivePolicy"));
        assertEquals(Map.of("deadLetterTargetArn", "arn:aws:sqs:us-east-1:000000000000:tally-export-dead-letter-queue",
                "maxReceiveCount", 3), redrive);
    }

    @Test
    void httpApiIssuerFollowsTheUseCognitoCondition() {
        Map<?, ?> jwt = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) PROJECT.resources().get("HttpApi")
                .properties().get("Auth")).get("Authorizers")).get("TallyJwt")).get("JwtConfiguration");

        Map<?, ?> cognito = (Map<?, ?>) new LocalNames(PROJECT, ENDPOINTS, Map.of()).resolve(jwt);
        assertEquals("https://cognito-idp.us-east-1.amazonaws.com/tally-user-pool", cognito.get("issuer"));
        assertEquals(List.of("tally-user-pool-client"), cognito.get("audience"));

        Map<?, ?> external = (Map<?, ?>) new LocalNames(PROJECT, ENDPOINTS,
                Map.of("JwtIssuer", "http://127.0.0.1:9999/issuer", "JwtAudience", "tally-local")).resolve(jwt);
        assertEquals("http://127.0.0.1:9999/issuer", external.get("issuer"));
        assertEquals(List.of("tally-local"), external.get("audience"));
    }

    @Test
    void resolvesGetAttSubJoinSelectSplitAndConditions(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("template.yaml");
        Files.writeString(file, """
                Parameters:
                  Stage:
                    Type: String
                    Default: dev
                  Zones:
                    Type: CommaDelimitedList
                    Default: a,b,c
                Conditions:
                  IsProd: !Equals [!Ref Stage, prod]
                  IsDev: !Not [!Condition IsProd]
                  Both: !And [!Condition IsDev, !Equals [1, '1']]
                  Either: !Or [!Condition IsProd, !Equals [x, y]]
                Resources:
                  Table:
                    Type: AWS::DynamoDB::Table
                  Named:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      TableName: !Sub '${AWS::StackName}-${Stage}-named'
                  Orders:
                    Type: AWS::SQS::Queue
                    Properties:
                      FifoQueue: true
                  Files:
                    Type: AWS::S3::Bucket
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: example.Fn
                      Environment:
                        Variables:
                          TABLE_ARN: !GetAtt Table.Arn
                          STREAM_ARN: !GetAtt Table.StreamArn
                          NAMED: !Ref Named
                          QUEUE_URL: !GetAtt Orders.QueueUrl
                          QUEUE_NAME: !GetAtt Orders.QueueName
                          BUCKET_ARN: !GetAtt Files.Arn
                          SUB: !Sub '${Files}/${Orders.QueueName}/${!Literal}/${AWS::Partition}.${AWS::URLSuffix}'
                          SUB_VARS: !Sub ['${Who}@${AWS::AccountId}', {Who: !Ref Stage}]
                          JOIN: !Join [':', [!Ref Stage, !Select [1, !Ref Zones]]]
                          SPLIT: !Select [2, !Split ['/', 'x/y/z']]
                          IF_DEV: !If [IsDev, dev-only, prod-only]
                          BOTH: !If [Both, both, not-both]
                          EITHER: !If [Either, either, neither]
                          REMOVED: !If [IsProd, kept, !Ref AWS::NoValue]
                """);
        SamTemplate template = SamTemplate.load(file);

        Map<String, String> env = new LocalNames(template, ENDPOINTS, Map.of()).functionEnvironment("Fn");
        assertEquals("arn:aws:dynamodb:us-east-1:000000000000:table/tally-table", env.get("TABLE_ARN"));
        assertTrue(env.get("STREAM_ARN").startsWith("arn:aws:dynamodb:us-east-1:000000000000:table/tally-table/stream/"));
        assertEquals("tally-dev-named", env.get("NAMED"));
        assertEquals("http://127.0.0.1:9324/000000000000/tally-orders.fifo", env.get("QUEUE_URL"));
        assertEquals("tally-orders.fifo", env.get("QUEUE_NAME"));
        assertEquals("arn:aws:s3:::tally-files", env.get("BUCKET_ARN"));
        assertEquals("tally-files/tally-orders.fifo/${Literal}/aws.amazonaws.com", env.get("SUB"));
        assertEquals("dev@000000000000", env.get("SUB_VARS"));
        assertEquals("dev:b", env.get("JOIN"));
        assertEquals("z", env.get("SPLIT"));
        assertEquals("dev-only", env.get("IF_DEV"));
        assertEquals("both", env.get("BOTH"));
        assertEquals("neither", env.get("EITHER"));
        assertFalse(env.containsKey("REMOVED"), "AWS::NoValue removes the variable");

        Map<String, String> prod = new LocalNames(template, ENDPOINTS, Map.of("Stage", "prod")).functionEnvironment("Fn");
        assertEquals("prod-only", prod.get("IF_DEV"));
        assertEquals("not-both", prod.get("BOTH"));
        assertEquals("either", prod.get("EITHER"));
        assertEquals("kept", prod.get("REMOVED"));
        assertEquals("tally-prod-named", prod.get("NAMED"));
    }
}
