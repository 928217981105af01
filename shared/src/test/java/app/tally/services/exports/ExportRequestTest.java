package app.tally.services.exports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import app.tally.json.Json;
import app.tally.model.FieldError;
import app.tally.model.InvalidInput;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExportRequestTest {
    private static ObjectNode body(String json) throws Exception {
        return (ObjectNode) Json.parse(json);
    }

    private static List<String> rejectedFields(String json) throws Exception {
        InvalidInput problem = assertThrows(InvalidInput.class, () -> ExportRequest.from(body(json)));
        return problem.errors().stream().map(FieldError::field).toList();
    }

    @Test
    void validRequestIsReadWithDefaultsAndSurvivesStorage() throws Exception {
        ExportRequest request = ExportRequest.from(body("{\"from\":\"2025-01-01\",\"to\":\"2026-11-30\",\"category\":\" 餐饮 \"}"));
        assertEquals(new ExportRequest(LocalDate.of(2025, 1, 1), LocalDate.of(2026, 11, 30), ExportFormat.CSV, "餐饮",
                false), request);
        assertEquals(request, ExportRequest.fromJson(Json.write(request.toJson())));
        assertEquals("tally-2025-01-01-2026-11-30.csv", request.fileName());
        assertFalse(request.toJson().has("user"));
    }

    @Test
    void everyBadFieldIsListedAtOnce() throws Exception {
        assertEquals(List.of("from", "to"), rejectedFields("{}"));
        assertEquals(List.of("user"), rejectedFields("{\"from\":\"2026-01-01\",\"to\":\"2026-01-02\",\"user\":\"x\"}"));
        assertEquals(List.of("to", "format", "bom"),
                rejectedFields("{\"from\":\"2026-01-02\",\"to\":\"2026-01-01\",\"format\":\"xlsx\",\"bom\":1}"));
        assertEquals(List.of("from"), rejectedFields("{\"from\":\"2026-02-30\",\"to\":\"2026-03-01\"}"));
        assertEquals(List.of("from"), rejectedFields("{\"from\":\"1899-12-31\",\"to\":\"1900-01-01\"}"));
        assertEquals(List.of("bom"), rejectedFields("{\"from\":\"2026-01-01\",\"to\":\"2026-01-02\",\"format\":\"json\",\"bom\":true}"));
        assertEquals(List.of("category"), rejectedFields("{\"from\":\"2026-01-01\",\"to\":\"2026-01-02\",\"category\":\"  \"}"));
    }

    @Test
    void rangeIsBoundedToTenYearsOfMonths() throws Exception {
        ExportRequest.from(body("{\"from\":\"2016-12-01\",\"to\":\"2026-11-30\"}"));
        assertEquals(List.of("to"), rejectedFields("{\"from\":\"2016-11-30\",\"to\":\"2026-11-30\"}"));
    }
}
