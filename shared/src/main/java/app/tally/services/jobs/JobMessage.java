package app.tally.services.jobs;

import app.tally.json.Json;
import app.tally.model.JobKind;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * The SQS message that starts a job: who asked and which job. The worker trusts nothing else in it: the job item,
 * read from the user's own partition, says what to do.
 */
public record JobMessage(String user, String jobId, JobKind kind) {

    public String toJson() {
        ObjectNode json = Json.object();
        json.put("user", user);
        json.put("jobId", jobId);
        json.put("kind", kind.wire());
        return Json.write(json);
    }

    /** The message, or empty when the body is not one (such a message can never succeed: it is logged and dropped). */
    public static Optional<JobMessage> parse(String body) {
        try {
            JsonNode json = Json.parse(body);
            String user = json.path("user").textValue();
            String jobId = json.path("jobId").textValue();
            String kind = json.path("kind").textValue();
            if (user == null || user.isEmpty() || jobId == null || kind == null) {
                return Optional.empty();
            }
            return Optional.of(new JobMessage(user, jobId, JobKind.fromWire(kind)));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
