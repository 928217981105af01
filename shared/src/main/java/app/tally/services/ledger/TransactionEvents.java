package app.tally.services.ledger;

import app.tally.json.Json;
import app.tally.model.Transaction;
import app.tally.services.push.PushEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The push events of a committed change to a transaction: {@code transaction.created|updated|deleted} (id, month and
 * the changed fields by their API names) and {@code statistics.changed} for the months whose statistics it moved.
 */
final class TransactionEvents {
    private TransactionEvents() {
    }

    static List<PushEvent> created(Transaction tx, Instant now) {
        return List.of(event("transaction.created", tx, fields(tx), now),
                PushEvent.statisticsChanged(List.of(tx.month()), now));
    }

    /** Only the fields whose value changed; statistics only when the amount, type, category or date did. */
    static List<PushEvent> updated(Transaction before, Transaction after, Instant now) {
        ObjectNode was = fields(before);
        ObjectNode changed = Json.object();
        for (Iterator<Map.Entry<String, JsonNode>> fields = fields(after).fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!field.getValue().equals(was.get(field.getKey())) && !field.getKey().equals("updatedAt")) {
                changed.set(field.getKey(), field.getValue());
            }
        }
        List<PushEvent> events = new ArrayList<>(List.of(event("transaction.updated", after, changed, now)));
        if (!before.date().equals(after.date()) || before.type() != after.type()
                || !before.amount().equals(after.amount()) || !before.category().equals(after.category())) {
            events.add(PushEvent.statisticsChanged(List.of(before.month(), after.month()), now));
        }
        return events;
    }

    static List<PushEvent> deleted(Transaction tx, Instant now) {
        return List.of(event("transaction.deleted", tx, Json.object(), now),
                PushEvent.statisticsChanged(List.of(tx.month()), now));
    }

    private static PushEvent event(String type, Transaction tx, ObjectNode fields, Instant now) {
        ObjectNode data = Json.object().put("id", tx.id()).put("month", tx.month().toString());
        data.set("fields", fields);
        return new PushEvent(type, now, data);
    }

    private static ObjectNode fields(Transaction tx) {
        ObjectNode json = TransactionJson.of(tx);
        json.remove("id");
        return json;
    }
}
