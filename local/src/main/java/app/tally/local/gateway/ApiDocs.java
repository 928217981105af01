package app.tally.local.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The API's contract and a page to browse it, outside every template route and without a token: {@code /openapi.yaml}
 * (api/openapi.yaml as it is), {@code /openapi.json} (the same as JSON) and {@code /docs}, Swagger UI served from the
 * npm package swagger-ui-dist in node_modules (installed by {@code npm ci}; nothing comes from a CDN).
 */
final class ApiDocs {
    static final String DOCUMENT = "api/openapi.yaml";
    private static final Pattern ASSET = Pattern.compile("/docs/([a-z0-9][a-z0-9.-]*\\.(js|css|png|map))");
    private static final Map<String, String> TYPES = Map.of("js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "png", "image/png", "map", "application/json");

    private final Path root;

    ApiDocs(Path root) {
        this.root = root;
    }

    /** Whether the path is one of the docs' (answered here); false leaves it to the API routes. */
    boolean serve(HttpExchange exchange, String method, String path) throws IOException {
        if (!path.equals("/openapi.yaml") && !path.equals("/openapi.json") && !path.equals("/docs")
                && !path.startsWith("/docs/")) {
            return false;
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            send(exchange, 405, "text/plain; charset=utf-8", "GET only".getBytes(StandardCharsets.UTF_8));
            return true;
        }
        switch (path) {
            case "/openapi.yaml" -> send(exchange, 200, "application/yaml; charset=utf-8",
                    Files.readAllBytes(root.resolve(DOCUMENT)));
            case "/openapi.json" -> send(exchange, 200, "application/json", json());
            case "/docs", "/docs/", "/docs/index.html" -> send(exchange, 200, "text/html; charset=utf-8", page());
            default -> asset(exchange, path);
        }
        return true;
    }

    private byte[] json() throws IOException {
        Object document = new Yaml(new SafeConstructor(new LoaderOptions()))
                .load(Files.readString(root.resolve(DOCUMENT)));
        return new ObjectMapper().writeValueAsBytes(document);
    }

    private static byte[] page() throws IOException {
        try (InputStream in = ApiDocs.class.getResourceAsStream("docs.html")) {
            return in.readAllBytes();
        }
    }

    private void asset(HttpExchange exchange, String path) throws IOException {
        var match = ASSET.matcher(path);
        Path file = match.matches() ? root.resolve("node_modules/swagger-ui-dist").resolve(match.group(1)) : null;
        if (file == null || !Files.isRegularFile(file)) {
            String why = Files.isDirectory(root.resolve("node_modules/swagger-ui-dist")) ? "Not found"
                    : "swagger-ui-dist is not installed: run npm ci";
            send(exchange, 404, "text/plain; charset=utf-8", why.getBytes(StandardCharsets.UTF_8));
            return;
        }
        send(exchange, 200, TYPES.get(match.group(2)), Files.readAllBytes(file));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.getResponseHeaders().add("Cache-Control", "no-cache");
        boolean head = exchange.getRequestMethod().equalsIgnoreCase("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
