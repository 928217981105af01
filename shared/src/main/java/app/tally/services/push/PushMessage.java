package app.tally.services.push;

import app.tally.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What a write puts on the push queue: the events of one user, in the order they happened. */
public record PushMessage(String user, List<PushEvent> events) {
    public PushMessage {
        events = List.copyOf(events);
    }

    public String toJson() {
        ObjectNode json = Json.object().put("user", user);
        events.forEach(event -> json.withArray("events").add(event.toJson()));
        return Json.write(json);
    }

    /** Empty for a body that is not a push message (the push function logs and drops it). */
    public static Optional<PushMessage> parse(String body) {
        try {
            JsonNode json = Json.parse(body);
            if (!json.path("user").isTextual() || !json.path("events").isArray()) {
                return Optional.empty();
            }
            List<PushEvent> events = new ArrayList<>();
            for (JsonNode event : json.get("events")) {
                events.add(PushEvent.fromJson(event));
            }
            return Optional.of(new PushMessage(json.get("user").asText(), events));
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
