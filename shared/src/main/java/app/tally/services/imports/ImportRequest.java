package app.tally.services.imports;

import app.tally.json.Json;
import app.tally.model.FieldError;
import app.tally.model.InvalidInput;
import app.tally.services.Fields;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;

/**
 * An import as asked for: Tally's own CSV ({@code mapping} null) or a bank's CSV read through a mapping; a dry run
 * validates and reports without writing a transaction. {@code filename} is the client's name for the file, kept for
 * display only; {@code upload} says the client uploads the file itself with a presigned form.
 */
public record ImportRequest(ImportMapping mapping, boolean dryRun, String filename, boolean upload) {
    private static final Set<String> FIELDS = Set.of("filename", "mapping", "dryRun");
    private static final int MAX_FILENAME = 255;

    /** A CSV sent as the request body: options come from the query ({@code mapping}, {@code dryRun}). */
    public static ImportRequest forBody(String mappingParameter, String dryRunParameter) {
        Fields fields = new Fields();
        boolean dryRun = dryRun(dryRunParameter, fields);
        fields.throwIfAny();
        return new ImportRequest(mapping(mappingParameter), dryRun, "upload.csv", false);
    }

    /** {@code {"filename", "mapping"?, "dryRun"?}}: the client uploads the file to the URL it gets back. */
    public static ImportRequest forUpload(ObjectNode body, String dryRunParameter) {
        Fields fields = new Fields();
        fields.rejectUnknown(body, FIELDS);
        String filename = fields.text(body, "filename");
        if (filename == null) {
            fields.reject("filename", "is required");
        } else if (filename.isBlank() || filename.length() > MAX_FILENAME
                || filename.codePoints().anyMatch(Character::isISOControl)) {
            fields.reject("filename", "must be 1 to " + MAX_FILENAME + " printable characters");
        }
        boolean dryRun = dryRun(dryRunParameter, fields);
        JsonNode flag = body.get("dryRun");
        if (flag != null) {
            if (flag.isBoolean()) {
                dryRun = dryRun || flag.booleanValue();
            } else {
                fields.reject("dryRun", "must be true or false");
            }
        }
        fields.throwIfAny();
        JsonNode mapping = body.get("mapping");
        return new ImportRequest(mapping == null || mapping.isNull() ? null : ImportMapping.from(mapping), dryRun,
                filename.strip(), true);
    }

    private static boolean dryRun(String text, Fields fields) {
        if (text == null) {
            return false;
        }
        if (!text.equals("true") && !text.equals("false")) {
            fields.reject("dryRun", "must be true or false");
        }
        return text.equals("true");
    }

    private static ImportMapping mapping(String text) {
        if (text == null) {
            return null;
        }
        if (text.strip().startsWith("{")) {
            try {
                return ImportMapping.from(Json.parse(text));
            } catch (JsonProcessingException e) {
                throw new InvalidInput("The mapping is not valid.",
                        List.of(new FieldError("mapping", "is not valid JSON")));
            }
        }
        return ImportMapping.from(Json.MAPPER.getNodeFactory().textNode(text));
    }

    public ObjectNode toJson() {
        ObjectNode json = Json.object();
        json.put("format", mapping == null ? "tally" : "mapping");
        if (mapping != null) {
            json.set("mapping", mapping.toJson());
        }
        json.put("dryRun", dryRun);
        json.put("filename", filename);
        json.put("upload", upload);
        return json;
    }

    public static ImportRequest fromJson(String text) {
        try {
            JsonNode json = Json.parse(text);
            JsonNode mapping = json.get("mapping");
            return new ImportRequest(mapping == null ? null : ImportMapping.from(mapping),
                    json.path("dryRun").asBoolean(), json.path("filename").asText(), json.path("upload").asBoolean());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The stored import request is not JSON", e);
        }
    }
}
