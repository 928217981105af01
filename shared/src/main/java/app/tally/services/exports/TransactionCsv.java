package app.tally.services.exports;

import app.tally.model.EntryType;
import app.tally.model.Money;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Tally's CSV of transactions, written by the export and read by the import unchanged:
 * {@code id,date,type,amount,currency,category,note,tags,createdAt}. Fields are quoted per RFC 4180 when they hold a
 * comma, quote or line break; amounts are decimal strings; tags are joined by {@code ;}, and a tag's own {@code ;} or
 * {@code \} is escaped with {@code \}, so every field survives the round trip.
 * <p>
 * Text cells (category, note, tags) that a spreadsheet would run as a formula, those starting with {@code = + - @},
 * a tab or a carriage return, are neutralised as OWASP advises: they get a leading single quote. So that the quote is
 * unambiguous, a cell whose leading quotes are followed by one of those characters gets one more quote too, and
 * reading a cell removes exactly one quote from such a cell: every value comes back as it was.
 */
public final class TransactionCsv {
    public static final List<String> HEADER =
            List.of("id", "date", "type", "amount", "currency", "category", "note", "tags", "createdAt");
    static final String LINE_END = "\r\n";
    /** What a spreadsheet reads as the start of a formula (OWASP CSV injection). */
    private static final String FORMULA_STARTS = "=+-@\t\r";

    private TransactionCsv() {
    }

    public static void appendHeader(StringBuilder out) {
        out.append(String.join(",", HEADER)).append(LINE_END);
    }

    public static void appendRow(StringBuilder out, ExportRow row) {
        out.append(row.id()).append(',')
                .append(row.date()).append(',')
                .append(row.type().wire()).append(',')
                .append(row.amount().toDecimalString()).append(',')
                .append(row.amount().currency()).append(',');
        appendField(out, neutralise(row.category()));
        out.append(',');
        appendField(out, neutralise(row.note()));
        out.append(',');
        appendField(out, neutralise(tags(row.tags())));
        out.append(',').append(row.createdAt()).append(LINE_END);
    }

    public static void appendField(StringBuilder out, String value) {
        boolean quote = false;
        for (int i = 0; i < value.length() && !quote; i++) {
            char c = value.charAt(i);
            quote = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        if (!quote) {
            out.append(value);
            return;
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            out.append(c);
            if (c == '"') {
                out.append('"');
            }
        }
        out.append('"');
    }

    /** A text cell as written: with one more leading quote when its leading quotes are followed by a formula start. */
    public static String neutralise(String value) {
        return startsLikeAFormula(value, 0) ? "'" + value : value;
    }

    /** A text cell as read: the inverse of {@link #neutralise}, which removes exactly one leading quote. */
    public static String restore(String cell) {
        return cell.startsWith("'") && startsLikeAFormula(cell, 1) ? cell.substring(1) : cell;
    }

    private static boolean startsLikeAFormula(String value, int from) {
        int i = from;
        while (i < value.length() && value.charAt(i) == '\'') {
            i++;
        }
        return i < value.length() && FORMULA_STARTS.indexOf(value.charAt(i)) >= 0;
    }

    static String tags(List<String> tags) {
        StringBuilder joined = new StringBuilder();
        for (String tag : tags) {
            if (!joined.isEmpty()) {
                joined.append(';');
            }
            joined.append(tag.replace("\\", "\\\\").replace(";", "\\;"));
        }
        return joined.toString();
    }

    public static List<String> splitTags(String field) {
        List<String> tags = new ArrayList<>();
        if (field.isEmpty()) {
            return tags;
        }
        StringBuilder tag = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 1 < field.length()) {
                tag.append(field.charAt(++i));
            } else if (c == ';') {
                tags.add(tag.toString());
                tag.setLength(0);
            } else {
                tag.append(c);
            }
        }
        tags.add(tag.toString());
        return tags;
    }

    /** Whether a record is Tally's header (the first record of every export). */
    public static boolean isHeader(List<String> fields) {
        return HEADER.equals(fields);
    }

    /** A record back into a row; the exception's message says which field is wrong. */
    public static ExportRow read(List<String> fields) {
        if (fields.size() != HEADER.size()) {
            throw new IllegalArgumentException("has " + fields.size() + " fields, not " + HEADER.size());
        }
        try {
            return new ExportRow(fields.get(0), LocalDate.parse(fields.get(1)), EntryType.fromWire(fields.get(2)),
                    Money.parse(fields.get(3), fields.get(4)), restore(fields.get(5)), restore(fields.get(6)),
                    splitTags(restore(fields.get(7))), Instant.parse(fields.get(8)));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("is not a Tally transaction: " + e.getMessage(), e);
        }
    }
}
