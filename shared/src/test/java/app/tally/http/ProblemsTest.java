package app.tally.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import app.tally.json.Json;
import app.tally.model.FieldError;
import app.tally.model.InvalidInput;
import app.tally.services.Refusal;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The edge's one mapping of the services' failures to problems: the statuses and texts the API has always had. */
class ProblemsTest {
    private static JsonNode body(ApiResponse response) throws Exception {
        return Json.parse(response.body());
    }

    @Test
    void invalidInputIsA422ListingEveryField() throws Exception {
        ApiResponse response = Problems.toResponse(new CompletionException(new InvalidInput("The request has invalid fields.",
                List.of(new FieldError("amount", "is required"), new FieldError("date", "must be a date")))));
        JsonNode body = body(response);
        assertEquals(422, response.status());
        assertEquals("application/problem+json", response.headers().get("Content-Type"));
        assertEquals("https://tally.app/problems/unprocessable-content", body.get("type").asText());
        assertEquals("The request has invalid fields.", body.get("detail").asText());
        assertEquals("date", body.get("errors").get(1).get("field").asText());
        assertEquals("is required", body.get("errors").get(0).get("reason").asText());
    }

    @Test
    void eachRefusalHasItsStatusTitleAndDetail() throws Exception {
        record Case(Refusal refusal, int status, String title, String detail) {
        }
        for (Case c : List.of(
                new Case(Refusal.malformed("limit must be a whole number from 1 to 200."), 400, "Bad Request",
                        "limit must be a whole number from 1 to 200."),
                new Case(Refusal.notFound("The job"), 404, "Not Found", "The job does not exist."),
                new Case(Refusal.conflict("Retry."), 409, "Conflict", "Retry."),
                new Case(Refusal.tooLarge(209_715_200, null), 413, "Content Too Large",
                        "The request body is larger than 209715200 bytes."),
                new Case(Refusal.unavailable("Retry shortly."), 503, "Service Unavailable", "Retry shortly."))) {
            ApiResponse response = Problems.toResponse(c.refusal());
            assertEquals(c.status(), response.status(), c.title());
            assertEquals(c.title(), body(response).get("title").asText());
            assertEquals(c.detail(), body(response).get("detail").asText());
            assertEquals(c.status() == 503 ? "1" : null, response.headers().get("Retry-After"), c.title());
        }
    }

    @Test
    void aRefusalIsLoggedByItsProblemAndAnythingElseByItsClass() {
        assertEquals("not-found", Problems.errorType(Refusal.notFound("The job")));
        assertEquals("unprocessable-content", Problems.errorType(new InvalidInput("x", List.of())));
        assertEquals(IllegalStateException.class.getName(), Problems.errorType(new IllegalStateException()));
        assertNull(Problems.toResponse(Refusal.notFound("x")).headers().get("Retry-After"));
    }
}
