package app.tally.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.tally.local.LocalStack;
import app.tally.local.contract.OpenApiDocument;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The gateway serves the contract and a docs page for it; headless Chromium (Debian's chromium, driven by
 * playwright-core through scripts/docs-page.mjs) renders the page, which must show every documented operation and
 * fetch nothing from another host. The screenshot stays in local/target/docs/docs-page.png.
 */
class DocsPageIT {
    private static final Path ROOT = LocalStack.root();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(LocalApi.API.resolve(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @Test
    void theDocumentIsServedAsYamlAndJsonWithoutAToken() throws Exception {
        HttpResponse<String> yaml = get("/openapi.yaml");
        assertEquals(200, yaml.statusCode());
        assertEquals(Files.readString(ROOT.resolve(OpenApiDocument.FILE)), yaml.body());
        HttpResponse<String> json = get("/openapi.json");
        assertEquals(200, json.statusCode());
        Object parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml.body());
        assertEquals(LocalApi.JSON.valueToTree(parsed), LocalApi.JSON.readTree(json.body()));
        assertEquals(404, get("/docs/..%2F..%2Ftemplate.yaml").statusCode());
    }

    @Test
    void theDocsPageRendersEveryRouteInHeadlessChromium() throws Exception {
        String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
        assertTrue(Files.isExecutable(Path.of(chromium)), chromium + " is missing: ./tally test installs Debian's "
                + "chromium (apt-get install chromium)");
        Path screenshot = ROOT.resolve("local/target/docs/docs-page.png");
        Files.createDirectories(screenshot.getParent());
        Files.deleteIfExists(screenshot);
        Process node = new ProcessBuilder("node", "scripts/docs-page.mjs", LocalApi.API.resolve("/docs").toString(),
                screenshot.toString()).directory(ROOT.toFile()).redirectErrorStream(true).start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(node.waitFor(90, TimeUnit.SECONDS), "the page did not render in 90 s");
        assertEquals(0, node.exitValue(), output);
        JsonNode page = LocalApi.JSON.readTree(output.substring(output.lastIndexOf('\n') + 1));

        Set<String> rendered = new TreeSet<>();
        page.get("operations").forEach(op -> rendered.add(op.asText()));
        Set<String> documented = LocalApi.CONTRACT.operations().stream().map(Object::toString)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(documented, rendered, "operations on the page");
        assertEquals("Tally API", page.get("title").asText());
        assertEquals(0, page.get("offsite").size(), "requests to other hosts: " + page.get("offsite"));
        assertEquals(0, page.get("errors").size(), "script errors: " + page.get("errors"));
        assertTrue(Files.size(screenshot) > 20_000, "screenshot " + screenshot + " is " + Files.size(screenshot) + " bytes");
    }
}
