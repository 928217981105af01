package app.tally.services.ledger;

import app.tally.json.Json;
import app.tally.model.Transaction;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** One page of a listing, newest first, and the cursor of the next page (null on the last). */
public record Page(List<Transaction> items, String nextCursor) {
    public ObjectNode toJson() {
        ObjectNode json = Json.object();
        var array = json.putArray("items");
        items.forEach(tx -> array.add(TransactionJson.of(tx)));
        json.put("nextCursor", nextCursor);
        return json;
    }
}
