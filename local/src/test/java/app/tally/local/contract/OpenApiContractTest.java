package app.tally.local.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.tally.local.LocalStack;
import app.tally.local.contract.OpenApiDocument.Operation;
import app.tally.local.template.SamTemplate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * api/openapi.yaml and template.yaml describe the same API: the same routes both ways, examples that pass their own
 * schemas, request examples that are the sample events' bodies, and a response check that rejects what the document
 * does not allow.
 */
class OpenApiContractTest {
    private static final Path ROOT = LocalStack.root();
    private static final OpenApiDocument DOCUMENT = OpenApiDocument.load(ROOT);
    private static final SamTemplate TEMPLATE = SamTemplate.load(ROOT.resolve("template.yaml"));

    @Test
    void everyTemplateRouteIsDocumentedAndEveryDocumentedOperationIsARoute() {
        Set<String> routes = TEMPLATE.httpRoutes().stream().map(r -> r.method() + " " + r.path())
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> documented = DOCUMENT.operations().stream().map(Operation::toString)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> undocumented = new TreeSet<>(routes);
        undocumented.removeAll(documented);
        Set<String> unrouted = new TreeSet<>(documented);
        unrouted.removeAll(routes);
        assertTrue(undocumented.isEmpty(), "routes of template.yaml missing from " + OpenApiDocument.FILE + ": "
                + undocumented);
        assertTrue(unrouted.isEmpty(), "operations of " + OpenApiDocument.FILE + " that template.yaml does not route: "
                + unrouted);
        assertEquals(16, routes.size());
    }

    @Test
    void everyOperationRequiresTheBearerTokenAndDocumentsItsErrors() {
        assertEquals("bearer", DOCUMENT.root().at("/components/securitySchemes/bearer/scheme").asString());
        assertTrue(DOCUMENT.root().at("/security/0").has("bearer"));
        for (Operation operation : DOCUMENT.operations()) {
            JsonNode responses = responses(operation);
            for (String status : List.of("401", "429", "500", "503")) {
                assertTrue(responses.has(status), operation + " does not document " + status);
            }
            assertFalse(responses.path("200").isMissingNode() && responses.path("201").isMissingNode()
                    && responses.path("202").isMissingNode() && responses.path("204").isMissingNode(),
                    operation + " documents no success");
        }
    }

    @Test
    void everyExampleInTheDocumentPassesItsOwnSchema() {
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (String pointer : mediaTypePointers(DOCUMENT.root(), "")) {
            JsonNode media = DOCUMENT.root().at(pointer);
            if (!pointer.endsWith("json")) {
                continue;
            }
            List<JsonNode> examples = new ArrayList<>();
            if (media.has("example")) {
                examples.add(media.get("example"));
            }
            media.path("examples").forEach(example -> examples.add(example.has("$ref")
                    ? DOCUMENT.root().at(example.get("$ref").asString().substring(1)).get("value")
                    : example.get("value")));
            for (JsonNode example : examples) {
                checked++;
                DOCUMENT.validate(pointer + "/schema", example).forEach(error -> failures.add(pointer + ": " + error));
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertTrue(checked >= 15, "only " + checked + " examples");
    }

    /** Each request example is the body of the route's sample event in events/, so they cannot drift apart. */
    @Test
    void requestExamplesAreTheBodiesOfTheSampleEvents() throws IOException {
        int compared = 0;
        try (Stream<Path> files = Files.list(ROOT.resolve("events"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                JsonNode event = JsonMapper.shared().readTree(Files.readString(file));
                if (!event.has("routeKey") || event.path("body").isNull() || event.path("body").isMissingNode()) {
                    continue;
                }
                String[] route = event.get("routeKey").asString().split(" ", 2);
                String mediaType = event.at("/headers/content-type").asString().split(";")[0].trim();
                JsonNode example = DOCUMENT.root().at("/paths/" + OpenApiDocument.escape(route[1]) + "/"
                        + route[0].toLowerCase(Locale.ROOT) + "/requestBody/content/" + OpenApiDocument.escape(mediaType)
                        + "/example");
                assertFalse(example.isMissingNode(), file.getFileName() + ": no " + mediaType + " request example for "
                        + event.get("routeKey").asString());
                String body = event.get("body").asString();
                if (mediaType.endsWith("json")) {
                    assertEquals(JsonMapper.shared().readTree(body), example, file.getFileName().toString());
                } else {
                    assertEquals(body, example.asString(), file.getFileName().toString());
                }
                compared++;
            }
        }
        assertEquals(6, compared);
    }

    @Test
    void aResponseThatBreaksTheDocumentIsRejected() {
        Operation get = DOCUMENT.operationFor("GET", "/transactions/1D8C01M85W2Q0ER3D7JG6NCGEZ").orElseThrow();
        assertEquals("GET /transactions/{id}", get.toString());
        Map<String, String> json = Map.of("Content-Type", "application/json");
        String good = "{\"id\":\"1D8C01M85W2Q0ER3D7JG6NCGEZ\",\"date\":\"2026-11-24\",\"type\":\"expense\",\"amount\":\"12.34\","
                + "\"currency\":\"CNY\",\"category\":\"餐饮\",\"note\":\"\",\"tags\":[],\"createdAt\":\"2026-11-24T04:12:54.875Z\","
                + "\"updatedAt\":\"2026-11-24T04:12:54.875Z\"}";
        assertEquals(List.of(), DOCUMENT.check(get, 200, json, good));
        assertFalse(DOCUMENT.check(get, 200, json, good.replace("\"12.34\"", "12.34")).isEmpty(), "a number amount");
        assertFalse(DOCUMENT.check(get, 200, json, good.replace("\"type\":\"expense\",", "")).isEmpty(), "no type");
        assertFalse(DOCUMENT.check(get, 200, json, good.replace("2026-11-24\"", "2026-13-24\"")).isEmpty(), "a bad date");
        assertFalse(DOCUMENT.check(get, 200, Map.of("Content-Type", "text/plain"), good).isEmpty(), "another media type");
        assertFalse(DOCUMENT.check(get, 418, json, good).isEmpty(), "an undocumented status");
        assertFalse(DOCUMENT.check(get, 404, Map.of("Content-Type", "application/problem+json"),
                "{\"title\":\"Not Found\",\"status\":404}").isEmpty(), "a problem without type and detail");
        Operation create = DOCUMENT.operationFor("POST", "/transactions").orElseThrow();
        assertFalse(DOCUMENT.check(create, 201, json, good).isEmpty(), "a 201 without Location");
        assertEquals(List.of(), DOCUMENT.check(create, 201,
                Map.of("Content-Type", "application/json", "Location", "/transactions/1D8C01M85W2Q0ER3D7JG6NCGEZ"), good));
        Operation delete = DOCUMENT.operationFor("DELETE", "/transactions/x").orElseThrow();
        assertEquals(List.of(), DOCUMENT.check(delete, 204, Map.of(), ""));
        assertFalse(DOCUMENT.check(delete, 204, json, "{}").isEmpty(), "a body on 204");
        assertTrue(DOCUMENT.operationFor("PUT", "/me").isEmpty());
        assertTrue(DOCUMENT.operationFor("GET", "/jobs/x/errors/y").isEmpty());
    }

    private static JsonNode responses(Operation operation) {
        return DOCUMENT.root().at("/paths/" + OpenApiDocument.escape(operation.path()) + "/"
                + operation.method().toLowerCase(Locale.ROOT) + "/responses");
    }

    /** JSON pointers of every media type object (under a {@code content} map) in the document. */
    private static List<String> mediaTypePointers(JsonNode node, String pointer) {
        List<String> found = new ArrayList<>();
        node.properties().forEach(entry -> {
            String child = pointer + "/" + OpenApiDocument.escape(entry.getKey());
            if (entry.getKey().equals("content") && entry.getValue().isObject() && !pointer.endsWith("/examples")) {
                entry.getValue().propertyNames().forEach(media -> found.add(child + "/" + OpenApiDocument.escape(media)));
            } else if (entry.getValue().isObject()) {
                found.addAll(mediaTypePointers(entry.getValue(), child));
            }
        });
        return found;
    }
}
