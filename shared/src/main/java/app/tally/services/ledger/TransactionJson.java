package app.tally.services.ledger;

import app.tally.json.Json;
import app.tally.model.Transaction;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A transaction as the API shows it (and as an import chunk carries it). */
public final class TransactionJson {
    private TransactionJson() {
    }

    public static ObjectNode of(Transaction tx) {
        ObjectNode json = Json.object();
        json.put("id", tx.id());
        json.put("date", tx.date().toString());
        json.put("type", tx.type().wire());
        json.put("amount", tx.amount().toDecimalString());
        json.put("currency", tx.amount().currency());
        json.put("category", tx.category());
        json.put("note", tx.note());
        tx.tags().forEach(json.putArray("tags")::add);
        if (tx.tags().isEmpty()) {
            json.putArray("tags");
        }
        json.put("createdAt", tx.createdAt().toString());
        json.put("updatedAt", tx.updatedAt().toString());
        return json;
    }
}
