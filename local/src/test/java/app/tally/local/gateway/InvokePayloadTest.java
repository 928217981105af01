package app.tally.local.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.tally.services.imports.ImportRequests;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InvokePayloadTest {
    private static APIGatewayV2HTTPEvent event(String body, Map<String, String> headers) {
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0").withRouteKey("POST /imports").withRawPath("/imports").withRawQueryString("")
                .withHeaders(headers).withBody(body).withIsBase64Encoded(false)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withAccountId("000000000000").withApiId("local").withDomainName("127.0.0.1")
                        .withDomainPrefix("local").withStage("$default").withRouteKey("POST /imports")
                        .withRequestId("r").withTime("01/Dec/2026:11:00:00 +0000").withTimeEpoch(0)
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("POST")
                                .withPath("/imports").withProtocol("HTTP/1.1").withSourceIp("127.0.0.1")
                                .withUserAgent("test").build())
                        .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                                .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                                        .withClaims(Map.of("sub", "user-1")).build())
                                .build())
                        .build())
                .build();
    }

    @Test
    void aBodyIsCountedAsItsJsonEscapedString() {
        long plain = InvokePayload.bytes(event("ab", Map.of()));
        // A quote, CR and LF take two bytes each, another control character six, a CJK character its three of UTF-8.
        assertEquals(plain - 2 + 2 + 2 + 2 + 6 + 3, InvokePayload.bytes(event("\"\r\n\u0001餐", Map.of())));
        assertEquals("{\"sub\":\"user-1\"}", InvokePayload.json(event("ab", Map.of()))
                .at("/requestContext/authorizer/jwt/claims").toString());
    }

    @Test
    void aFiveMegabyteQuotedCrlfCsvGrowsPastLambdasLimit() {
        String row = "\"2026-01-03\",\"expense\",\"12.50\",\"EUR\",\"food\",\"a \"\"quoted\"\" note\"\r\n";
        String csv = row.repeat(5 * 1024 * 1024 / row.length());
        assertTrue(csv.length() <= 5 * 1024 * 1024 && csv.length() < 10 * 1024 * 1024);
        assertFalse(InvokePayload.fits(event(csv, Map.of("content-type", "text/csv"))));
    }

    @Test
    void everyBodyWithinTheImportLimitFitsEvenInTheWorstEscapingWithLargeHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "text/csv");
        headers.put("authorization", "Bearer " + "\"".repeat(8 * 1024));
        assertTrue(InvokePayload.fits(event("\u0001".repeat(ImportRequests.MAX_BODY_BYTES), headers)));
        assertFalse(InvokePayload.fits(event("\u0001".repeat(ImportRequests.MAX_BODY_BYTES + 60_000), headers)));
    }
}
