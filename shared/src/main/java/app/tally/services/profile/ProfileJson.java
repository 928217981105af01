package app.tally.services.profile;

import app.tally.json.Json;
import app.tally.model.Profile;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A profile as the API shows it. */
public final class ProfileJson {
    private ProfileJson() {
    }

    public static ObjectNode of(Profile profile) {
        ObjectNode json = Json.object();
        json.put("id", profile.id());
        json.put("name", profile.name());
        json.put("currency", profile.currency());
        json.put("timeZone", profile.timeZone());
        json.put("createdAt", profile.createdAt().toString());
        json.put("updatedAt", profile.updatedAt().toString());
        return json;
    }
}
