package app.tally.it;

import static app.tally.it.LocalApi.get;
import static app.tally.it.LocalApi.newUser;
import static app.tally.it.LocalApi.patch;
import static app.tally.it.TransactionsIT.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import app.tally.it.LocalApi.Reply;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ProfileIT {

    @Test
    void firstVisitCreatesTheProfileFromTheToken() {
        String user = newUser("me");
        Reply me = get("/me", user);
        assertEquals(200, me.status(), me.toString());
        assertEquals(user, me.json().get("id").asText());
        assertEquals("CNY", me.json().get("currency").asText());
        assertEquals(1, LocalApi.itemsWithPrefix("U#" + user).size());
        assertEquals(me.json(), get("/me", user).json());
    }

    @Test
    void concurrentFirstVisitsCreateOneProfile() {
        String user = newUser("race");
        List<JsonNode> profiles = IntStream.range(0, 12).parallel().mapToObj(i -> get("/me", user))
                .peek(r -> assertEquals(200, r.status(), r.toString())).map(Reply::json).toList();
        assertEquals(1, profiles.stream().map(p -> p.get("createdAt").asText()).distinct().count());
        assertEquals(1, LocalApi.itemsWithPrefix("U#" + user).size());
    }

    @Test
    void patchChangesNameCurrencyAndTimeZone() {
        String user = newUser("patch");
        Reply changed = patch("/me", user, "{\"name\":\" 小明 \",\"currency\":\"USD\",\"timeZone\":\"Asia/Shanghai\"}");
        assertEquals(200, changed.status(), changed.toString());
        assertEquals("小明", changed.json().get("name").asText());
        assertEquals("USD", changed.json().get("currency").asText());
        assertEquals("Asia/Shanghai", changed.json().get("timeZone").asText());
        assertEquals(changed.json(), get("/me", user).json());
    }

    @Test
    void badProfileChangesAreProblemsAndChangeNothing() {
        String user = newUser("bad-me");
        get("/me", user);
        Map<String, ?> before = LocalApi.tableSnapshot();
        Reply invalid = patch("/me", user, "{\"currency\":\"ABC\",\"timeZone\":\"Mars/Base\",\"id\":\"someone-else\"}");
        assertProblem(422, invalid);
        assertEquals(3, invalid.json().get("errors").size());
        assertProblem(422, patch("/me", user, "{\"currency\":\"usd\"}"));
        assertProblem(422, patch("/me", user, "{\"name\":\"\"}"));
        assertProblem(400, patch("/me", user, "{\"name\":"));
        assertProblem(415, LocalApi.call("PATCH", "/me", user, "{\"name\":\"x\"}", "Content-Type", "text/plain"));
        assertProblem(413, patch("/me", user, "{\"name\":\"" + "x".repeat(262_145) + "\"}"));
        assertEquals(before, LocalApi.tableSnapshot());
    }
}
