package app.tally.services.imports;

import app.tally.csv.CsvFormatException;
import app.tally.csv.CsvReader;
import app.tally.csv.StrictUtf8Reader;
import app.tally.json.Json;
import app.tally.model.FieldError;
import app.tally.model.Ids;
import app.tally.model.ImportIds;
import app.tally.model.InvalidInput;
import app.tally.model.Transaction;
import app.tally.services.exports.TransactionCsv;
import app.tally.services.ledger.TransactionInput;
import app.tally.store.ImportStore.RowError;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.CharacterCodingException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an import file one row at a time, with flat memory: strict UTF-8 (a byte that is not UTF-8 stops the file
 * with its line, never a silent replacement character), RFC 4180 records, a header that must fit the format, then each
 * row validated by the same rules as {@code POST /transactions} into a transaction with a deterministic id, or into a
 * row error naming the row (spreadsheet numbering: the header is row 1), the column, the reason and the raw text.
 * <p>
 * Tally's own CSV is read by its header's names (date, type, amount, currency, category; optionally id, note, tags,
 * createdAt): a row that carries an id keeps it, so importing an export back finds the rows that are still there, and
 * its text cells lose the quote the export put before a formula ({@link TransactionCsv#restore}).
 */
public final class ImportFile implements AutoCloseable {
    public static final List<String> NATIVE_REQUIRED = List.of("date", "type", "amount", "currency", "category");
    static final int MAX_RAW = 1_000;
    private static final int SNIFF_BYTES = 4_096;

    /** One data row of the file: valid (a transaction) or not (an error). */
    public sealed interface Row permits Valid, Invalid {
    }

    public record Valid(long row, Transaction tx) implements Row {
    }

    public record Invalid(RowError error) implements Row {
    }

    private final CsvReader csv;
    private final AutoCloseable source;
    private final ImportMapping mapping;
    private final String user;
    private final Instant importedAt;
    private final Map<String, Integer> columns = new HashMap<>();
    private final int width;
    private final Map<String, Integer> occurrences = new HashMap<>();
    private final DateTimeFormatter dateFormat;
    private long row = 1;

    private ImportFile(BufferedReader reader, ImportMapping mapping, String user, Instant importedAt)
            throws ImportFileException {
        this.csv = new CsvReader(reader);
        this.source = reader;
        this.mapping = mapping;
        this.user = user;
        this.importedAt = importedAt;
        this.dateFormat = mapping == null ? null : mapping.dateFormat();
        List<String> header = record();
        while (header != null && header.size() == 1 && header.get(0).isBlank()) {
            header = record();
            row++;
        }
        if (header == null) {
            throw new ImportFileException("The file is empty: it needs a header line and rows.");
        }
        for (int i = 0; i < header.size(); i++) {
            // A second byte order mark (a file saved twice with one) is not part of the first column's name.
            columns.putIfAbsent(header.get(i).replace("\uFEFF", "").strip(), i);
        }
        width = header.size();
        List<String> required = mapping == null ? NATIVE_REQUIRED : mapping.requiredColumns();
        List<String> missing = required.stream().filter(c -> !columns.containsKey(c)).toList();
        if (!missing.isEmpty()) {
            String shown = String.join(",", header);
            shown = shown.length() > 200 ? shown.substring(0, 200) + "…" : shown;
            throw new ImportFileException(mapping == null
                    ? "The first line is not a header of Tally's CSV: it lacks " + String.join(", ", missing)
                            + " (it reads: " + shown + "). Import a Tally export, or give a mapping for a bank's CSV."
                    : "The mapping names columns the file's header does not have: " + String.join(", ", missing)
                            + " (the header reads: " + shown + ").");
        }
    }

    /** Reads the header; the stream is the caller's to close (closing this closes it too). */
    public static ImportFile open(InputStream in, ImportMapping mapping, String user, Instant importedAt)
            throws ImportFileException {
        BufferedInputStream bytes = new BufferedInputStream(in, 64 * 1024);
        sniff(bytes);
        return new ImportFile(new BufferedReader(new StrictUtf8Reader(bytes), 16 * 1024), mapping, user, importedAt);
    }

    /**
     * Names the two usual wrong encodings before the CSV reader would trip over them with a less helpful reason: UTF-16
     * (spreadsheet apps' "Unicode text", FF FE or FE FF first) and UTF-16 without that mark or other binary data
     * (NUL bytes). Later NUL bytes are found field by field.
     */
    private static void sniff(BufferedInputStream in) throws ImportFileException {
        byte[] start = new byte[SNIFF_BYTES];
        int length;
        try {
            in.mark(SNIFF_BYTES);
            length = in.readNBytes(start, 0, SNIFF_BYTES);
            in.reset();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if (length >= 2 && (start[0] == (byte) 0xFF && start[1] == (byte) 0xFE
                || start[0] == (byte) 0xFE && start[1] == (byte) 0xFF)) {
            throw new ImportFileException("The file is UTF-16 text, not UTF-8 (it starts with a UTF-16 byte order "
                    + "mark). Save it as CSV UTF-8 and import it again.");
        }
        int line = 1;
        for (int i = 0; i < length; i++) {
            if (start[i] == 0) {
                throw new ImportFileException("The file is binary, not CSV text (a NUL byte on line " + line + ").");
            }
            if (start[i] == '\n') {
                line++;
            }
        }
    }

    /** The next data row, or null at the end of the file. */
    public Row next() throws ImportFileException {
        while (true) {
            List<String> fields = record();
            if (fields == null) {
                return null;
            }
            row++;
            if (fields.size() == 1 && fields.get(0).isBlank()) {
                continue;
            }
            return read(fields);
        }
    }

    private List<String> record() throws ImportFileException {
        int line = csv.line();
        try {
            List<String> fields = csv.next();
            if (fields != null) {
                for (String field : fields) {
                    if (field.indexOf('\0') >= 0) {
                        throw new ImportFileException("The file is binary, not CSV text (a NUL byte on line " + line
                                + ").");
                    }
                }
            }
            return fields;
        } catch (CharacterCodingException e) {
            throw new ImportFileException("The file is not UTF-8 text (a byte on line " + csv.line()
                    + " is not UTF-8). Save it as CSV UTF-8 and import it again.");
        } catch (CsvFormatException e) {
            throw new ImportFileException("The file is not valid CSV: " + e.getMessage() + ".");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Row read(List<String> fields) {
        if (fields.size() != width) {
            return invalid(null, "has " + fields.size() + " fields, the header has " + width, fields);
        }
        ObjectNode body = Json.object();
        Map<String, String> fieldColumns = new LinkedHashMap<>();
        String id = null;
        Instant createdAt = importedAt;
        if (mapping == null) {
            for (String name : List.of("date", "type", "amount", "currency")) {
                if (columns.containsKey(name)) {
                    body.put(name, field(fields, name));
                }
            }
            // Text cells as the export neutralised them against formula injection.
            for (String name : List.of("category", "note")) {
                if (columns.containsKey(name)) {
                    body.put(name, TransactionCsv.restore(field(fields, name)));
                }
            }
            if (columns.containsKey("tags")) {
                ArrayNode tags = body.putArray("tags");
                TransactionCsv.splitTags(TransactionCsv.restore(field(fields, "tags"))).forEach(tags::add);
            }
            String givenId = columns.containsKey("id") ? field(fields, "id").strip() : "";
            if (!givenId.isEmpty()) {
                if (Ids.dateOf(givenId).isEmpty()) {
                    return invalid("id", "is not a Tally transaction id (leave it empty for a new one)", fields);
                }
                id = givenId;
            }
            String created = columns.containsKey("createdAt") ? field(fields, "createdAt").strip() : "";
            if (!created.isEmpty()) {
                try {
                    createdAt = Instant.parse(created);
                } catch (DateTimeParseException e) {
                    return invalid("createdAt", "must be an ISO-8601 instant such as 2026-11-24T08:00:00Z", fields);
                }
            }
        } else {
            Row problem = mapped(fields, body, fieldColumns);
            if (problem != null) {
                return problem;
            }
        }
        Transaction tx;
        try {
            tx = TransactionInput.create(body, "", mapping == null ? null : mapping.currency(), createdAt);
        } catch (InvalidInput e) {
            FieldError first = e.errors().isEmpty() ? new FieldError(null, e.getMessage()) : e.errors().get(0);
            String field = first.field() == null ? null : first.field().replaceAll("\\[.*", "");
            return invalid(mapping == null ? field : fieldColumns.getOrDefault(field, field), first.reason(), fields);
        }
        byte[] content = ImportIds.contentDigest(tx.date().toString(), tx.type().wire(),
                Long.toString(tx.amount().minorUnits()), tx.amount().currency(), tx.category(), tx.note(),
                String.join("\u0000", tx.tags()));
        int occurrence = occurrences.merge(HexFormat.of().formatHex(content), 1, Integer::sum);
        if (id == null) {
            id = ImportIds.id(user, tx.date(), content, occurrence);
        }
        return new Valid(row, tx.withId(id));
    }

    /** Fills the body from a bank row through the mapping; a row error when a mapped value cannot be read. */
    private Row mapped(List<String> fields, ObjectNode body, Map<String, String> fieldColumns) {
        String dateText = field(fields, mapping.dateColumn()).strip();
        try {
            body.put("date", LocalDate.from(dateFormat.parse(dateText)).toString());
        } catch (java.time.DateTimeException e) {
            return invalid(mapping.dateColumn(), "is not a date of the pattern " + mapping.datePattern(), fields);
        }
        fieldColumns.put("date", mapping.dateColumn());
        BigDecimal signed;
        String amountColumn;
        if (mapping.amountColumn() != null) {
            amountColumn = mapping.amountColumn();
            try {
                signed = mapping.amount(field(fields, amountColumn));
            } catch (IllegalArgumentException e) {
                return invalid(amountColumn, e.getMessage(), fields);
            }
            if (signed == null) {
                return invalid(amountColumn, "is not an amount", fields);
            }
            if (mapping.sign() == ImportMapping.Sign.POSITIVE_IS_EXPENSE) {
                signed = signed.negate();
            }
        } else {
            BigDecimal debit;
            BigDecimal credit;
            String column = mapping.debitColumn();
            try {
                debit = column == null ? null : mapping.amount(field(fields, column));
                column = mapping.creditColumn();
                credit = column == null ? null : mapping.amount(field(fields, column));
            } catch (IllegalArgumentException e) {
                return invalid(column, e.getMessage(), fields);
            }
            boolean hasDebit = debit != null && debit.signum() != 0;
            boolean hasCredit = credit != null && credit.signum() != 0;
            if (hasDebit == hasCredit) {
                String columnsText = mapping.debitColumn() + "/" + mapping.creditColumn();
                return invalid(columnsText, hasDebit ? "has both a debit and a credit amount"
                        : "has neither a debit nor a credit amount", fields);
            }
            amountColumn = hasDebit ? mapping.debitColumn() : mapping.creditColumn();
            signed = hasDebit ? debit.abs().negate() : credit.abs();
        }
        if (signed.signum() == 0) {
            return invalid(amountColumn, "is zero", fields);
        }
        body.put("amount", signed.abs().toPlainString());
        body.put("type", signed.signum() < 0 ? "expense" : "income");
        body.put("currency", mapping.currency());
        fieldColumns.put("amount", amountColumn);
        fieldColumns.put("type", amountColumn);
        String category = mapping.categoryColumn() == null ? "" : field(fields, mapping.categoryColumn()).strip();
        body.put("category", category.isEmpty() ? mapping.defaultCategory() : category);
        fieldColumns.put("category", mapping.categoryColumn());
        if (mapping.noteColumn() != null) {
            body.put("note", field(fields, mapping.noteColumn()));
            fieldColumns.put("note", mapping.noteColumn());
        }
        return null;
    }

    private String field(List<String> fields, String column) {
        return fields.get(columns.get(column));
    }

    private Invalid invalid(String column, String reason, List<String> fields) {
        StringBuilder raw = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                raw.append(',');
            }
            TransactionCsv.appendField(raw, fields.get(i));
        }
        String text = raw.length() > MAX_RAW ? raw.substring(0, MAX_RAW) + "…" : raw.toString();
        return new Invalid(new RowError(row, column, reason, text));
    }

    @Override
    public void close() throws Exception {
        source.close();
    }
}
