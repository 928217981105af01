package app.tally.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.tally.testing.ApiEvents;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ApiRequestTest {
    private static final String SUB = "6f1c9a2e-3b7d-4e58-9a0c-d2e4f6a8b0c1";

    private static int statusOf(Runnable action) {
        return assertThrows(ApiException.class, action::run).status();
    }

    private static ApiRequest jsonRequest(String body) {
        return ApiRequest.from(ApiEvents.withBody("create-transaction", "application/json", body));
    }

    @Test
    void userAndRequestPartsComeFromTheEvent() {
        ApiRequest request = ApiRequest.from(ApiEvents.load("list-transactions"));

        assertEquals(SUB, request.user());
        assertEquals("li.wei@example.com", request.claims().get("email"));
        assertEquals("GET /transactions", request.routeKey());
        assertEquals("/transactions", request.path());
        assertEquals(Optional.of("20"), request.query("limit"));
        assertEquals(Optional.empty(), request.query("cursor"));
        assertNull(request.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"get-me", "patch-me", "create-transaction", "list-transactions", "get-transaction",
            "patch-transaction", "delete-transaction"})
    void everySampleEventIsAnAuthenticatedRequestOfItsRoute(String name) {
        APIGatewayV2HTTPEvent event = ApiEvents.load(name);

        ApiRequest request = ApiRequest.from(event);

        assertEquals(SUB, request.user());
        assertEquals(event.getRequestContext().getRouteKey(), request.routeKey());
        assertEquals(event.getRequestContext().getHttp().getMethod(), request.routeKey().split(" ")[0]);
        assertEquals(event.getRequestContext().getHttp().getPath(), request.path());
        assertTrue(request.header("authorization").orElseThrow().startsWith("Bearer eyJ"));
        if (request.body() != null) {
            assertEquals(request.body().getBytes(StandardCharsets.UTF_8).length,
                    Integer.parseInt(request.header("content-length").orElseThrow()));
            assertTrue(request.jsonObject().size() > 0);
        }
    }

    @Test
    void pathParameterIsReadAndAMissingOneIsABadRequest() {
        ApiRequest request = ApiRequest.from(ApiEvents.load("get-transaction"));

        assertEquals("1D8C01M85W2Q0ER3D7JG6NCGEZ", request.pathParameter("id"));
        assertEquals(400, statusOf(() -> request.pathParameter("other")));
    }

    @Test
    void headersAreFoundWhateverTheirCase() {
        APIGatewayV2HTTPEvent event = ApiEvents.load("create-transaction");
        event.getHeaders().put("X-Custom-Header", "value");

        ApiRequest request = ApiRequest.from(event);

        assertEquals(Optional.of("value"), request.header("x-custom-header"));
        assertEquals(Optional.of("5d0f6c2e-8a41-4f0b-9c3d-2b7e1a9f4c60"), request.header("Idempotency-Key"));
    }

    @Test
    void eventWithoutClaimsIsUnauthorized() {
        assertEquals(401, statusOf(() -> ApiRequest.from(ApiEvents.withClaims("get-me", null))));
        assertEquals(401, statusOf(() -> ApiRequest.from(ApiEvents.withClaims("get-me", Map.of()))));
        APIGatewayV2HTTPEvent noAuthorizer = ApiEvents.load("get-me");
        noAuthorizer.getRequestContext().setAuthorizer(null);
        assertEquals(401, statusOf(() -> ApiRequest.from(noAuthorizer)));
        APIGatewayV2HTTPEvent noContext = ApiEvents.load("get-me");
        noContext.setRequestContext(null);
        assertEquals(401, statusOf(() -> ApiRequest.from(noContext)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"user#1", "U#victim#M#2026-11", "", " ", "a b", "user/../x", "名字"})
    void subjectThatCouldBreakKeysIsUnauthorized(String sub) {
        Map<String, String> claims = new HashMap<>(ApiEvents.load("get-me").getRequestContext().getAuthorizer()
                .getJwt().getClaims());
        claims.put("sub", sub);

        assertEquals(401, statusOf(() -> ApiRequest.from(ApiEvents.withClaims("get-me", claims))));
    }

    @Test
    void subjectLongerThan128CharactersIsUnauthorized() {
        assertEquals(401, statusOf(() -> ApiRequest.from(ApiEvents.withClaims("get-me", Map.of("sub", "a".repeat(129))))));
        assertEquals("a".repeat(128),
                ApiRequest.from(ApiEvents.withClaims("get-me", Map.of("sub", "a".repeat(128)))).user());
    }

    @Test
    void bodyOfExactly256KiBIsAcceptedAndOneByteMoreIsTooLarge() {
        String fits = "x".repeat(ApiRequest.MAX_BODY_BYTES);
        assertEquals(fits, ApiRequest.from(ApiEvents.withBody("create-transaction", "application/json", fits)).body());

        assertEquals(413, statusOf(() -> jsonRequest(fits + "x")));
    }

    @Test
    void aRouteWithAnotherWayForLargeBodiesSaysSoInIts413() {
        APIGatewayV2HTTPEvent event = ApiEvents.withBody("create-transaction", "text/csv", "x".repeat(11));

        ApiException problem = assertThrows(ApiException.class, () -> ApiRequest.from(event, 10, "Use the form.", false));

        assertEquals(413, problem.status());
        assertEquals("The request body is larger than 10 bytes. Use the form.", problem.getMessage());
    }

    @Test
    void bodyLimitCountsUtf8BytesNotCharacters() {
        String chinese = "餐".repeat(ApiRequest.MAX_BODY_BYTES / 3 + 1);
        assertTrue(chinese.length() < ApiRequest.MAX_BODY_BYTES);

        assertEquals(413, statusOf(() -> jsonRequest(chinese)));
    }

    @Test
    void base64BodyIsDecoded() {
        String json = "{\"category\":\"餐饮\"}";
        APIGatewayV2HTTPEvent event = ApiEvents.withBody("create-transaction", "application/json",
                Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)));
        event.setIsBase64Encoded(true);

        ApiRequest request = ApiRequest.from(event);

        assertEquals(json, request.body());
        assertEquals("餐饮", request.jsonObject().get("category").textValue());
    }

    @Test
    void base64BodyOverTheLimitIsTooLarge() {
        APIGatewayV2HTTPEvent event = ApiEvents.withBody("create-transaction", "application/json",
                Base64.getEncoder().encodeToString(new byte[ApiRequest.MAX_BODY_BYTES + 1]));
        event.setIsBase64Encoded(true);

        assertEquals(413, statusOf(() -> ApiRequest.from(event)));
    }

    @Test
    void invalidBase64IsABadRequest() {
        APIGatewayV2HTTPEvent event = ApiEvents.withBody("create-transaction", "application/json", "not base64!");
        event.setIsBase64Encoded(true);

        assertEquals(400, statusOf(() -> ApiRequest.from(event)));
    }

    @Test
    void invalidUtf8IsABadRequest() {
        byte[] latin1 = "{\"note\":\"café\"}".getBytes(StandardCharsets.ISO_8859_1);
        APIGatewayV2HTTPEvent event = ApiEvents.withBody("create-transaction", "application/json",
                Base64.getEncoder().encodeToString(latin1));
        event.setIsBase64Encoded(true);

        ApiException e = assertThrows(ApiException.class, () -> ApiRequest.from(event));
        assertEquals(400, e.status());
        assertEquals("The request body is not valid UTF-8.", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
            "application/jsonp", "application/xml", ""})
    void bodyThatIsNotJsonIsAnUnsupportedMediaType(String contentType) {
        ApiRequest request = ApiRequest.from(ApiEvents.withBody("create-transaction", contentType, "{}"));

        assertEquals(415, statusOf(request::jsonObject));
    }

    @Test
    void missingContentTypeIsAnUnsupportedMediaType() {
        APIGatewayV2HTTPEvent event = ApiEvents.load("create-transaction");
        event.getHeaders().remove("content-type");

        assertEquals(415, statusOf(ApiRequest.from(event)::jsonObject));
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "Application/JSON; charset=UTF-8", "application/merge-patch+json"})
    void jsonMediaTypesAreAccepted(String contentType) {
        ApiRequest request = ApiRequest.from(ApiEvents.withBody("create-transaction", contentType, "{\"a\":1}"));

        assertEquals(1, request.jsonObject().get("a").intValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"amount\":", "{'amount':'1'}", "{\"a\":1,\"a\":2}", "{\"a\":1} {\"b\":2}",
            "{\"a\":1} x", "[]", "\"text\"", "42", "null", "", "   "})
    void bodyThatIsNotOneJsonObjectIsABadRequest(String body) {
        assertEquals(400, statusOf(jsonRequest(body)::jsonObject));
    }

    @Test
    void nestingDeeperThan32IsABadRequest() {
        String deep = "{\"a\":".repeat(33) + "1" + "}".repeat(33);
        String allowed = "{\"a\":".repeat(32) + "1" + "}".repeat(32);

        assertEquals(400, statusOf(jsonRequest(deep)::jsonObject));
        assertTrue(jsonRequest(allowed).jsonObject().has("a"));
    }

    @Test
    void duplicateKeyIsNamedInTheDetail() {
        ApiException e = assertThrows(ApiException.class, jsonRequest("{\"amount\":\"1\",\"amount\":\"2\"}")::jsonObject);
        assertTrue(e.getMessage().contains("amount"), e.getMessage());
    }
}
