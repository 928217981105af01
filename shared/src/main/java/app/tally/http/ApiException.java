package app.tally.http;

import app.tally.model.FieldError;
import java.util.List;
import java.util.Map;

/** A request that cannot be served, with the RFC 9457 problem it maps to. */
public class ApiException extends RuntimeException {
    private final int status;
    private final String title;
    private final List<FieldError> errors;
    private final Map<String, String> headers;

    public ApiException(int status, String title, String detail, List<FieldError> errors, Map<String, String> headers) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.errors = List.copyOf(errors);
        this.headers = Map.copyOf(headers);
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(400, "Bad Request", detail, List.of(), Map.of());
    }

    public static ApiException unauthorized() {
        return new ApiException(401, "Unauthorized", "A valid bearer token is required.", List.of(), Map.of());
    }

    public static ApiException notFound(String what) {
        return new ApiException(404, "Not Found", what + " does not exist.", List.of(), Map.of());
    }

    public static ApiException conflict(String detail) {
        return new ApiException(409, "Conflict", detail, List.of(), Map.of());
    }

    public static ApiException payloadTooLarge(int limitBytes) {
        return payloadTooLarge(limitBytes, null);
    }

    /** A 413 that also says where content this large goes instead ({@code instead} null: nowhere). */
    public static ApiException payloadTooLarge(int limitBytes, String instead) {
        return new ApiException(413, "Content Too Large", "The request body is larger than " + limitBytes + " bytes."
                + (instead == null ? "" : " " + instead), List.of(), Map.of());
    }

    public static ApiException unsupportedMediaType() {
        return unsupportedMediaType("application/json");
    }

    public static ApiException unsupportedMediaType(String accepted) {
        return new ApiException(415, "Unsupported Media Type",
                "The request body must be " + accepted + ".", List.of(), Map.of());
    }

    public static ApiException unprocessable(String detail, List<FieldError> errors) {
        return new ApiException(422, "Unprocessable Content", detail, errors, Map.of());
    }

    public static ApiException unavailable(String detail) {
        return new ApiException(503, "Service Unavailable", detail, List.of(), Map.of("Retry-After", "1"));
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public List<FieldError> errors() {
        return errors;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
