package app.tally.local.contract;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * api/openapi.yaml as the tests read it: its operations, and a check of one HTTP response against what the document
 * says that operation answers. Schemas are validated by networknt's json-schema-validator with the OpenAPI 3.1
 * dialect, addressed by JSON pointer into the document so that its {@code $ref}s resolve as a client's would.
 */
public final class OpenApiDocument {
    public static final String FILE = "api/openapi.yaml";
    private static final String IRI = "https://tally.app/api/openapi.json";
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    private final JsonNode root;
    private final SchemaRegistry registry;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();
    /** Path templates, literal ones first, with the pattern a raw request path must match. */
    private final Map<String, Pattern> paths = new LinkedHashMap<>();

    /** An operation: "GET /transactions/{id}". */
    public record Operation(String method, String path) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private OpenApiDocument(JsonNode root) {
        this.root = root;
        String json = JsonMapper.shared().writeValueAsString(root);
        this.registry = SchemaRegistry.withDialect(Dialects.getOpenApi31(), builder -> builder
                .schemas(Map.of(IRI, json))
                .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
        root.path("paths").propertyNames().stream()
                .sorted(Comparator.comparingLong((String p) -> p.chars().filter(c -> c == '{').count())
                        .thenComparing(Comparator.naturalOrder()))
                .forEach(template -> paths.put(template, pattern(template)));
    }

    public static OpenApiDocument load(Path root) {
        try {
            return new OpenApiDocument(new YAMLMapper().readTree(Files.readString(root.resolve(FILE))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + FILE, e);
        }
    }

    public JsonNode root() {
        return root;
    }

    public Set<Operation> operations() {
        Set<Operation> operations = new TreeSet<>(Comparator.comparing(Operation::toString));
        root.path("paths").properties().forEach(path -> path.getValue().propertyNames().stream()
                .filter(METHODS::contains)
                .forEach(method -> operations.add(new Operation(method.toUpperCase(Locale.ROOT), path.getKey()))));
        return operations;
    }

    /** The documented operation a request reaches, if any. */
    public Optional<Operation> operationFor(String method, String rawPath) {
        String lower = method.toLowerCase(Locale.ROOT);
        for (Map.Entry<String, Pattern> path : paths.entrySet()) {
            if (path.getValue().matcher(rawPath).matches() && root.path("paths").path(path.getKey()).has(lower)) {
                return Optional.of(new Operation(method.toUpperCase(Locale.ROOT), path.getKey()));
            }
        }
        return Optional.empty();
    }

    /**
     * What is wrong with a response of the operation: a status it does not document, a media type it does not list, a
     * body that fails the schema, a required header that is missing or malformed. Empty when it conforms.
     */
    public List<String> check(Operation operation, int status, Map<String, String> headers, String body) {
        List<String> problems = new ArrayList<>();
        String operationPointer = "/paths/" + escape(operation.path()) + "/" + operation.method().toLowerCase(Locale.ROOT);
        JsonNode responses = root.at(operationPointer + "/responses");
        String responsePointer = operationPointer + "/responses/" + status;
        if (!responses.has(Integer.toString(status))) {
            if (!responses.has("default")) {
                problems.add(operation + " does not document status " + status);
                return problems;
            }
            responsePointer = operationPointer + "/responses/default";
        }
        JsonNode response = root.at(responsePointer);
        if (response.has("$ref")) {
            responsePointer = response.get("$ref").asString().substring(1);
            response = root.at(responsePointer);
        }
        String headersPointer = responsePointer + "/headers/";
        response.path("headers").properties().forEach(header -> {
            JsonNode spec = header.getValue();
            String pointer = headersPointer + escape(header.getKey());
            if (spec.has("$ref")) {
                pointer = spec.get("$ref").asString().substring(1);
                spec = root.at(pointer);
            }
            String value = header(headers, header.getKey());
            if (value == null) {
                if (spec.path("required").asBoolean(false)) {
                    problems.add(operation + " " + status + ": header " + header.getKey() + " is required");
                }
            } else {
                schema(pointer + "/schema").validate(JsonMapper.shared().getNodeFactory().stringNode(value))
                        .forEach(error -> problems.add(operation + " " + status + ": header " + header.getKey()
                                + " " + error));
            }
        });
        JsonNode content = response.path("content");
        boolean empty = body == null || body.isEmpty();
        if (content.isMissingNode() || content.isEmpty()) {
            if (!empty) {
                problems.add(operation + " " + status + " has no body in the document, got " + abbreviate(body));
            }
            return problems;
        }
        String contentType = header(headers, "Content-Type");
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!content.has(mediaType)) {
            problems.add(operation + " " + status + ": media type '" + mediaType + "' is not one of "
                    + content.propertyNames());
            return problems;
        }
        if (!mediaType.endsWith("json")) {
            return problems;
        }
        JsonNode instance;
        try {
            instance = JsonMapper.shared().readTree(empty ? "" : body);
        } catch (RuntimeException e) {
            problems.add(operation + " " + status + ": body is not JSON: " + abbreviate(body));
            return problems;
        }
        schema(responsePointer + "/content/" + escape(mediaType) + "/schema").validate(instance)
                .forEach(error -> problems.add(operation + " " + status + " " + mediaType + ": " + error));
        return problems;
    }

    /** Validates a value against the schema at a JSON pointer into the document; the messages of what fails. */
    public List<String> validate(String schemaPointer, JsonNode value) {
        return schema(schemaPointer).validate(value).stream().map(Object::toString).toList();
    }

    private Schema schema(String pointer) {
        return schemas.computeIfAbsent(pointer, p -> registry.getSchema(SchemaLocation.of(IRI + "#" + p)));
    }

    public static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    private static String header(Map<String, String> headers, String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    private static Pattern pattern(String template) {
        StringBuilder regex = new StringBuilder("^");
        for (String segment : template.substring(1).split("/", -1)) {
            regex.append('/').append(segment.startsWith("{") ? "[^/]+" : Pattern.quote(segment));
        }
        return Pattern.compile(regex.append('$').toString());
    }

    private static String abbreviate(String body) {
        return body.length() > 300 ? body.substring(0, 300) + "…" : body;
    }
}
