package app.tally.services.imports;

import app.tally.json.Json;
import app.tally.model.EntryType;
import app.tally.services.imports.ImportFile.Invalid;
import app.tally.services.imports.ImportFile.Row;
import app.tally.services.imports.ImportFile.Skipped;
import app.tally.services.imports.ImportFile.Valid;
import app.tally.services.imports.bills.BillSource;
import app.tally.services.ledger.TransactionJson;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the first pass found, for the job's {@code request}: the format and encoding detected, the header's row, the
 * rows per outcome (expense, income, refund, neutral and closed rows skipped, invalid; in a dry run also those the
 * ledger has already), the reasons rows were skipped and the first rows as they would be stored. A dry run shows
 * exactly this.
 */
final class ImportReport {
    static final int PREVIEW = 5;
    /** Distinct skip reasons listed; more are counted under the last. */
    private static final int REASONS = 20;

    private final BillSource.Opened opened;
    private final Map<EntryType, Long> types = new EnumMap<>(EntryType.class);
    private final Map<String, Long> skipped = new LinkedHashMap<>();
    private final ArrayNode preview = Json.MAPPER.createArrayNode();
    private long neutral;
    private long closed;
    private long invalid;

    ImportReport(BillSource.Opened opened) {
        this.opened = opened;
    }

    void add(Row row) {
        switch (row) {
            case Valid ok -> {
                types.merge(ok.tx().type(), 1L, Long::sum);
                if (preview.size() < PREVIEW) {
                    preview.addObject().put("row", ok.row()).set("transaction", TransactionJson.of(ok.tx()));
                }
            }
            case Invalid bad -> invalid++;
            case Skipped skip -> {
                if (skip.reason().startsWith("closed")) {
                    closed++;
                } else {
                    neutral++;
                }
                String reason = skipped.size() < REASONS || skipped.containsKey(skip.reason()) ? skip.reason()
                        : "other";
                skipped.merge(reason, 1L, Long::sum);
            }
        }
    }

    long skipped() {
        return neutral + closed;
    }

    /** The stored request with what was found; {@code duplicates} (a dry run's, null when not looked up) among them. */
    String into(String request, Long duplicates) {
        try {
            ObjectNode json = (ObjectNode) Json.parse(request);
            json.put("format", opened.format());
            if (opened.encoding() != null) {
                json.put("encoding", opened.encoding());
            }
            json.put("headerRow", opened.headerRow());
            ObjectNode outcomes = json.putObject("outcomes");
            for (EntryType type : EntryType.values()) {
                outcomes.put(type.wire(), types.getOrDefault(type, 0L));
            }
            outcomes.put("neutralSkipped", neutral).put("closedSkipped", closed).put("invalid", invalid);
            if (duplicates != null) {
                outcomes.put("duplicate", duplicates);
            }
            ArrayNode reasons = json.putArray("skipped");
            skipped.forEach((reason, rows) -> reasons.addObject().put("reason", reason).put("rows", rows));
            json.set("preview", preview);
            return Json.write(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The stored import request is not JSON", e);
        }
    }
}
