package app.tally.services.exports;

import app.tally.json.Json;
import app.tally.model.InvalidInput;
import app.tally.model.Transaction;
import app.tally.services.Fields;
import app.tally.services.Refusal;
import app.tally.services.ledger.TransactionInput;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Set;

/**
 * What to export: booking dates {@code from}..{@code to} (inclusive), the format, optionally one category, and
 * whether a CSV starts with a byte order mark (spreadsheet apps then read it as UTF-8).
 */
public record ExportRequest(LocalDate from, LocalDate to, ExportFormat format, String category, boolean bom) {
    /** Ten years of months: bounded work for one worker run. */
    public static final int MAX_MONTHS = 120;
    private static final Set<String> FIELDS = Set.of("from", "to", "format", "category", "bom");

    /** Reads a POST /exports body, listing every bad field at once (422). */
    public static ExportRequest from(ObjectNode body) {
        Fields fields = new Fields();
        fields.rejectUnknown(body, FIELDS);
        LocalDate from = date(body, "from", fields);
        LocalDate to = date(body, "to", fields);
        if (from != null && to != null) {
            if (from.isAfter(to)) {
                fields.reject("to", "must not be before from");
            } else if (ChronoUnit.MONTHS.between(YearMonth.from(from), YearMonth.from(to)) >= MAX_MONTHS) {
                fields.reject("to", "must be less than " + MAX_MONTHS + " months after from");
            }
        }
        ExportFormat format = ExportFormat.CSV;
        String formatText = fields.text(body, "format");
        if (formatText != null) {
            try {
                format = ExportFormat.fromWire(formatText);
            } catch (IllegalArgumentException e) {
                fields.reject("format", e.getMessage());
            }
        }
        String category = fields.text(body, "category");
        if (category != null) {
            category = category.strip();
            if (category.isEmpty() || category.codePointCount(0, category.length()) > TransactionInput.MAX_CATEGORY) {
                fields.reject("category", "must be 1 to " + TransactionInput.MAX_CATEGORY + " characters");
            }
        }
        boolean bom = false;
        JsonNode bomNode = body.get("bom");
        if (bomNode != null && !bomNode.isNull()) {
            if (!bomNode.isBoolean()) {
                fields.reject("bom", "must be true or false");
            } else if (bomNode.booleanValue() && format != ExportFormat.CSV) {
                fields.reject("bom", "applies only to csv");
            } else {
                bom = bomNode.booleanValue();
            }
        }
        fields.throwIfAny();
        return new ExportRequest(from, to, format, category, bom);
    }

    private static LocalDate date(ObjectNode body, String name, Fields fields) {
        if (!body.has(name)) {
            fields.reject(name, "is required");
            return null;
        }
        String text = fields.text(body, name);
        if (text == null) {
            return null;
        }
        try {
            LocalDate date = LocalDate.parse(text, TransactionInput.DATE);
            if (date.isBefore(Transaction.EARLIEST) || date.isAfter(Transaction.LATEST)) {
                fields.reject(name, "must be between " + Transaction.EARLIEST + " and " + Transaction.LATEST);
                return null;
            }
            return date;
        } catch (DateTimeParseException e) {
            fields.reject(name, "must be a calendar date as yyyy-MM-dd");
            return null;
        }
    }

    /** The request as stored with its job: read back with {@link #fromJson}. */
    public ObjectNode toJson() {
        ObjectNode json = Json.object();
        json.put("from", from.toString());
        json.put("to", to.toString());
        json.put("format", format.wire());
        if (category != null) {
            json.put("category", category);
        }
        json.put("bom", bom);
        return json;
    }

    /** A stored request; it was valid when stored, so a failure here is a broken job item, not bad input. */
    public static ExportRequest fromJson(String json) {
        try {
            JsonNode node = Json.parse(json);
            if (node instanceof ObjectNode object) {
                return from(object);
            }
        } catch (JsonProcessingException | InvalidInput | Refusal e) {
            throw new IllegalStateException("The stored export request is not valid: " + e.getMessage(), e);
        }
        throw new IllegalStateException("The stored export request is not a JSON object");
    }

    public YearMonth firstMonth() {
        return YearMonth.from(from);
    }

    public YearMonth lastMonth() {
        return YearMonth.from(to);
    }

    /** The download's file name, e.g. {@code tally-2025-01-01-2026-11-30.csv}. */
    public String fileName() {
        return "tally-" + from + "-" + to + "." + format.extension();
    }
}
