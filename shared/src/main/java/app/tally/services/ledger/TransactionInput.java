package app.tally.services.ledger;

import app.tally.model.EntryType;
import app.tally.model.InvalidInput;
import app.tally.model.Money;
import app.tally.model.Transaction;
import app.tally.services.Fields;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Reads a create or patch body into a transaction, listing every bad field at once (422). */
public final class TransactionInput {
    public static final int MAX_CATEGORY = 64;
    static final int MAX_NOTE = 500;
    static final int MAX_TAGS = 20;
    static final int MAX_TAG = 32;
    private static final Set<String> FIELDS = Set.of("amount", "currency", "type", "category", "date", "note", "tags");
    public static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd")
            .withResolverStyle(ResolverStyle.STRICT);

    private TransactionInput() {
    }

    public static Transaction create(ObjectNode body, String id, String defaultCurrency, Instant now) {
        return read(body, null, id, defaultCurrency, now);
    }

    /**
     * Checks a create body that names no currency before the profile is read for one: every field but the amount's
     * decimal places (which depend on the currency) is checked, so bad input costs no read.
     */
    public static void checkBeforeCurrency(ObjectNode body) {
        read(body, null, "", null, Instant.EPOCH);
    }

    public static Transaction patch(ObjectNode body, Transaction current, Instant now) {
        if (body.isEmpty()) {
            throw new InvalidInput("The request changes nothing.", List.of());
        }
        return read(body, current, current.id(), current.amount().currency(), now);
    }

    private static Transaction read(ObjectNode body, Transaction base, String id, String fallbackCurrency, Instant now) {
        Fields fields = new Fields();
        fields.rejectUnknown(body, FIELDS);
        String currency = fields.parse("currency", fields.text(body, "currency"), Money::currency);
        if (!body.has("currency")) {
            currency = fallbackCurrency;
        }
        String amountText = fields.text(body, "amount");
        Money amount = null;
        if (amountText == null && !body.has("amount")) {
            if (base == null) {
                fields.reject("amount", "is required");
            } else if (!body.has("currency")) {
                // Kept as stored, even an amount above a cap set after it was written.
                amount = base.amount();
            } else {
                amountText = base.amount().toDecimalString();
            }
        }
        if (amountText != null) {
            try {
                // With an unusable currency the amount is still checked for its form and sign.
                amount = currency != null ? Money.parse(amountText, currency) : null;
                if (currency == null) {
                    Money.checkForm(amountText);
                }
            } catch (IllegalArgumentException e) {
                fields.reject("amount", e.getMessage());
            }
        }
        EntryType type = base == null ? null : base.type();
        String typeText = fields.text(body, "type");
        if (typeText != null) {
            try {
                type = EntryType.fromWire(typeText);
            } catch (IllegalArgumentException e) {
                fields.reject("type", e.getMessage());
            }
        } else if (base == null && !body.has("type")) {
            fields.reject("type", "is required");
        }
        String category = base == null ? null : base.category();
        if (body.has("category")) {
            category = label(fields.text(body, "category"), "category", MAX_CATEGORY, fields);
        } else if (base == null) {
            fields.reject("category", "is required");
        }
        LocalDate date = base == null ? null : base.date();
        if (body.has("date")) {
            date = date(fields.text(body, "date"), fields);
        } else if (base == null) {
            fields.reject("date", "is required");
        }
        String note = base == null ? "" : base.note();
        if (body.has("note")) {
            note = note(body.get("note"), fields);
        }
        List<String> tags = base == null ? List.of() : base.tags();
        if (body.has("tags")) {
            tags = tags(body.get("tags"), fields);
        }
        fields.throwIfAny();
        if (base == null) {
            return new Transaction(id, date, type, amount, category, note, tags, now, now, 1);
        }
        return new Transaction(id, date, type, amount, category, note, tags, base.createdAt(), now, base.version() + 1);
    }

    private static String label(String raw, String field, int max, Fields fields) {
        if (raw == null) {
            return null;
        }
        String value = raw.strip();
        if (value.isEmpty()) {
            fields.reject(field, "must not be blank");
        } else if (value.codePointCount(0, value.length()) > max) {
            fields.reject(field, "must be at most " + max + " characters");
        } else if (value.codePoints().anyMatch(Character::isISOControl)) {
            fields.reject(field, "must not contain control characters");
        } else {
            return value;
        }
        return null;
    }

    private static LocalDate date(String raw, Fields fields) {
        if (raw == null) {
            return null;
        }
        try {
            LocalDate date = LocalDate.parse(raw, DATE);
            if (date.isBefore(Transaction.EARLIEST) || date.isAfter(Transaction.LATEST)) {
                fields.reject("date", "must be between " + Transaction.EARLIEST + " and " + Transaction.LATEST);
                return null;
            }
            return date;
        } catch (DateTimeParseException e) {
            fields.reject("date", "must be a calendar date as yyyy-MM-dd");
            return null;
        }
    }

    private static String note(JsonNode node, Fields fields) {
        if (node.isNull()) {
            return "";
        }
        if (!node.isTextual()) {
            fields.reject("note", "must be a string");
            return "";
        }
        String note = node.textValue().strip();
        if (note.codePointCount(0, note.length()) > MAX_NOTE) {
            fields.reject("note", "must be at most " + MAX_NOTE + " characters");
        } else if (note.codePoints().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\t')) {
            fields.reject("note", "must not contain control characters");
        }
        return note;
    }

    private static List<String> tags(JsonNode node, Fields fields) {
        if (node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            fields.reject("tags", "must be an array of strings");
            return List.of();
        }
        if (node.size() > MAX_TAGS) {
            fields.reject("tags", "must have at most " + MAX_TAGS + " tags");
            return List.of();
        }
        Set<String> tags = new LinkedHashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode tag = node.get(i);
            String field = "tags[" + i + "]";
            if (!tag.isTextual()) {
                fields.reject(field, "must be a string");
                continue;
            }
            String value = label(tag.textValue(), field, MAX_TAG, fields);
            if (value != null) {
                tags.add(value);
            }
        }
        return new ArrayList<>(tags);
    }
}
