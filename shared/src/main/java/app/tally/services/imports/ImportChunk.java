package app.tally.services.imports;

import app.tally.json.Json;
import app.tally.model.EntryType;
import app.tally.model.Money;
import app.tally.model.Transaction;
import app.tally.services.imports.ImportFile.Valid;
import app.tally.services.jobs.JobQueue;
import app.tally.services.ledger.TransactionJson;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One chunk of an import, as its SQS message carries it: valid rows of one month, few enough that their items,
 * statistics, the chunk's marker and the month's tally fit one TransactWriteItems. {@code chunk} numbers chunks in the order
 * the file yields them, the same in every run over the same file.
 */
public record ImportChunk(String user, String jobId, int chunk, YearMonth month, List<Valid> rows) {

    public ImportChunk {
        rows = List.copyOf(rows);
    }

    public List<Transaction> transactions() {
        return rows.stream().map(Valid::tx).toList();
    }

    /**
     * The chunk as a message of the FIFO chunk queue: grouped by job and month (chunks that share statistics items are
     * never written at once), deduplicated by job and number (a retried worker run's resend within five minutes is
     * dropped by SQS; later ones are caught by the chunk's marker).
     */
    public JobQueue.Entry toEntry() {
        return new JobQueue.Entry(toJson(), jobId + "-" + month, jobId + "-" + chunk);
    }

    public String toJson() {
        ObjectNode json = Json.object();
        json.put("user", user);
        json.put("jobId", jobId);
        json.put("kind", "import-chunk");
        json.put("chunk", chunk);
        json.put("month", month.toString());
        ArrayNode array = json.putArray("rows");
        rows.forEach(row -> array.add(rowJson(row)));
        return Json.write(json);
    }

    /**
     * At least the bytes {@code row} takes in a chunk message, reckoned without writing it: the fixed-size fields and
     * their names take at most {@link #ROW_FIXED_BYTES}, and the text fields what {@link #maxJsonBytes} allows.
     */
    static int maxRowBytes(Valid row) {
        Transaction tx = row.tx();
        int bytes = ROW_FIXED_BYTES + maxJsonBytes(tx.category()) + maxJsonBytes(tx.note());
        for (String tag : tx.tags()) {
            bytes += maxJsonBytes(tag) + 3;
        }
        return bytes;
    }

    /** Names, punctuation and the longest id, date, type, amount, currency, instant and row number, with margin. */
    static final int ROW_FIXED_BYTES = 300;

    /** The most bytes JSON text of {@code text} takes in UTF-8: an escape is at most 6 bytes, a character 3. */
    private static int maxJsonBytes(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            bytes += c < 0x20 ? 6 : c == '"' || c == '\\' ? 2 : c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
        }
        return bytes;
    }

    static ObjectNode rowJson(Valid row) {
        Transaction tx = row.tx();
        ObjectNode json = TransactionJson.of(tx);
        json.remove("updatedAt");
        json.put("row", row.row());
        return json;
    }

    /** The chunk, or empty when the body is not one (logged and dropped: it can never succeed). */
    public static Optional<ImportChunk> parse(String body) {
        try {
            JsonNode json = Json.parse(body);
            if (!"import-chunk".equals(json.path("kind").textValue()) || json.path("user").textValue() == null
                    || json.path("jobId").textValue() == null || !json.path("rows").isArray()) {
                return Optional.empty();
            }
            YearMonth month = YearMonth.parse(json.path("month").asText());
            List<Valid> rows = new ArrayList<>();
            for (JsonNode row : json.get("rows")) {
                List<String> tags = new ArrayList<>();
                row.path("tags").forEach(tag -> tags.add(tag.asText()));
                Instant created = Instant.parse(row.path("createdAt").asText());
                rows.add(new Valid(row.path("row").asLong(), new Transaction(row.path("id").asText(),
                        LocalDate.parse(row.path("date").asText()), EntryType.fromWire(row.path("type").asText()),
                        Money.parse(row.path("amount").asText(), row.path("currency").asText()),
                        row.path("category").asText(), row.path("note").asText(), tags, created, created, 1)));
            }
            return Optional.of(new ImportChunk(json.get("user").textValue(), json.get("jobId").textValue(),
                    json.path("chunk").asInt(), month, rows));
        } catch (JsonProcessingException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
