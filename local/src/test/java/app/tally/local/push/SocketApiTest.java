package app.tally.local.push;

import static org.junit.jupiter.api.Assertions.assertEquals;

import app.tally.local.LocalEndpoints;
import app.tally.local.LocalStack;
import app.tally.local.template.LocalNames;
import app.tally.local.template.SamTemplate;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SocketApiTest {
    @Test
    void theLocalSocketServesTheTemplatesRoutesWithTheirFunctionsAndAuthorizer() {
        SamTemplate template = LocalStack.template();
        URI nowhere = URI.create("http://127.0.0.1:1");
        SocketApi api = SocketApi.of(template, new LocalNames(template, new LocalEndpoints(nowhere, nowhere, nowhere),
                Map.of("CursorSecret", "x".repeat(40)))).orElseThrow();
        assertEquals("tally-push-api", api.apiId());
        assertEquals("live", api.stage());
        assertEquals("PushAuthorizerFunction", api.authorizerFunction());
        assertEquals("ticket", api.identityParameter());
        assertEquals(Map.of(
                "$connect", new SocketApi.Route("$connect", "PushSocketFunction", true, false),
                "$disconnect", new SocketApi.Route("$disconnect", "PushSocketFunction", false, false),
                "$default", new SocketApi.Route("$default", "PushSocketFunction", false, true)), api.routes());
    }
}
