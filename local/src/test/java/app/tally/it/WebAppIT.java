package app.tally.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.tally.local.LocalStack;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The web app on the local stack: the gateway serves its local build at / and a demo token at /_local/token; headless
 * Chromium (Debian's chromium, driven by playwright-core through web/e2e/app.mjs) then uses it as a person would,
 * from sign-in to switching the language. Screenshots stay in web/target/screenshots (docs/web.md).
 */
class WebAppIT {
    private static final Path ROOT = LocalStack.root();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** The budget for the dashboard's first render, from navigation start, with nothing cached. */
    private static final long FIRST_RENDER_BUDGET_MS = 1000;

    private static HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(LocalApi.API.resolve(path)).method(method, HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @Test
    void theGatewayServesTheAppAndItsHashedAssetsWithoutAToken() throws Exception {
        HttpResponse<String> page = send("GET", "/");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
        Matcher script = Pattern.compile("src=\"(/assets/app-[A-Z0-9]+\\.js)\"").matcher(page.body());
        assertTrue(script.find(), page.body());
        HttpResponse<String> asset = send("GET", script.group(1));
        assertEquals(200, asset.statusCode());
        assertEquals("public, max-age=31536000, immutable", asset.headers().firstValue("Cache-Control").orElseThrow());
        assertEquals(404, send("GET", "/assets/..%2F..%2F..%2Ftemplate.yaml").statusCode());
        assertEquals(404, send("GET", "/assets/missing.js").statusCode());
        assertEquals(405, send("DELETE", "/").statusCode());
    }

    @Test
    void theLocalSignInGivesADemoTokenThatTheApiAccepts() throws Exception {
        assertEquals(405, send("GET", "/_local/token").statusCode());
        HttpResponse<String> issued = send("POST", "/_local/token");
        assertEquals(200, issued.statusCode());
        String token = LocalApi.JSON.readTree(issued.body()).get("token").asText();
        HttpResponse<String> me = HTTP.send(HttpRequest.newBuilder(LocalApi.API.resolve("/me"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, me.statusCode(), me.body());
        assertEquals("demo-user", LocalApi.JSON.readTree(me.body()).get("id").asText());
    }

    @Test
    void aPersonSignsInRecordsImportsExportsSeesLiveChangesAndSwitchesLanguage() throws Exception {
        String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
        assertTrue(Files.isExecutable(Path.of(chromium)), chromium + " is missing: ./tally test installs Debian's chromium");
        Path screenshots = ROOT.resolve("web/target/screenshots");
        Process node = new ProcessBuilder("node", "web/e2e/app.mjs", LocalApi.API.resolve("/").toString(), screenshots.toString())
                .directory(ROOT.toFile()).redirectErrorStream(true).start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(node.waitFor(300, TimeUnit.SECONDS), "the end-to-end run did not finish in 300 s");
        assertEquals(0, node.exitValue(), output);
        JsonNode figures = LocalApi.JSON.readTree(output.substring(output.lastIndexOf('\n') + 1));
        System.out.println("[web e2e] " + ((ObjectNode) figures.deepCopy()).without(List.of("screenshots")));

        assertTrue(figures.get("firstRenderMs").asLong() <= FIRST_RENDER_BUDGET_MS,
                "first dashboard render " + figures.get("firstRenderMs") + " ms");
        assertTrue(figures.get("fieldError").asText().contains("decimal"), figures.get("fieldError").asText());
        JsonNode summary = figures.get("importSummary");
        assertEquals("2,000", summary.get("total").asText());
        assertEquals("1,975", summary.get("imported").asText());
        assertEquals("25", summary.get("invalid").asText());
        JsonNode percents = figures.get("importPercents");
        assertEquals(100, percents.get(percents.size() - 1).asInt(), "the bar ends at 100%: " + percents);
        assertTrue(figures.get("exportRows").asInt() >= 1975, "exported rows " + figures.get("exportRows"));
        assertTrue(figures.get("liveMs").asLong() < 15_000, "another client's create showed after " + figures.get("liveMs"));
        for (String name : List.of("dashboard-en", "dashboard-zh-CN", "transactions-en", "transactions-zh-CN",
                "import-done-en", "export-en", "profile-zh-CN", "field-error-en", "field-error-zh-CN")) {
            for (String size : List.of("1280x800", "390x844")) {
                Path shot = screenshots.resolve(name + "-" + size + ".png");
                assertTrue(Files.isRegularFile(shot) && Files.size(shot) > 10_000, shot + " is missing or blank");
            }
        }
    }
}
