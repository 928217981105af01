package app.tally.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import java.util.HashMap;
import java.util.Map;

/** The sample events of the repository's events/ folder, loaded fresh for each test to change one thing. */
final class TestEvents {
    private TestEvents() {
    }

    static APIGatewayV2HTTPEvent load(String name) {
        APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent("../events/" + name + ".json");
        event.setHeaders(new HashMap<>(event.getHeaders()));
        return event;
    }

    static APIGatewayV2HTTPEvent withBody(String name, String contentType, String body) {
        APIGatewayV2HTTPEvent event = load(name);
        event.getHeaders().put("content-type", contentType);
        event.setBody(body);
        return event;
    }

    static APIGatewayV2HTTPEvent withClaims(String name, Map<String, String> claims) {
        APIGatewayV2HTTPEvent event = load(name);
        event.getRequestContext().getAuthorizer().getJwt().setClaims(claims);
        return event;
    }
}
