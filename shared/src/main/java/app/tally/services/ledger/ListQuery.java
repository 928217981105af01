package app.tally.services.ledger;

import app.tally.model.EntryType;
import app.tally.model.Transaction;
import app.tally.services.Parameters;
import app.tally.services.Refusal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/** The filters and page size of a transaction listing, read from the query string (400 when malformed). */
public record ListQuery(LocalDate from, LocalDate to, EntryType type, String category, int limit, String cursor) {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;
    private static final int MAX_PARAMETER = 512;

    public static ListQuery from(Parameters request) {
        request.query().forEach((name, value) -> {
            if (value.length() > MAX_PARAMETER) {
                throw Refusal.malformed("Query parameter " + name + " is too long.");
            }
        });
        LocalDate from = request.query("from").map(v -> date("from", v)).orElse(Transaction.EARLIEST);
        LocalDate to = request.query("to").map(v -> date("to", v)).orElse(Transaction.LATEST);
        if (from.isAfter(to)) {
            throw Refusal.malformed("from must not be after to.");
        }
        EntryType type = request.query("type").map(v -> {
            try {
                return EntryType.fromWire(v);
            } catch (IllegalArgumentException e) {
                throw Refusal.malformed("type " + e.getMessage() + ".");
            }
        }).orElse(null);
        String category = request.query("category").map(String::strip).filter(c -> !c.isEmpty()).orElse(null);
        int limit = request.boundedInt("limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
        return new ListQuery(from, to, type, category, limit, request.query("cursor").orElse(null));
    }

    /**
     * A booking date in the range a transaction can have: outside it, a year such as +10000 would make month keys that
     * no longer sort as dates (a DynamoDB range with its bounds reversed).
     */
    private static LocalDate date(String name, String value) {
        LocalDate date;
        try {
            date = LocalDate.parse(value, TransactionInput.DATE);
        } catch (DateTimeParseException e) {
            throw Refusal.malformed(name + " must be a calendar date as yyyy-MM-dd.");
        }
        if (date.isBefore(Transaction.EARLIEST) || date.isAfter(Transaction.LATEST)) {
            throw Refusal.malformed(name + " must be between " + Transaction.EARLIEST + " and "
                    + Transaction.LATEST + ".");
        }
        return date;
    }

    /** What a cursor is bound to besides the user: the same filters must come with it. */
    String fingerprint() {
        return from + "|" + to + "|" + (type == null ? "" : type.wire()) + "|" + (category == null ? "" : category);
    }
}
