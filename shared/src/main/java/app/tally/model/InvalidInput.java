package app.tally.model;

import java.util.List;

/**
 * Input that does not describe a valid thing, with every bad field at once. The edge answers it with a 422 that lists
 * the fields; the importer turns it into the row's error.
 */
public final class InvalidInput extends RuntimeException {
    private final List<FieldError> errors;

    public InvalidInput(String detail, List<FieldError> errors) {
        super(detail, null, false, false);
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
