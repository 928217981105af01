package app.tally.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class AttributesTest {
    private static Map<String, AttributeValue> item(String text) {
        return Map.of("at", AttributeValue.fromS(text));
    }

    @Test
    void instantsReadByHandEqualInstantParseForEveryFractionLength() {
        Random random = new Random(11);
        for (int i = 0; i < 20_000; i++) {
            // Whole seconds, milli, micro and nano fractions, as Instant.toString writes them, over years 0001-9999.
            long seconds = random.nextLong(-62_135_596_800L, 253_402_300_799L);
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            String text = Instant.ofEpochSecond(seconds, nanos).toString();
            assertEquals(Instant.parse(text), Attributes.instant(item(text), "at"), text);
        }
    }

    @Test
    void anyOtherFormIsReadExactlyAsInstantParseReadsIt() {
        for (String text : List.of("2026-11-03T10:15:30.1Z", "2016-12-31T23:59:60Z", "2026-11-03T24:00:00Z",
                "2026-11-03T10:15:30+08:00", "+12026-11-03T10:15:30Z", "2026-11-03T10:15:30.Z", "2026-02-30T10:15:30Z",
                "2026-11-03T10:15:30.1234567890Z", "2026-11-03 10:15:30Z", "2026-11-03T10:15Z", "")) {
            Object expected;
            try {
                expected = Instant.parse(text);
            } catch (DateTimeException e) {
                expected = DateTimeException.class;
            }
            Object actual;
            try {
                actual = Attributes.instant(item(text), "at");
            } catch (DateTimeException e) {
                actual = DateTimeException.class;
            }
            assertEquals(expected, actual, text);
        }
        assertNull(Attributes.instant(Map.of(), "at"));
    }

    @Test
    void datesReadByHandEqualLocalDateParse() {
        for (LocalDate date = LocalDate.of(1999, 12, 1); date.isBefore(LocalDate.of(2031, 1, 1)); date = date.plusDays(1)) {
            assertEquals(date, Attributes.date(item(date.toString()), "at"));
        }
        assertEquals(LocalDate.parse("+10000-01-01"), Attributes.date(item("+10000-01-01"), "at"));
        for (String text : List.of("2026-02-29", "2026-13-01", "2026-00-10", "2026-1-01", "２０２６-11-01")) {
            assertThrows(DateTimeException.class, () -> Attributes.date(item(text), "at"), text);
        }
        assertNull(Attributes.date(Map.of(), "at"));
    }
}
