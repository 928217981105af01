package app.tally.local.push;

import app.tally.local.LocalEndpoints;
import app.tally.local.push.SocketEvents.Handshake;
import app.tally.local.runtime.LocalContext;
import app.tally.local.template.LocalNames;
import app.tally.local.template.SamTemplate;
import app.tally.local.template.SamTemplate.FunctionDef;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * The push socket of the local stack: template.yaml's WebSocket API ({@link SocketApi}) as API Gateway serves it, on
 * one port. A handshake at {@code /<api>/<stage>?ticket=..} runs the REQUEST authorizer (no ticket: 401; Deny: 403),
 * then $connect (a non-2xx answer refuses the handshake); each client message runs $default (a two-way route's answer
 * goes back to the client); a close runs $disconnect. Plain HTTP on {@code /<api>/<stage>/@connections/<id>} is the
 * @connections API ({@link ConnectionsApi}), so the push function's real management client reaches it with its
 * endpoint alone. Every handler runs with the events API Gateway sends, through the stack's function roles.
 */
public final class PushSocketServer implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SocketApi api;
    private final Function<FunctionDef, Object> handlers;
    private final Function<String, FunctionDef> functions;
    private final ServerSocket server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, SocketConnection> connections = new ConcurrentHashMap<>();
    private final ConnectionsApi connectionsApi = new ConnectionsApi(connections);

    public PushSocketServer(SocketApi api, Function<String, FunctionDef> functions,
                            Function<FunctionDef, Object> handlers, int port) throws IOException {
        this.api = api;
        this.functions = functions;
        this.handlers = handlers;
        this.server = new ServerSocket(port, 512, InetAddress.getLoopbackAddress());
        threads.execute(this::accept);
    }

    /**
     * Serves the template's WebSocket API on {@link LocalEndpoints#pushPort()}, where {@link LocalNames} puts its
     * ApiEndpoint.
     */
    public static PushSocketServer start(SamTemplate template, LocalNames names, Function<FunctionDef, Object> handlers)
            throws IOException {
        SocketApi api = SocketApi.of(template, names)
                .orElseThrow(() -> new IllegalStateException("template.yaml declares no WebSocket API"));
        Map<String, FunctionDef> byId = new HashMap<>();
        template.functions().forEach(function -> byId.put(function.logicalId(), function));
        return new PushSocketServer(api, byId::get, handlers, LocalEndpoints.pushPort());
    }

    /** The socket's URL as clients get it (the template's ApiEndpoint and stage). */
    public String url() {
        return "ws://127.0.0.1:" + server.getLocalPort() + "/" + api.apiId() + "/" + api.stage();
    }

    /** Live connections, for the benchmark's report. */
    public int connectionCount() {
        return connections.size();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                socket.setTcpNoDelay(true);
                threads.execute(() -> serve(socket));
            } catch (IOException e) {
                if (!server.isClosed()) {
                    System.err.println("[push] accept failed: " + e);
                }
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            String prefix = "/" + api.apiId() + "/" + api.stage();
            while (true) {
                HttpHead head = HttpHead.read(in);
                if (head == null) {
                    return;
                }
                if ("websocket".equalsIgnoreCase(head.header("upgrade"))) {
                    if (!head.path().equals(prefix) && !head.path().equals(prefix + "/")) {
                        HttpHead.respond(out, 403, Map.of(), "{\"message\":\"Forbidden\"}");
                        return;
                    }
                    upgrade(socket, head, in, out);
                    return;
                }
                byte[] body = in.readNBytes(head.contentLength());
                if (!connectionsApi.serve(head, body, prefix, out) || "close".equalsIgnoreCase(head.header("connection"))) {
                    return;
                }
            }
        } catch (IOException e) {
            // The client went away.
        }
    }

    private void upgrade(Socket socket, HttpHead head, InputStream in, OutputStream out) throws IOException {
        byte[] id = new byte[12];
        RANDOM.nextBytes(id);
        Handshake handshake = new Handshake(Base64.getEncoder().encodeToString(id), Instant.now(), head.headers(),
                head.query(), socket.getInetAddress().getHostAddress());
        SocketApi.Route connect = api.routes().get("$connect");
        Map<String, Object> authorizer = new HashMap<>();
        if (connect != null && connect.authorized()) {
            if (api.identityParameter() != null && handshake.query().get(api.identityParameter()) == null) {
                HttpHead.respond(out, 401, Map.of(), "{\"message\":\"Unauthorized\"}");
                return;
            }
            IamPolicyResponseV1 policy;
            try {
                policy = authorize(handshake);
            } catch (RuntimeException e) {
                e.printStackTrace();
                HttpHead.respond(out, 500, Map.of(), "{\"message\":\"Internal Server Error\"}");
                return;
            }
            if (!allows(policy)) {
                HttpHead.respond(out, 403, Map.of(), "{\"message\":\"Forbidden\"}");
                return;
            }
            authorizer.putAll(policy.getContext() == null ? Map.of() : policy.getContext());
            authorizer.put("principalId", policy.getPrincipalId());
        }
        if (connect != null) {
            APIGatewayV2WebSocketResponse answer = invoke(connect, handshake, authorizer, null);
            if (answer == null || answer.getStatusCode() < 200 || answer.getStatusCode() > 299) {
                int status = answer == null ? 500 : answer.getStatusCode();
                HttpHead.respond(out, status, Map.of(), "{\"message\":\"Forbidden\"}");
                return;
            }
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Upgrade", "websocket");
        headers.put("Connection", "Upgrade");
        headers.put("Sec-WebSocket-Accept", WebSocketFrames.acceptKey(head.header("sec-websocket-key")));
        HttpHead.respond(out, 101, headers, null);
        SocketConnection connection = new SocketConnection(handshake, out, head.header("user-agent"));
        connections.put(handshake.connectionId(), connection);
        try {
            listen(connection, handshake, authorizer, in);
        } finally {
            connections.remove(handshake.connectionId());
            SocketApi.Route disconnect = api.routes().get("$disconnect");
            if (disconnect != null) {
                invoke(disconnect, handshake, authorizer, null);
            }
        }
    }

    private void listen(SocketConnection connection, Handshake handshake, Map<String, Object> authorizer, InputStream in) {
        try {
            while (true) {
                WebSocketFrames.Frame frame = WebSocketFrames.read(in);
                connection.touch();
                switch (frame.opcode()) {
                    case WebSocketFrames.CLOSE -> {
                        connection.close(1000, "");
                        return;
                    }
                    case WebSocketFrames.PING -> connection.send(WebSocketFrames.PONG, frame.payload());
                    case WebSocketFrames.PONG -> {
                    }
                    default -> {
                        SocketApi.Route route = api.routes().get("$default");
                        if (route != null) {
                            APIGatewayV2WebSocketResponse answer = invoke(route, handshake, authorizer, frame.text());
                            if (route.twoWay() && answer != null && answer.getBody() != null) {
                                connection.sendText(answer.getBody());
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            connection.close(1006, "");
        }
    }

    @SuppressWarnings("unchecked")
    private IamPolicyResponseV1 authorize(Handshake handshake) {
        FunctionDef function = functions.apply(api.authorizerFunction());
        APIGatewayCustomAuthorizerEvent event = SocketEvents.authorizer(api, handshake);
        return ((RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponseV1>) handlers.apply(function))
                .handleRequest(event, new LocalContext(function.logicalId(), function.memoryMb(),
                        function.timeoutSeconds()));
    }

    private static boolean allows(IamPolicyResponseV1 policy) {
        Map<String, Object> document = policy == null ? null : policy.getPolicyDocument();
        if (document == null || !(document.get("Statement") instanceof Object[] || document.get("Statement") instanceof List<?>)) {
            return false;
        }
        List<?> statements = document.get("Statement") instanceof Object[] array ? List.of(array)
                : (List<?>) document.get("Statement");
        boolean allowed = false;
        for (Object statement : statements) {
            if (statement instanceof Map<?, ?> map) {
                if ("Deny".equals(map.get("Effect"))) {
                    return false;
                }
                allowed |= "Allow".equals(map.get("Effect"));
            }
        }
        return allowed;
    }

    @SuppressWarnings("unchecked")
    private APIGatewayV2WebSocketResponse invoke(SocketApi.Route route, Handshake handshake,
                                                 Map<String, Object> authorizer, String body) {
        FunctionDef function = functions.apply(route.function());
        try {
            return ((RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse>) handlers.apply(function))
                    .handleRequest(SocketEvents.route(api, handshake, authorizer, route.key(), body),
                            new LocalContext(function.logicalId(), function.memoryMb(), function.timeoutSeconds()));
        } catch (RuntimeException e) {
            e.printStackTrace();
            return null;
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        connections.values().forEach(connection -> connection.close(1001, "going away"));
        threads.shutdownNow();
    }
}
