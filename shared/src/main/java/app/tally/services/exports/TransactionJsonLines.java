package app.tally.services.exports;

import app.tally.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The NDJSON export: one object per line with the CSV's fields, the amount a decimal string. */
final class TransactionJsonLines {
    private TransactionJsonLines() {
    }

    static void appendRow(StringBuilder out, ExportRow row) {
        ObjectNode json = Json.object();
        json.put("id", row.id());
        json.put("date", row.date().toString());
        json.put("type", row.type().wire());
        json.put("amount", row.amount().toDecimalString());
        json.put("currency", row.amount().currency());
        json.put("category", row.category());
        json.put("note", row.note());
        row.tags().forEach(json.putArray("tags")::add);
        if (row.tags().isEmpty()) {
            json.putArray("tags");
        }
        json.put("createdAt", row.createdAt().toString());
        out.append(Json.write(json)).append('\n');
    }
}
