package app.tally.model;

import app.tally.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** A user's profile: how Tally addresses them and which currency and time zone they book in by default. */
public record Profile(String id, String name, String currency, String timeZone, Instant createdAt, Instant updatedAt) {
    public ObjectNode toJson() {
        ObjectNode json = Json.object();
        json.put("id", id);
        json.put("name", name);
        json.put("currency", currency);
        json.put("timeZone", timeZone);
        json.put("createdAt", createdAt.toString());
        json.put("updatedAt", updatedAt.toString());
        return json;
    }
}
