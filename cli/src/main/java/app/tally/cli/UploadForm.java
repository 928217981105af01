package app.tally.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.UUID;

/**
 * The upload of an import's file with the presigned form {@code POST /imports} answered ({@code upload.url},
 * {@code upload.fields}): a multipart/form-data POST as a browser's form sends it, every field first and the file
 * last (S3 ignores fields after the file).
 */
public final class UploadForm {
    private UploadForm() {
    }

    /** The request that uploads {@code file} (named {@code filename}) with the form in {@code upload}. */
    public static HttpRequest request(JsonNode upload, String filename, HttpRequest.BodyPublisher file) {
        String boundary = "tally-" + UUID.randomUUID();
        StringBuilder head = new StringBuilder();
        upload.get("fields").properties().forEach(field -> head.append("--").append(boundary).append("\r\n")
                .append("Content-Disposition: form-data; name=\"").append(field.getKey()).append("\"\r\n\r\n")
                .append(field.getValue().asText()).append("\r\n"));
        head.append("--").append(boundary).append("\r\n")
                .append("Content-Disposition: form-data; name=\"file\"; filename=\"")
                .append(filename.replaceAll("[\"\\r\\n]", "_")).append("\"\r\n")
                .append("Content-Type: text/csv\r\n\r\n");
        return HttpRequest.newBuilder(URI.create(upload.get("url").asText()))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofString(head.toString()), file,
                        HttpRequest.BodyPublishers.ofString("\r\n--" + boundary + "--\r\n")))
                .build();
    }
}
