package app.tally.model;

/** One bad field of a request, as listed in a 422 problem's {@code errors}. */
public record FieldError(String field, String reason) {
}
