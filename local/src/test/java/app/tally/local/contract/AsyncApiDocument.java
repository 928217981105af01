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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * api/asyncapi.yaml as the tests read it: the messages a client receives, by name (the {@code type} a message
 * carries), and a check of a received message against its payload schema. AsyncAPI 3.0's default schema format is
 * a superset of JSON Schema draft 7, which validates here, addressed by JSON pointer so the {@code $ref}s resolve.
 */
public final class AsyncApiDocument {
    public static final String FILE = "api/asyncapi.yaml";
    private static final String IRI = "https://tally.app/api/asyncapi.json";

    private final JsonNode root;
    private final SchemaRegistry registry;
    /** Payload schema pointers of the messages the server sends, by message name. */
    private final Map<String, String> received = new TreeMap<>();

    private AsyncApiDocument(JsonNode root) {
        this.root = root;
        this.registry = SchemaRegistry.withDialect(Dialects.getDraft7(), builder -> builder
                .schemas(Map.of(IRI, JsonMapper.shared().writeValueAsString(root)))
                .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
        root.path("operations").forEach(operation -> {
            if ("receive".equals(operation.path("action").asString())) {
                operation.path("messages").forEach(message -> addMessage(message));
            }
            operation.path("reply").path("messages").forEach(message -> addMessage(message));
        });
    }

    private void addMessage(JsonNode reference) {
        JsonNode message = at(at(reference.path("$ref").asString()).path("$ref").asString());
        received.put(message.path("name").asString(), message.path("payload").path("$ref").asString().substring(1));
    }

    private JsonNode at(String reference) {
        return root.at(reference.substring(1));
    }

    public static AsyncApiDocument load(Path root) {
        try {
            return new AsyncApiDocument(new YAMLMapper().readTree(Files.readString(root.resolve(FILE))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + FILE, e);
        }
    }

    /** The names of the messages a client receives (the values of their {@code type}). */
    public Map<String, String> receivedMessages() {
        return Map.copyOf(received);
    }

    /** What is wrong with a message the server sent (given as JSON text): empty when it conforms. */
    public List<String> check(String message) {
        JsonNode json = JsonMapper.shared().readTree(message);
        String pointer = received.get(json.path("type").asString());
        if (pointer == null) {
            return List.of("no message named " + json.path("type") + " in " + FILE + ": " + message);
        }
        Schema schema = registry.getSchema(SchemaLocation.of(IRI + "#" + pointer));
        return schema.validate(json).stream().map(error -> error + " in " + message).toList();
    }
}
