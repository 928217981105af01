package app.tally.services.imports;

import app.tally.json.Json;
import app.tally.model.FieldError;
import app.tally.model.InvalidInput;
import app.tally.services.Fields;
import app.tally.services.imports.bills.BillProvider;
import app.tally.services.imports.bills.CategoryRules;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An import as asked for: a bank's CSV read through a {@code mapping}; a WeChat Pay or Alipay bill ({@code preset}
 * {@code wechat} or {@code alipay}); or, with neither, whatever the content is (Tally's CSV or a bill, see
 * {@link app.tally.services.imports.bills.BillSource}). {@code rules} put bill rows into the user's categories. A dry run validates and
 * reports without writing a transaction. {@code filename} is the client's name for the file, kept for display only;
 * {@code upload} says the client uploads the file itself with a presigned form.
 */
public record ImportRequest(ImportMapping mapping, BillProvider preset, CategoryRules rules, boolean dryRun,
                            String filename, boolean upload) {
    private static final Set<String> FIELDS = Set.of("filename", "mapping", "dryRun", "rules");
    private static final int MAX_FILENAME = 255;

    /** A file sent as the request body: options come from the query ({@code mapping}, {@code rules}, {@code dryRun}). */
    public static ImportRequest forBody(String mappingParameter, String rulesParameter, String dryRunParameter,
                                        String filename) {
        Fields fields = new Fields();
        boolean dryRun = dryRun(dryRunParameter, fields);
        fields.throwIfAny();
        BillProvider preset = BillProvider.fromWire(mappingParameter);
        JsonNode rules;
        try {
            rules = rulesParameter == null ? null : Json.parse(rulesParameter);
        } catch (JsonProcessingException e) {
            throw new InvalidInput("The rules are not valid.",
                    List.of(new FieldError("rules", "is not valid JSON")));
        }
        return new ImportRequest(preset == null ? mapping(mappingParameter) : null, preset, rules(rules), dryRun,
                filename, false);
    }

    private static CategoryRules rules(JsonNode node) {
        List<FieldError> errors = new ArrayList<>();
        CategoryRules rules = CategoryRules.from(node, errors);
        if (!errors.isEmpty()) {
            throw new InvalidInput("The rules are not valid.", errors);
        }
        return rules;
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
        BillProvider preset = mapping != null && mapping.isTextual() ? BillProvider.fromWire(mapping.textValue()) : null;
        CategoryRules rules = rules(body.get("rules"));
        return new ImportRequest(mapping == null || mapping.isNull() || preset != null ? null
                : ImportMapping.from(mapping), preset, rules, dryRun, filename.strip(), true);
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
        // "auto" until the worker has read the file and says what it found (see ImportWorker).
        json.put("format", mapping != null ? "mapping" : preset != null ? preset.wire() : "auto");
        if (mapping != null) {
            json.set("mapping", mapping.toJson());
        }
        if (preset != null) {
            json.put("preset", preset.wire());
        }
        if (!rules.rules().isEmpty()) {
            json.set("rules", rules.toJson());
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
                    BillProvider.fromWire(json.path("preset").asText()), rules(json.get("rules")),
                    json.path("dryRun").asBoolean(), json.path("filename").asText(), json.path("upload").asBoolean());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The stored import request is not JSON", e);
        }
    }
}
