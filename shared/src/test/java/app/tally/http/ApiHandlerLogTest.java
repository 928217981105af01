package app.tally.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.tally.json.Json;
import app.tally.model.FieldError;
import app.tally.telemetry.UserRef;
import app.tally.testing.ApiEvents;
import app.tally.testing.Stdout;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The one log line per request: what an operator needs, and nothing a log reader must not see. */
class ApiHandlerLogTest {
    private static final String SECRET_NOTE = "body-marker-7f3a9c";
    private static final String SIGNED_URL = "https://tally-files.s3.amazonaws.com/exports/x.csv?X-Amz-Signature=abc123";

    /** The sample event's real-shaped bearer token and claims, with a body that must never be logged. */
    private static APIGatewayV2HTTPEvent event() {
        return ApiEvents.withBody("create-transaction", "application/json",
                "{\"amount\":\"12.34\",\"type\":\"expense\",\"category\":\"x\",\"date\":\"2026-11-24\",\"note\":\""
                        + SECRET_NOTE + "\"}");
    }

    private static void assertClean(String line, APIGatewayV2HTTPEvent event) {
        String token = event.getHeaders().get("authorization").substring("Bearer ".length());
        String subject = event.getRequestContext().getAuthorizer().getJwt().getClaims().get("sub");
        String email = event.getRequestContext().getAuthorizer().getJwt().getClaims().get("email");
        assertTrue(token.length() > 100);
        for (String secret : List.of(token, token.substring(0, 40), token.split("\\.")[1].substring(0, 30),
                SECRET_NOTE, subject, email, "X-Amz-Signature", "amazonaws.com")) {
            assertFalse(line.contains(secret), "the log line contains " + secret + ": " + line);
        }
    }

    @Test
    void aRequestIsOneLineWithIdsRouteStatusLatencyAndAUserReference() throws Exception {
        APIGatewayV2HTTPEvent event = event();
        ApiHandlerTest.RouteHandler handler = new ApiHandlerTest.RouteHandler(request -> CompletableFuture.completedFuture(
                ApiResponse.json(201, request.jsonObject()).withHeader("Location", SIGNED_URL)));
        List<String> lines = Stdout.linesOf(() -> handler.handleRequest(event, new FakeContext(15_000)));
        assertEquals(1, lines.size(), lines.toString());
        JsonNode line = Json.parse(lines.get(0));
        assertEquals("INFO", line.get("level").asText());
        assertEquals("request", line.get("event").asText());
        assertEquals("POST /transactions", line.get("route").asText());
        assertEquals(201, line.get("status").asInt());
        assertTrue(line.get("latencyMs").isIntegralNumber());
        assertEquals(new FakeContext(0).getAwsRequestId(), line.get("requestId").asText());
        assertEquals(event.getRequestContext().getRequestId(), line.get("apiRequestId").asText());
        assertEquals(UserRef.of("6f1c9a2e-3b7d-4e58-9a0c-d2e4f6a8b0c1"), line.get("user").asText());
        assertTrue(line.get("timestamp").asText().endsWith("Z"));
        assertTrue(line.path("errorType").isMissingNode());
        assertClean(lines.get(0), event);
    }

    @Test
    void aFailureIsLoggedByItsTypeNeverItsMessage() throws Exception {
        APIGatewayV2HTTPEvent event = event();
        ApiHandlerTest.RouteHandler handler = new ApiHandlerTest.RouteHandler(request -> CompletableFuture.failedFuture(
                new IllegalStateException("cannot store " + request.body() + " at " + SIGNED_URL)));
        List<String> lines = Stdout.linesOf(() -> handler.handleRequest(event, new FakeContext(15_000)));
        JsonNode line = Json.parse(lines.get(0));
        assertEquals("ERROR", line.get("level").asText());
        assertEquals(500, line.get("status").asInt());
        assertEquals(IllegalStateException.class.getName(), line.get("errorType").asText());
        assertClean(lines.get(0), event);

        ApiHandlerTest.RouteHandler invalid = new ApiHandlerTest.RouteHandler(request -> {
            throw ApiException.unprocessable("bad " + request.body(), List.of(new FieldError("note", SECRET_NOTE)));
        });
        JsonNode problem = Json.parse(Stdout.linesOf(() -> invalid.handleRequest(event, null)).get(0));
        assertEquals("unprocessable-content", problem.get("errorType").asText());
        assertEquals(422, problem.get("status").asInt());
        assertClean(problem.toString(), event);
    }
}
