package app.tally.store;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Small conversions between Java values and DynamoDB attribute values. */
final class Attributes {
    private Attributes() {
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    static AttributeValue list(List<String> values) {
        return AttributeValue.fromL(values.stream().map(AttributeValue::fromS).toList());
    }

    static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(Keys.PK, s(pk), Keys.SK, s(sk));
    }

    static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.n() == null ? 0 : Long.parseLong(value.n());
    }

    static List<String> strings(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || !value.hasL() ? List.of() : value.l().stream().map(AttributeValue::s).toList();
    }

    /**
     * A stored date, as {@link LocalDate#toString()} wrote it. Read by hand: {@code LocalDate.parse} goes through a
     * DateTimeFormatter, which was a tenth of an export's CPU; anything but the plain form still goes through it.
     */
    static LocalDate date(Map<String, AttributeValue> item, String name) {
        String text = string(item, name);
        if (text == null) {
            return null;
        }
        LocalDate date = plainDate(text);
        return date != null ? date : LocalDate.parse(text);
    }

    /**
     * A stored instant, as {@link Instant#toString()} wrote it ({@code 2026-11-03T10:15:30.123Z}, with 0 to 9
     * fraction digits), read by hand for the same reason; any other form, a leap second for one, goes through
     * {@code Instant.parse}.
     */
    static Instant instant(Map<String, AttributeValue> item, String name) {
        String text = string(item, name);
        if (text == null) {
            return null;
        }
        int length = text.length();
        LocalDate date = length >= 20 ? plainDate(text.substring(0, 10)) : null;
        if (date != null && text.charAt(10) == 'T' && text.charAt(13) == ':' && text.charAt(16) == ':'
                && text.charAt(length - 1) == 'Z' && (length == 20 || (text.charAt(19) == '.' && length <= 30))) {
            int hour = digits(text, 11, 13);
            int minute = digits(text, 14, 16);
            int second = digits(text, 17, 19);
            int fraction = length == 20 ? 0 : digits(text, 20, length - 1);
            if (hour >= 0 && hour < 24 && minute >= 0 && minute < 60 && second >= 0 && second < 60 && fraction >= 0) {
                int nanos = length == 20 ? 0 : fraction * (int) Math.pow(10, 9 - (length - 21));
                return Instant.ofEpochSecond(date.toEpochDay() * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
            }
        }
        return Instant.parse(text);
    }

    /** {@code yyyy-MM-dd} with a valid day, else null. */
    private static LocalDate plainDate(String text) {
        if (text.length() != 10 || text.charAt(4) != '-' || text.charAt(7) != '-') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31) {
            return null;
        }
        try {
            return LocalDate.of(year, month, day);
        } catch (DateTimeException invalidDay) {
            return null;
        }
    }

    /** The decimal number in {@code text[from, to)}, or -1 when it holds anything but digits (or nothing). */
    private static int digits(String text, int from, int to) {
        if (from >= to) {
            return -1;
        }
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
