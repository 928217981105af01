package app.tally.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import app.tally.testing.CsvRecords;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CsvReaderTest {
    private static List<List<String>> readAll(String csv) throws IOException {
        return CsvRecords.of(csv);
    }

    @Test
    void readerAcceptsLfLineEndsAndAFinalRecordWithoutOne() throws IOException {
        assertEquals(List.of(List.of("a", "b"), List.of("c", "")), readAll("a,b\nc,"));
        assertEquals(List.of(List.of("")), readAll("\n"));
        assertNull(new CsvReader(new StringReader("")).next());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"never closed", "a\"b,c", "\"x\"y,z", "a\rb"})
    void malformedQuotingIsAnErrorNotAShiftedField(String csv) {
        assertThrows(CsvFormatException.class, () -> readAll(csv));
    }

    @Test
    void aRunawayFieldFailsTheFileInsteadOfFillingTheMemory() {
        CsvFormatException unclosed = assertThrows(CsvFormatException.class,
                () -> readAll("a,\"" + "x".repeat(CsvReader.MAX_FIELD_CHARS + 1)));
        assertEquals("line 1: a field longer than " + CsvReader.MAX_FIELD_CHARS + " characters", unclosed.getMessage());
        assertThrows(CsvFormatException.class, () -> readAll(",".repeat(CsvReader.MAX_FIELDS + 1)));
        assertEquals(List.of(List.of("x".repeat(CsvReader.MAX_FIELD_CHARS))), assertDoesNotThrowRead("x".repeat(CsvReader.MAX_FIELD_CHARS)));
    }

    private static List<List<String>> assertDoesNotThrowRead(String csv) {
        try {
            return readAll(csv);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
