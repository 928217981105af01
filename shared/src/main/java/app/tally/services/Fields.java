package app.tally.services;

import app.tally.model.FieldError;
import app.tally.model.InvalidInput;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** Collects every bad field of a request, so that one 422 lists them all. */
public final class Fields {
    private final List<FieldError> errors = new ArrayList<>();

    public void reject(String field, String reason) {
        errors.add(new FieldError(field, reason));
    }

    /**
     * The value parsed, or null when it is absent or the parser rejects it (an IllegalArgumentException whose
     * message becomes the field's reason).
     */
    public <T> T parse(String field, String value, java.util.function.Function<String, T> parser) {
        if (value == null) {
            return null;
        }
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            reject(field, e.getMessage());
            return null;
        }
    }

    /** Rejects every field of the body that is not one of {@code known}. */
    public void rejectUnknown(ObjectNode body, Set<String> known) {
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                reject(name, "is not a known field");
            }
        }
    }

    /** The field's string value, or null when absent; a present non-string is rejected. */
    public String text(ObjectNode body, String name) {
        JsonNode node = body.get(name);
        if (node == null) {
            return null;
        }
        if (!node.isTextual()) {
            reject(name, "must be a string");
            return null;
        }
        return node.textValue();
    }

    public void throwIfAny() {
        if (!errors.isEmpty()) {
            throw new InvalidInput("The request has invalid fields.", errors);
        }
    }
}
