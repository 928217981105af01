package app.tally.local.gateway;

import app.tally.local.runtime.LocalContext;
import app.tally.local.template.SamTemplate;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves every HttpApi route of template.yaml as API Gateway (HTTP API, payload 2.0, JWT authorizer) would: checks the
 * bearer token, answers 401 itself when it is missing or bad, and otherwise invokes the route's handler class with an
 * {@link APIGatewayV2HTTPEvent}. Outside the API it serves the contract and its docs page ({@link ApiDocs}), the
 * web app ({@link WebApp}) and the local stack's own control endpoints ({@link LocalControl}).
 */
public final class LocalGateway implements AutoCloseable {
    /**
     * HTTP API's own limit on a request body (10 MB). Below it, Lambda's limit on the event ({@link InvokePayload});
     * below both, each handler's own (see {@code ImportRequests.MAX_BODY_BYTES}).
     */
    static final int MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
    /** HTTP API's answer to a body over its limit, and to one whose event Lambda refuses as too large. */
    private static final String TOO_LARGE = "{\"message\":\"Request Entity Too Large\"}";
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final Pattern TEXT_TYPES = Pattern.compile(
            "^(text/.*|application/(json|.*\\+json|xml|.*\\+xml|x-www-form-urlencoded|javascript)).*",
            Pattern.CASE_INSENSITIVE);

    private final HttpServer server;
    private final ExecutorService workers;
    private final List<Route> routes = new ArrayList<>();
    private final LocalJwt jwt;
    private final ApiDocs docs;
    private final LocalControl control;
    private final WebApp app;

    private record Route(String method, String path, Pattern pattern, List<String> parameters,
                         SamTemplate.FunctionDef function, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler) {
    }

    @SuppressWarnings("unchecked")
    public LocalGateway(SamTemplate template, Function<SamTemplate.FunctionDef, Object> handlers, LocalJwt jwt, int port,
                        Path root, Duration tokenValidity) throws IOException {
        this.jwt = jwt;
        this.docs = new ApiDocs(root);
        this.control = new LocalControl(template, handlers);
        this.app = new WebApp(root, jwt, tokenValidity);
        Map<String, Object> instances = new LinkedHashMap<>();
        for (SamTemplate.HttpRoute route : template.httpRoutes()) {
            SamTemplate.FunctionDef function = template.functions().stream()
                    .filter(f -> f.logicalId().equals(route.functionLogicalId())).findFirst().orElseThrow();
            Object handler = instances.computeIfAbsent(function.logicalId(), id -> handlers.apply(function));
            List<String> parameters = new ArrayList<>();
            Matcher names = Pattern.compile("\\{([^}/]+)}").matcher(route.path());
            StringBuilder regex = new StringBuilder("^");
            int last = 0;
            while (names.find()) {
                regex.append(Pattern.quote(route.path().substring(last, names.start()))).append("([^/]+)");
                parameters.add(names.group(1));
                last = names.end();
            }
            regex.append(Pattern.quote(route.path().substring(last))).append("$");
            routes.add(new Route(route.method().toUpperCase(Locale.ROOT), route.path(), Pattern.compile(regex.toString()),
                    parameters, function, (RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>) handler));
        }
        this.workers = Executors.newFixedThreadPool(64, runnable -> {
            Thread thread = new Thread(runnable, "gateway");
            thread.setDaemon(true);
            return thread;
        });
        // Without TCP_NODELAY the JDK server's separate header and body writes meet the client's delayed ACK: +40 ms.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
        server.setExecutor(workers);
        server.createContext("/", this::serve);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            String path = exchange.getRequestURI().getRawPath();
            if (control.serve(exchange, method, path) || docs.serve(exchange, method, path)
                    || app.serve(exchange, method, path)) {
                return;
            }
            Optional<Map.Entry<Route, Map<String, String>>> match;
            APIGatewayV2HTTPEvent event;
            try {
                match = match(method, path);
            } catch (IllegalArgumentException malformedEscape) {
                send(exchange, 400, Map.of("Content-Type", "application/json"), "{\"message\":\"Bad Request\"}");
                return;
            }
            if (match.isEmpty()) {
                send(exchange, 404, Map.of("Content-Type", "application/json"), "{\"message\":\"Not Found\"}");
                return;
            }
            Optional<Map<String, String>> claims = bearer(exchange).flatMap(jwt::verify);
            if (claims.isEmpty()) {
                send(exchange, 401, Map.of("Content-Type", "application/json", "WWW-Authenticate", "Bearer"),
                        "{\"message\":\"Unauthorized\"}");
                return;
            }
            byte[] body = readBody(exchange.getRequestBody());
            if (body == null) {
                send(exchange, 413, Map.of("Content-Type", "application/json"), TOO_LARGE);
                return;
            }
            Route route = match.get().getKey();
            try {
                event = event(exchange, route, match.get().getValue(), claims.get(), body);
            } catch (IllegalArgumentException malformedEscape) {
                send(exchange, 400, Map.of("Content-Type", "application/json"), "{\"message\":\"Bad Request\"}");
                return;
            }
            if (!InvokePayload.fits(event)) {
                // Lambda refuses the invoke (RequestEntityTooLarge) before the function runs.
                send(exchange, 413, Map.of("Content-Type", "application/json"), TOO_LARGE);
                return;
            }
            APIGatewayV2HTTPResponse response;
            try {
                response = route.handler().handleRequest(event,
                        new LocalContext(route.function().logicalId(), route.function().memoryMb(),
                                route.function().timeoutSeconds()));
            } catch (RuntimeException e) {
                // Lambda answers a function error with a bare 500; the handler's own mapping should prevent this.
                e.printStackTrace();
                send(exchange, 500, Map.of("Content-Type", "application/json"), "{\"message\":\"Internal Server Error\"}");
                return;
            }
            Map<String, String> headers = response.getHeaders() == null ? Map.of() : response.getHeaders();
            String responseBody = response.getBody();
            byte[] bytes = responseBody == null ? new byte[0]
                    : response.getIsBase64Encoded() ? Base64.getDecoder().decode(responseBody)
                    : responseBody.getBytes(StandardCharsets.UTF_8);
            send(exchange, response.getStatusCode(), headers, bytes);
        }
    }

    private Optional<Map.Entry<Route, Map<String, String>>> match(String method, String path) {
        for (Route route : routes) {
            Matcher matcher = route.pattern().matcher(path);
            if (route.method().equals(method) && matcher.matches()) {
                Map<String, String> parameters = new LinkedHashMap<>();
                for (int i = 0; i < route.parameters().size(); i++) {
                    parameters.put(route.parameters().get(i), decode(matcher.group(i + 1)));
                }
                return Optional.of(Map.entry(route, parameters));
            }
        }
        return Optional.empty();
    }

    private static Optional<String> bearer(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        return Optional.of(header.substring(7).trim());
    }

    /** The body, or null when it is larger than API Gateway accepts. */
    private static byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_PAYLOAD_BYTES + 1);
        return body.length > MAX_PAYLOAD_BYTES ? null : body;
    }

    private static APIGatewayV2HTTPEvent event(HttpExchange exchange, Route route, Map<String, String> pathParameters,
                                               Map<String, String> claims, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> cookies = new ArrayList<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("cookie")) {
                values.forEach(v -> cookies.addAll(List.of(v.split(";\\s*"))));
            } else {
                headers.put(lower, String.join(",", values));
            }
        });
        String rawQuery = Optional.ofNullable(exchange.getRequestURI().getRawQuery()).orElse("");
        Map<String, String> query = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            query.merge(name, value, (a, b) -> a + "," + b);
        }
        // A JSON event cannot carry bytes that are not UTF-8 as text: those reach the handler base64-encoded, exactly.
        boolean text = TEXT_TYPES.matcher(headers.getOrDefault("content-type", "")).matches() && isUtf8(body);
        Instant now = Instant.now();
        String routeKey = route.method() + " " + route.path();
        String requestId = UUID.randomUUID().toString();
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(routeKey)
                .withRawPath(exchange.getRequestURI().getRawPath())
                .withRawQueryString(rawQuery)
                .withCookies(cookies.isEmpty() ? null : cookies)
                .withHeaders(headers)
                .withQueryStringParameters(query.isEmpty() ? null : query)
                .withPathParameters(pathParameters.isEmpty() ? null : pathParameters)
                .withBody(body.length == 0 ? null : text ? new String(body, StandardCharsets.UTF_8)
                        : Base64.getEncoder().encodeToString(body))
                .withIsBase64Encoded(body.length > 0 && !text)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withAccountId("000000000000")
                        .withApiId("local")
                        .withDomainName("127.0.0.1")
                        .withDomainPrefix("local")
                        .withStage("$default")
                        .withRouteKey(routeKey)
                        .withRequestId(requestId)
                        .withTime(REQUEST_TIME.format(now))
                        .withTimeEpoch(now.toEpochMilli())
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(route.method())
                                .withPath(exchange.getRequestURI().getRawPath())
                                .withProtocol(exchange.getProtocol())
                                .withSourceIp(exchange.getRemoteAddress().getAddress().getHostAddress())
                                .withUserAgent(headers.getOrDefault("user-agent", ""))
                                .build())
                        .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                                .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                                        .withClaims(claims)
                                        .withScopes(null)
                                        .build())
                                .build())
                        .build())
                .build();
    }

    private static boolean isUtf8(byte[] body) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    static String decode(String raw) {
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    static void send(HttpExchange exchange, int status, Map<String, String> headers, String body) throws IOException {
        send(exchange, status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, Map<String, String> headers, byte[] body) throws IOException {
        headers.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        exchange.getResponseHeaders().add("apigw-requestid", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
