package app.tally.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.tally.json.Json;
import app.tally.model.FieldError;
import app.tally.testing.ApiEvents;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sqs.model.SqsException;

class ApiHandlerTest {

    /** An HTTP function whose route answers with whatever the test gives it (also used by ApiHandlerLogTest). */
    static final class RouteHandler extends ApiHandler {
        private final Function<ApiRequest, CompletableFuture<ApiResponse>> route;

        RouteHandler(Function<ApiRequest, CompletableFuture<ApiResponse>> route) {
            this.route = route;
        }

        @Override
        protected CompletableFuture<ApiResponse> handle(ApiRequest request) {
            return route.apply(request);
        }
    }

    /** A route that reads the JSON body and echoes it, as the real routes do first. */
    private static final RouteHandler ECHO = new RouteHandler(request ->
            CompletableFuture.completedFuture(ApiResponse.json(200, request.jsonObject())));

    private static JsonNode json(String body) throws Exception {
        return Json.parse(body);
    }

    private static JsonNode assertProblem(int status, APIGatewayV2HTTPResponse response) throws Exception {
        assertEquals(status, response.getStatusCode());
        assertEquals("application/problem+json", response.getHeaders().get("Content-Type"));
        assertFalse(response.getIsBase64Encoded());
        JsonNode problem = json(response.getBody());
        assertTrue(problem.path("type").textValue().startsWith("https://"), response.getBody());
        assertFalse(problem.path("title").asText().isBlank(), response.getBody());
        assertEquals(status, problem.path("status").intValue());
        assertFalse(problem.path("detail").asText().isBlank(), response.getBody());
        return problem;
    }

    private static APIGatewayV2HTTPEvent jsonEvent(String contentType, String body) {
        return ApiEvents.withBody("create-transaction", contentType, body);
    }

    static Stream<Arguments> badRequests() {
        APIGatewayV2HTTPEvent base64 = jsonEvent("application/json", "gA==");
        base64.setIsBase64Encoded(true);
        return Stream.of(
                Arguments.of("no claims", ApiEvents.withClaims("create-transaction", null), 401),
                Arguments.of("sub with #", ApiEvents.withClaims("create-transaction", Map.of("sub", "a#b")), 401),
                Arguments.of("300 KB body", jsonEvent("application/json", "x".repeat(300 * 1024)), 413),
                Arguments.of("invalid UTF-8", base64, 400),
                Arguments.of("text body", jsonEvent("text/plain", "{}"), 415),
                Arguments.of("malformed JSON", jsonEvent("application/json", "{\"amount\":"), 400),
                Arguments.of("duplicate keys", jsonEvent("application/json", "{\"a\":1,\"a\":1}"), 400),
                Arguments.of("trailing tokens", jsonEvent("application/json", "{\"a\":1}]"), 400),
                Arguments.of("deep nesting", jsonEvent("application/json", "[".repeat(33) + "]".repeat(33)), 400),
                Arguments.of("unpaired surrogate in a value",
                        jsonEvent("application/json", "{\"note\":\"a\\ud800b\"}"), 400),
                Arguments.of("unpaired low surrogate in a name",
                        jsonEvent("application/json", "{\"\\udc00\":1}"), 400),
                Arguments.of("reversed surrogate pair",
                        jsonEvent("application/json", "{\"note\":[\"\\udc00\\ud800\"]}"), 400));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badRequestIsAnsweredWithAProblem(String name, APIGatewayV2HTTPEvent event, int status) throws Exception {
        assertProblem(status, ECHO.handleRequest(event, new FakeContext(5000)));
    }

    @Test
    void aSurrogatePairSpelledWithEscapesIsOneCharacter() throws Exception {
        APIGatewayV2HTTPResponse response = ECHO.handleRequest(jsonEvent("application/json",
                "{\"note\":\"\\ud83d\\ude00\"}"), new FakeContext(5000));

        assertEquals(200, response.getStatusCode(), response.getBody());
        assertEquals("\uD83D\uDE00", json(response.getBody()).path("note").textValue());
    }

    @Test
    void goodRequestReachesTheRoute() throws Exception {
        APIGatewayV2HTTPResponse response = ECHO.handleRequest(ApiEvents.load("create-transaction"),
                new FakeContext(5000));

        assertEquals(200, response.getStatusCode());
        assertEquals("application/json", response.getHeaders().get("Content-Type"));
        assertEquals("12.34", json(response.getBody()).path("amount").textValue());
        assertEquals("餐饮", json(response.getBody()).path("category").textValue());
    }

    @Test
    void handlerWorksWithoutAContext() throws Exception {
        assertEquals(200, ECHO.handleRequest(ApiEvents.load("create-transaction"), null).getStatusCode());
    }

    @Test
    void unprocessableFieldsAreListedInErrors() throws Exception {
        RouteHandler handler = new RouteHandler(request -> CompletableFuture.failedFuture(ApiException.unprocessable(
                "The request has invalid fields.",
                List.of(new FieldError("amount", "must be greater than zero"), new FieldError("date", "is required")))));

        JsonNode problem = assertProblem(422, handler.handleRequest(ApiEvents.load("get-me"), new FakeContext(5000)));

        assertEquals("amount", problem.path("errors").get(0).path("field").textValue());
        assertEquals("must be greater than zero", problem.path("errors").get(0).path("reason").textValue());
        assertEquals("date", problem.path("errors").get(1).path("field").textValue());
    }

    @Test
    void unexpectedFailureInsideTheFutureIsABare500() throws Exception {
        RouteHandler handler = new RouteHandler(request -> CompletableFuture.supplyAsync(() -> {
            throw new IllegalStateException("table t is missing column secret_internal_detail");
        }));

        APIGatewayV2HTTPResponse response = handler.handleRequest(ApiEvents.load("get-me"), new FakeContext(5000));

        JsonNode problem = assertProblem(500, response);
        assertEquals("Something went wrong on our side.", problem.path("detail").textValue());
        assertFalse(response.getBody().contains("secret_internal_detail"), response.getBody());
        assertFalse(response.getBody().contains("IllegalStateException"), response.getBody());
        assertFalse(response.getBody().contains("\tat "), response.getBody());
        assertNull(problem.get("errors"));
    }

    @Test
    void unexpectedFailureThrownBeforeTheFutureIsABare500() throws Exception {
        RouteHandler handler = new RouteHandler(request -> {
            throw new NullPointerException("secret_internal_detail");
        });

        APIGatewayV2HTTPResponse response = handler.handleRequest(ApiEvents.load("get-me"), new FakeContext(5000));

        assertProblem(500, response);
        assertFalse(response.getBody().contains("secret_internal_detail"), response.getBody());
    }

    @Test
    void futureThatNeverCompletesIsAnswered503BeforeTheFunctionTimesOut() throws Exception {
        RouteHandler handler = new RouteHandler(request -> new CompletableFuture<>());

        long started = System.nanoTime();
        APIGatewayV2HTTPResponse response = handler.handleRequest(ApiEvents.load("get-me"), new FakeContext(700));
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

        assertProblem(503, response);
        assertEquals("1", response.getHeaders().get("Retry-After"));
        assertTrue(elapsedMillis >= 150 && elapsedMillis < 650, "answered after " + elapsedMillis + " ms");
    }

    @Test
    void dataStoreTimeoutsAndUnreachableStoreAreRetryable503s() throws Exception {
        for (RuntimeException failure : List.of(ApiCallTimeoutException.create(4000),
                SdkClientException.create("Unable to execute HTTP request: Connection refused"))) {
            RouteHandler handler = new RouteHandler(request -> CompletableFuture.failedFuture(failure));

            APIGatewayV2HTTPResponse response = handler.handleRequest(ApiEvents.load("get-me"), new FakeContext(5000));

            assertProblem(503, response);
            assertEquals("1", response.getHeaders().get("Retry-After"));
            assertFalse(response.getBody().contains("Connection refused"), response.getBody());
        }
    }

    @Test
    void throttlingAndServiceErrorsOfAnyAwsServiceAreRetryable503s() throws Exception {
        for (RuntimeException failure : List.of(
                DynamoDbException.builder().statusCode(500).awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode("InternalServerError").build()).build(),
                S3Exception.builder().statusCode(503).awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode("SlowDown").build()).build(),
                SqsException.builder().statusCode(400).awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode("RequestThrottled").build()).build())) {
            RouteHandler handler = new RouteHandler(request -> CompletableFuture.failedFuture(failure));

            APIGatewayV2HTTPResponse response = handler.handleRequest(ApiEvents.load("get-me"), new FakeContext(5000));

            assertProblem(503, response);
            assertEquals("1", response.getHeaders().get("Retry-After"));
        }
    }
}
