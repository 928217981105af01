package app.tally.services.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import app.tally.json.Json;
import app.tally.model.FieldError;
import app.tally.model.InvalidInput;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImportMappingTest {
    private static final String BASE = "\"dateColumn\":\"d\",\"amountColumn\":\"a\",\"defaultCategory\":\"x\","
            + "\"currency\":\"EUR\"";

    private static ImportMapping mapping(String extra) throws Exception {
        return ImportMapping.from(Json.parse("{" + BASE + extra + "}"));
    }

    private static ImportMapping withSeparator(char separator) throws Exception {
        return mapping(",\"decimalSeparator\":\"" + separator + "\"");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "-1,850.00|-1850.00", "1,234,567.89|1234567.89", "1234.5|1234.5", "1,234|1234", "1.234|1.234",
        "(12.30)|-12.30", "7-|-7", " $5.75 |5.75", "+3|3", "12 345.67|12345.67", "12\u00a0345.67|12345.67",
        "¥ 35.50|35.50", "- 5|-5", "0.05|0.05", "007|7"})
    void aDecimalPointMappingReadsCommasAndSpacesAsThousands(String raw, String expected) throws Exception {
        assertEquals(new BigDecimal(expected), withSeparator('.').amount(raw));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "-12,50|-12.50", "12,5|12.5", "1.234,56|1234.56", "1.234.567|1234567", "1 234,56|1234.56",
        "1\u202f234,56|1234.56", "€1.234,56-|-1234.56", "(0,99)|-0.99", "1234,56|1234.56", "1,234|1.234"})
    void aDecimalCommaMappingReadsPointsAndSpacesAsThousands(String raw, String expected) throws Exception {
        assertEquals(new BigDecimal(expected), withSeparator(',').amount(raw));
    }

    @ParameterizedTest
    @ValueSource(strings = {"12,5", "1,23,456", "1.234,56", "1,2345", ",5", "5.", "1,234,56", "12 5", "1,234 567.00",
        "1.2.3", "1,,234", ".5"})
    void anAmbiguousAmountWithADecimalPointIsRefused(String raw) throws Exception {
        assertEquals("does not read as an amount with \".\" as decimal separator: digits group only in threes, as in"
                + " 1,234.56", assertThrows(IllegalArgumentException.class, () -> withSeparator('.').amount(raw))
                .getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1,234.56", "12.5", "1.23.456", "1,2,3", "12.345,6.7", ",5", "1.2345"})
    void anAmbiguousAmountWithADecimalCommaIsRefused(String raw) throws Exception {
        assertEquals("does not read as an amount with \",\" as decimal separator: digits group only in threes, as in"
                + " 1.234,56", assertThrows(IllegalArgumentException.class, () -> withSeparator(',').amount(raw))
                .getMessage());
    }

    @Test
    void textThatIsNoNumberIsNotAnAmountAndAnEmptyCellIsNone() throws Exception {
        ImportMapping mapping = withSeparator('.');
        assertEquals("is not an amount",
                assertThrows(IllegalArgumentException.class, () -> mapping.amount("12a")).getMessage());
        assertEquals("is not an amount",
                assertThrows(IllegalArgumentException.class, () -> mapping.amount("1e5")).getMessage());
        assertNull(mapping.amount(""));
        assertNull(mapping.amount(" \u00a0"));
    }

    @Test
    void theDecimalSeparatorIsAPointUnlessTheMappingSaysAComma() throws Exception {
        assertEquals('.', mapping("").decimalSeparator());
        assertEquals(',', withSeparator(',').decimalSeparator());
        assertEquals('.', ImportMapping.PRESETS.get("us-bank").decimalSeparator());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\";\"", "\"\"", "\",.\"", "\" \"", "\"comma\"", "1", "null"})
    void anyOtherDecimalSeparatorIsInvalidInputNamingTheField(String value) {
        InvalidInput problem = assertThrows(InvalidInput.class, () -> mapping(",\"decimalSeparator\":" + value));
        assertEquals("decimalSeparator", problem.errors().get(0).field(), problem.errors().toString());
    }

    @Test
    void theSeparatorSurvivesTheJobRecord() throws Exception {
        ImportMapping mapping = withSeparator(',');
        assertEquals(",", mapping.toJson().get("decimalSeparator").asText());
        assertEquals(mapping, ImportMapping.from(mapping.toJson()));
        assertEquals(List.of(new FieldError("decimalSeparator", "must be \".\" or \",\"")),
                assertThrows(InvalidInput.class, () -> mapping(",\"decimalSeparator\":\";\"")).errors());
    }
}
