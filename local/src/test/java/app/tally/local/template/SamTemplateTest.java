package app.tally.local.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.tally.local.template.SamTemplate.FunctionDef;
import app.tally.local.template.SamTemplate.HttpRoute;
import app.tally.local.template.SamTemplate.SqsTrigger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SamTemplateTest {

    private static final Path PROJECT_TEMPLATE = TemplateFiles.projectTemplate();

    /** The template changes as functions are added, so counts are checked against a plain scan of its text. */
    @Test
    void findsEveryFunctionRouteAndResourceOfTheProjectTemplate() throws IOException {
        String text = Files.readString(PROJECT_TEMPLATE);
        SamTemplate template = SamTemplate.load(PROJECT_TEMPLATE);

        assertEquals(count(text, "^\\s+Type: AWS::Serverless::Function\\s*$"), template.functions().size());
        assertEquals(count(text, "^\\s+Type: HttpApi\\s*$"), template.httpRoutes().size());
        assertEquals(count(text, "^\\s+Type: SQS\\s*$"),
                template.functions().stream().mapToInt(f -> f.sqsTriggers().size()).sum());

        String resourcesSection = text.substring(text.indexOf("\nResources:"));
        Matcher nextSection = Pattern.compile("\n[A-Za-z]").matcher(resourcesSection.substring(1));
        String resourcesBlock = nextSection.find() ? resourcesSection.substring(0, nextSection.start() + 1)
                : resourcesSection;
        Matcher resourceIds = Pattern.compile("(?m)^  ([A-Za-z0-9]+):\\s*$").matcher(resourcesBlock);
        int resources = 0;
        while (resourceIds.find()) {
            assertTrue(template.resources().containsKey(resourceIds.group(1)), resourceIds.group(1));
            resources++;
        }
        assertEquals(resources, template.resources().size());

        for (FunctionDef function : template.functions()) {
            assertTrue(function.handlerClass().startsWith("app.tally.functions."), function.handlerClass());
            assertEquals("handleRequest", function.handlerMethod());
            assertTrue(Files.isDirectory(PROJECT_TEMPLATE.getParent().resolve(function.codeUri())), function.codeUri());
            for (HttpRoute route : function.httpRoutes()) {
                assertTrue(route.path().startsWith("/"), route.path());
                assertEquals(function.logicalId(), route.functionLogicalId());
            }
        }
    }

    @Test
    void profileFunctionTakesGlobalsAndKeepsIntrinsicsRaw() {
        SamTemplate template = SamTemplate.load(PROJECT_TEMPLATE);
        FunctionDef profile = function(template, "ProfileFunction");

        assertEquals("app.tally.functions.profile.ProfileHandler", profile.handlerClass());
        assertEquals("functions/profile/", profile.codeUri());
        assertEquals(Map.of("BuildMethod", "makefile"), profile.metadata());
        assertEquals(15, profile.timeoutSeconds());
        assertEquals(1024, profile.memoryMb());
        assertEquals(List.of("x86_64"), profile.architectures());
        assertEquals(Map.of("Ref", "Table"), profile.environment().get("TABLE_NAME"));
        assertEquals("-XX:+TieredCompilation -XX:TieredStopAtLevel=1", profile.environment().get("JAVA_TOOL_OPTIONS"));
        assertEquals(List.of(Map.of("Statement", List.of(Map.of("Effect", "Allow",
                        "Action", List.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"),
                        "Resource", Map.of("Fn::GetAtt", List.of("Table", "Arn")))))),
                profile.policies());
        assertTrue(template.httpRoutes().contains(new HttpRoute("GET", "/me", "ProfileFunction", "GetMe")));
        assertTrue(template.httpRoutes().contains(new HttpRoute("PATCH", "/me", "ProfileFunction", "PatchMe")));
    }

    @Test
    void resourcesParametersAndConditionsOfTheProjectTemplate() {
        SamTemplate template = SamTemplate.load(PROJECT_TEMPLATE);

        assertEquals("AWS::DynamoDB::Table", template.resources().get("Table").type());
        assertEquals("AWS::SQS::Queue", template.resources().get("ExportDeadLetterQueue").type());
        assertEquals("AWS::S3::Bucket", template.resources().get("FilesBucket").type());
        Map<?, ?> redrive = (Map<?, ?>) template.resources().get("ExportQueue").properties().get("RedrivePolicy");
        assertEquals(Map.of("Fn::GetAtt", List.of("ExportDeadLetterQueue", "Arn")), redrive.get("deadLetterTargetArn"));
        assertEquals(Map.of("Fn::Equals", List.of(Map.of("Ref", "JwtIssuer"), "")),
                template.conditions().get("UseCognito"));
        assertEquals("CNY", ((Map<?, ?>) template.parameters().get("DefaultCurrency")).get("Default"));
    }

    @Test
    void turnsEveryShortFormTagIntoItsLongForm(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("template.yaml");
        Files.writeString(file, """
                Resources:
                  Thing:
                    Type: Custom::Thing
                    Properties:
                      Ref: !Ref Other
                      GetAttScalar: !GetAtt Db.Endpoint.Address
                      GetAttList: !GetAtt [Queue, Arn]
                      Sub: !Sub '${AWS::Region}-x'
                      SubList: !Sub ['${A}', {A: !Ref Other}]
                      If: !If [Cond, a, b]
                      Equals: !Equals [a, b]
                      Join: !Join ['-', [a, !Ref Other]]
                      Select: !Select [0, !Split [',', 'a,b']]
                      FindInMap: !FindInMap [M, K, V]
                      GetAZs: !GetAZs ''
                      ImportValue: !ImportValue Exported
                      Logic: !And [!Not [!Condition Cond], !Or [!Condition A, !Condition B]]
                      Base64: !Base64 text
                      Cidr: !Cidr [10.0.0.0/16, 4, 8]
                """);
        Map<String, Object> p = SamTemplate.load(file).resources().get("Thing").properties();

        assertEquals(Map.of("Ref", "Other"), p.get("Ref"));
        assertEquals(Map.of("Fn::GetAtt", List.of("Db", "Endpoint.Address")), p.get("GetAttScalar"));
        assertEquals(Map.of("Fn::GetAtt", List.of("Queue", "Arn")), p.get("GetAttList"));
        assertEquals(Map.of("Fn::Sub", "${AWS::Region}-x"), p.get("Sub"));
        assertEquals(Map.of("Fn::Sub", List.of("${A}", Map.of("A", Map.of("Ref", "Other")))), p.get("SubList"));
        assertEquals(Map.of("Fn::If", List.of("Cond", "a", "b")), p.get("If"));
        assertEquals(Map.of("Fn::Equals", List.of("a", "b")), p.get("Equals"));
        assertEquals(Map.of("Fn::Join", List.of("-", List.of("a", Map.of("Ref", "Other")))), p.get("Join"));
        assertEquals(Map.of("Fn::Select", List.of(0, Map.of("Fn::Split", List.of(",", "a,b")))), p.get("Select"));
        assertEquals(Map.of("Fn::FindInMap", List.of("M", "K", "V")), p.get("FindInMap"));
        assertEquals(Map.of("Fn::GetAZs", ""), p.get("GetAZs"));
        assertEquals(Map.of("Fn::ImportValue", "Exported"), p.get("ImportValue"));
        assertEquals(Map.of("Fn::And", List.of(
                Map.of("Fn::Not", List.of(Map.of("Condition", "Cond"))),
                Map.of("Fn::Or", List.of(Map.of("Condition", "A"), Map.of("Condition", "B"))))), p.get("Logic"));
        assertEquals(Map.of("Fn::Base64", "text"), p.get("Base64"));
        assertEquals(Map.of("Fn::Cidr", List.of("10.0.0.0/16", 4, 8)), p.get("Cidr"));
    }

    @Test
    void functionSettingsOverrideGlobalsAndSqsEventsHaveLambdaDefaults(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("template.yaml");
        Files.writeString(file, """
                Globals:
                  Function:
                    Timeout: 20
                    MemorySize: 512
                    Environment:
                      Variables:
                        SHARED: global
                        LEVEL: global
                Resources:
                  Queue:
                    Type: AWS::SQS::Queue
                  Worker:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: example.Worker
                      Timeout: 60
                      Architectures: [arm64]
                      Environment:
                        Variables:
                          LEVEL: function
                      Events:
                        Jobs:
                          Type: SQS
                          Properties:
                            Queue: !GetAtt Queue.Arn
                        Tuned:
                          Type: SQS
                          Properties:
                            Queue: !GetAtt [Queue, Arn]
                            BatchSize: 5
                            MaximumBatchingWindowInSeconds: 2
                            FunctionResponseTypes: [ReportBatchItemFailures]
                            ScalingConfig:
                              MaximumConcurrency: 7
                        Everything:
                          Type: HttpApi
                """);
        FunctionDef worker = function(SamTemplate.load(file), "Worker");

        assertEquals("example.Worker", worker.handlerClass());
        assertEquals("handleRequest", worker.handlerMethod());
        assertEquals(60, worker.timeoutSeconds());
        assertEquals(512, worker.memoryMb());
        assertEquals(List.of("arm64"), worker.architectures());
        assertEquals(Map.of("SHARED", "global", "LEVEL", "function"), worker.environment());
        assertEquals(List.of(new SqsTrigger("Worker", "Queue", 10, false, 0, 2),
                new SqsTrigger("Worker", "Queue", 5, true, 2, 7)), worker.sqsTriggers());
        assertEquals(List.of(new HttpRoute("ANY", "$default", "Worker", "Everything")), worker.httpRoutes());
        assertTrue(worker.policies().isEmpty());
    }

    @Test
    void rejectsAnSqsEventOnAQueueOutsideTheTemplate(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("template.yaml");
        Files.writeString(file, """
                Resources:
                  Worker:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: example.Worker::handle
                      Events:
                        Jobs:
                          Type: SQS
                          Properties:
                            Queue: arn:aws:sqs:us-east-1:123456789012:elsewhere
                """);
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> SamTemplate.load(file).functions());
        assertFalse(error.getMessage().isBlank());
    }

    private static FunctionDef function(SamTemplate template, String logicalId) {
        return template.functions().stream().filter(f -> f.logicalId().equals(logicalId)).findFirst().orElseThrow();
    }

    private static int count(String text, String regex) {
        Matcher matcher = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }
}
