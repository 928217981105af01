package app.tally.local.push;

import app.tally.local.template.LocalNames;
import app.tally.local.template.SamTemplate;
import app.tally.local.template.SamTemplate.ResourceDef;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The WebSocket API of template.yaml as the local push socket serves it: its id and stage, the function of each route
 * (through the route's integration), which routes the REQUEST authorizer guards, and which answer the client (a route
 * response).
 *
 * @param authorizerFunction the authorizer's function, by logical id (null when no route needs one)
 * @param identityParameter  the query parameter the authorizer's identity source names (a request without it is 401)
 */
public record SocketApi(String apiId, String stage, String authorizerFunction, String identityParameter,
                        Map<String, Route> routes) {

    /** A route: its function by logical id; {@code authorized} when the authorizer guards it. */
    public record Route(String key, String function, boolean authorized, boolean twoWay) {
    }

    /** A Lambda invocation ARN names its function as ${Function.Arn} or ${FunctionAlias<name>} (SAM's alias). */
    private static final Pattern FUNCTION = Pattern.compile("\\$\\{([A-Za-z0-9]+?)(?:Alias[A-Za-z0-9]+|\\.Arn)}");
    private static final Pattern QUERY_SOURCE = Pattern.compile("route\\.request\\.querystring\\.(.+)");

    public static Optional<SocketApi> of(SamTemplate template, LocalNames names) {
        Map<String, ResourceDef> resources = template.resources();
        Optional<ResourceDef> api = resources.values().stream().filter(r -> r.type().equals("AWS::ApiGatewayV2::Api")
                && "WEBSOCKET".equals(r.properties().get("ProtocolType"))).findFirst();
        if (api.isEmpty()) {
            return Optional.empty();
        }
        String apiId = api.get().logicalId();
        List<ResourceDef> parts = resources.values().stream()
                .filter(r -> Map.of("Ref", apiId).equals(r.properties().get("ApiId"))).toList();
        String stage = parts.stream().filter(r -> r.type().equals("AWS::ApiGatewayV2::Stage")).findFirst()
                .map(r -> String.valueOf(r.properties().get("StageName"))).orElseThrow();
        Map<String, String> integrations = new LinkedHashMap<>();
        String authorizer = null;
        String identity = null;
        for (ResourceDef part : parts) {
            if (part.type().equals("AWS::ApiGatewayV2::Integration")) {
                integrations.put(part.logicalId(), function(part.properties().get("IntegrationUri")));
            } else if (part.type().equals("AWS::ApiGatewayV2::Authorizer")) {
                authorizer = function(part.properties().get("AuthorizerUri"));
                Matcher source = QUERY_SOURCE.matcher(String.valueOf(
                        ((List<?>) part.properties().get("IdentitySource")).get(0)));
                identity = source.matches() ? source.group(1) : null;
            }
        }
        Map<String, Route> routes = new LinkedHashMap<>();
        for (ResourceDef part : parts) {
            if (part.type().equals("AWS::ApiGatewayV2::Route")) {
                String target = String.valueOf(names.resolve(part.properties().get("Target")));
                String integration = target.substring(target.lastIndexOf('/') + 1);
                String function = integrations.entrySet().stream()
                        .filter(e -> names.physicalName(e.getKey()).equals(integration)).map(Map.Entry::getValue)
                        .findFirst().orElseThrow(() -> new IllegalArgumentException(part.logicalId() + ": " + target));
                boolean twoWay = parts.stream().anyMatch(r -> r.type().equals("AWS::ApiGatewayV2::RouteResponse")
                        && Map.of("Ref", part.logicalId()).equals(r.properties().get("RouteId")));
                String key = String.valueOf(part.properties().get("RouteKey"));
                routes.put(key, new Route(key, function, "CUSTOM".equals(part.properties().get("AuthorizationType")),
                        twoWay));
            }
        }
        return Optional.of(new SocketApi(names.physicalName(apiId), stage, authorizer, identity, routes));
    }

    private static String function(Object uri) {
        Object text = uri instanceof Map<?, ?> sub ? sub.get("Fn::Sub") : uri;
        Matcher matcher = FUNCTION.matcher(String.valueOf(text));
        if (!matcher.find()) {
            throw new IllegalArgumentException("no function in " + uri);
        }
        return matcher.group(1);
    }
}
