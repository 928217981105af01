package app.tally.local.gateway;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The web app (web/, built by {@code node web/build.mjs} into web/dist/local) at {@code /}, and its local sign-in:
 * {@code POST /_local/token} answers a token for the demo user, as the app's "sign in as demo user" asks. Only the
 * local build has that button; the deployed build signs in through Cognito (docs/web.md).
 */
final class WebApp {
    static final String BUILD = "web/dist/local";
    static final String TOKEN_PATH = "/_local/token";
    static final String DEMO_USER = "demo-user";
    private static final Pattern ASSET = Pattern.compile("/assets/([A-Za-z0-9][A-Za-z0-9._-]*\\.(js|css|svg|map))");
    private static final Map<String, String> TYPES = Map.of("js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "svg", "image/svg+xml", "map", "application/json",
            "html", "text/html; charset=utf-8");

    private final Path build;
    private final LocalJwt jwt;
    private final Duration tokenValidity;

    WebApp(Path root, LocalJwt jwt, Duration tokenValidity) {
        this.build = root.resolve(BUILD);
        this.jwt = jwt;
        this.tokenValidity = tokenValidity;
    }

    /** Whether the path is the app's (answered here); false leaves it to the API routes. */
    boolean serve(HttpExchange exchange, String method, String path) throws IOException {
        if (path.equals(TOKEN_PATH)) {
            if (!method.equals("POST")) {
                send(exchange, 405, TYPES.get("html"), "POST only".getBytes(StandardCharsets.UTF_8));
            } else {
                String body = "{\"token\":\"" + jwt.issue(DEMO_USER, tokenValidity) + "\",\"user\":\"" + DEMO_USER + "\"}";
                send(exchange, 200, "application/json", body.getBytes(StandardCharsets.UTF_8));
            }
            return true;
        }
        boolean page = path.equals("/") || path.equals("/index.html");
        var asset = ASSET.matcher(path);
        if (!page && !asset.matches()) {
            return false;
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            send(exchange, 405, TYPES.get("html"), "GET only".getBytes(StandardCharsets.UTF_8));
            return true;
        }
        Path file = page ? build.resolve("index.html") : build.resolve("assets").resolve(asset.group(1));
        if (!Files.isRegularFile(file)) {
            String why = Files.isDirectory(build) ? "Not found"
                    : "The web app is not built: ./tally dev builds it (npm ci and node build.mjs in web/)";
            send(exchange, 404, "text/plain; charset=utf-8", why.getBytes(StandardCharsets.UTF_8));
            return true;
        }
        // The page names its assets by content hash: they never change, the page always may.
        String cache = page ? "no-cache" : "public, max-age=31536000, immutable";
        exchange.getResponseHeaders().add("Cache-Control", cache);
        send(exchange, 200, TYPES.get(page ? "html" : asset.group(2)), Files.readAllBytes(file));
        return true;
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", type);
        boolean head = exchange.getRequestMethod().equalsIgnoreCase("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
