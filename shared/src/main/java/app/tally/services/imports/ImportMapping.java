package app.tally.services.imports;

import app.tally.json.Json;
import app.tally.model.FieldError;
import app.tally.model.InvalidInput;
import app.tally.model.Money;
import app.tally.services.Fields;
import app.tally.services.ledger.TransactionInput;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How to read a bank's CSV: which column holds the booking date and in which pattern; one signed amount column (with
 * a sign convention) or separate debit and credit columns; which column becomes the note and the category (or a
 * default category); the currency of the amounts and their decimal separator. Named presets cover common layouts.
 */
public record ImportMapping(String dateColumn, String datePattern, String amountColumn, Sign sign,
                            String debitColumn, String creditColumn, String noteColumn, String categoryColumn,
                            String defaultCategory, String currency, char decimalSeparator) {
    private static final Set<String> FIELDS = Set.of("dateColumn", "datePattern", "amountColumn", "sign",
            "debitColumn", "creditColumn", "noteColumn", "categoryColumn", "defaultCategory", "currency",
            "decimalSeparator");
    private static final Pattern CURRENCY_SIGNS = Pattern.compile("[¥￥$€£]");
    /** No-break and thin spaces, which banks put between digit groups, read as plain spaces. */
    private static final Pattern SPACES = Pattern.compile("[\\u00a0\\u2007\\u2009\\u202f]");
    private static final Pattern DIGITS_AND_SEPARATORS = Pattern.compile("[0-9., ]+");
    private static final Map<Character, Pattern> NUMERALS = Map.of('.', numeral('.', ','), ',', numeral(',', '.'));

    /** What a signed amount's sign means. */
    public enum Sign {
        /** A current account: money out is negative. */
        NEGATIVE_IS_EXPENSE,
        /** A credit card statement: charges are positive, payments negative. */
        POSITIVE_IS_EXPENSE;

        public String wire() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static Sign fromWire(String text) {
            for (Sign sign : values()) {
                if (sign.wire().equals(text)) {
                    return sign;
                }
            }
            throw new IllegalArgumentException("must be \"negative-is-expense\" or \"positive-is-expense\"");
        }
    }

    /**
     * Layouts of real bank exports. {@code cn-bank}: a Chinese current-account statement with separate income and
     * expense columns (交易日期, 收入, 支出, 交易类型, 备注). {@code us-bank}: a US checking-account CSV with one signed amount
     * (Posting Date as MM/dd/yyyy, Description, Amount).
     */
    public static final Map<String, ImportMapping> PRESETS = Map.of(
            "cn-bank", new ImportMapping("交易日期", "yyyy-MM-dd", null, null, "支出", "收入", "备注", "交易类型",
                    "未分类", "CNY", '.'),
            "us-bank", new ImportMapping("Posting Date", "MM/dd/yyyy", "Amount", Sign.NEGATIVE_IS_EXPENSE, null, null,
                    "Description", null, "Uncategorized", "USD", '.'));

    /**
     * Digits, optionally grouped in threes by one separator (the other of {@code .} and {@code ,}, or a space) used
     * throughout, then optionally the decimal separator and digits: {@code 1,234,567.89} or {@code 1.234.567,89}.
     */
    private static Pattern numeral(char decimal, char grouping) {
        // Inside brackets neither '.' nor ',' needs a backslash; outside, the decimal separator does.
        return Pattern.compile("(?<whole>[0-9]+|[0-9]{1,3}(?<g>[" + grouping + " ])[0-9]{3}(?:\\k<g>[0-9]{3})*)"
                + "(?:\\" + decimal + "(?<fraction>[0-9]+))?");
    }

    /** The columns this mapping reads, by the transaction field they fill. */
    public Map<String, String> columns() {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("date", dateColumn);
        if (amountColumn != null) {
            columns.put("amount", amountColumn);
        } else {
            if (debitColumn != null) {
                columns.put("debit", debitColumn);
            }
            if (creditColumn != null) {
                columns.put("credit", creditColumn);
            }
        }
        if (noteColumn != null) {
            columns.put("note", noteColumn);
        }
        if (categoryColumn != null) {
            columns.put("category", categoryColumn);
        }
        return columns;
    }

    public DateTimeFormatter dateFormat() {
        // 'u' is the proleptic year: with STRICT resolving, 'y' (year of era) would need an era field.
        return DateTimeFormatter.ofPattern(datePattern.replace('y', 'u'), Locale.ROOT)
                .withResolverStyle(ResolverStyle.STRICT);
    }

    /** A preset's name, or a mapping object; every problem is listed at once (422). */
    public static ImportMapping from(JsonNode node) {
        if (node.isTextual()) {
            ImportMapping preset = PRESETS.get(node.textValue());
            if (preset == null) {
                throw new InvalidInput("Unknown mapping.", List.of(new FieldError("mapping",
                        "must be one of " + new java.util.TreeSet<>(PRESETS.keySet()) + " or a mapping object")));
            }
            return preset;
        }
        if (!(node instanceof ObjectNode body)) {
            throw new InvalidInput("The mapping is not valid.", List.of(new FieldError(
                    "mapping", "must be a preset name or an object")));
        }
        Fields fields = new Fields();
        fields.rejectUnknown(body, FIELDS);
        String date = column(fields, body, "dateColumn", true);
        String pattern = fields.text(body, "datePattern");
        if (pattern == null) {
            pattern = "yyyy-MM-dd";
        }
        try {
            DateTimeFormatter formatter = DateTimeFormatter.ofPattern(pattern.replace('y', 'u'), Locale.ROOT);
            // A pattern without year, month and day cannot give a booking date.
            LocalDate sample = LocalDate.of(2026, 11, 28);
            if (!LocalDate.from(formatter.parse(formatter.format(sample))).equals(sample)) {
                fields.reject("datePattern", "must name the year, month and day");
            }
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            fields.reject("datePattern", "must name the year, month and day, e.g. yyyy/MM/dd");
        }
        String amount = column(fields, body, "amountColumn", false);
        String debit = column(fields, body, "debitColumn", false);
        String credit = column(fields, body, "creditColumn", false);
        Sign sign = null;
        String signText = fields.text(body, "sign");
        if (amount != null && (debit != null || credit != null)) {
            fields.reject("amountColumn", "give either amountColumn or debitColumn/creditColumn, not both");
        } else if (amount == null && debit == null && credit == null) {
            fields.reject("amountColumn", "is required (or debitColumn and creditColumn)");
        }
        if (signText != null) {
            try {
                sign = Sign.fromWire(signText);
            } catch (IllegalArgumentException e) {
                fields.reject("sign", e.getMessage());
            }
        } else if (amount != null) {
            sign = Sign.NEGATIVE_IS_EXPENSE;
        }
        String note = column(fields, body, "noteColumn", false);
        String category = column(fields, body, "categoryColumn", false);
        String defaultCategory = fields.text(body, "defaultCategory");
        if (defaultCategory != null) {
            defaultCategory = defaultCategory.strip();
            if (defaultCategory.isEmpty() || defaultCategory.length() > TransactionInput.MAX_CATEGORY) {
                fields.reject("defaultCategory", "must be 1 to " + TransactionInput.MAX_CATEGORY + " characters");
            }
        } else if (category == null) {
            fields.reject("defaultCategory", "is required when there is no categoryColumn");
        }
        String currency = fields.text(body, "currency");
        if (currency == null) {
            fields.reject("currency", "is required");
        } else {
            try {
                Money.currency(currency);
            } catch (IllegalArgumentException e) {
                fields.reject("currency", e.getMessage());
            }
        }
        String separator = fields.text(body, "decimalSeparator");
        if (separator != null && !(separator.equals(".") || separator.equals(","))) {
            fields.reject("decimalSeparator", "must be \".\" or \",\"");
        }
        fields.throwIfAny();
        return new ImportMapping(date, pattern, amount, sign, debit, credit, note, category, defaultCategory, currency,
                separator == null ? '.' : separator.charAt(0));
    }

    private static String column(Fields fields, ObjectNode body, String name, boolean required) {
        String value = fields.text(body, name);
        if (value == null) {
            if (required) {
                fields.reject(name, "is required");
            }
            return null;
        }
        if (value.isBlank()) {
            fields.reject(name, "must name a column");
            return null;
        }
        return value.strip();
    }

    public ObjectNode toJson() {
        ObjectNode json = Json.object();
        json.put("dateColumn", dateColumn);
        json.put("datePattern", datePattern);
        if (amountColumn != null) {
            json.put("amountColumn", amountColumn);
            json.put("sign", sign.wire());
        }
        putIf(json, "debitColumn", debitColumn);
        putIf(json, "creditColumn", creditColumn);
        putIf(json, "noteColumn", noteColumn);
        putIf(json, "categoryColumn", categoryColumn);
        putIf(json, "defaultCategory", defaultCategory);
        json.put("currency", currency);
        json.put("decimalSeparator", Character.toString(decimalSeparator));
        return json;
    }

    private static void putIf(ObjectNode json, String name, String value) {
        if (value != null) {
            json.put(name, value);
        }
    }

    /**
     * A bank's amount, read with this mapping's decimal separator: spaces and currency signs are ignored, a sign may
     * lead or trail, and parentheses mean negative. Digits may be grouped only in threes, by one separator that is
     * not the decimal one, so no amount is read two ways: with {@code ','} as decimal separator {@code "-12,50"} is
     * -12.50 and {@code "1.234,56"} is 1234.56; with {@code '.'}, {@code "12,5"} and {@code "1,23,456"} are refused.
     *
     * @return null when the cell is empty
     * @throws IllegalArgumentException with a row error's reason when the text is not such an amount
     */
    public BigDecimal amount(String raw) {
        String text = CURRENCY_SIGNS.matcher(SPACES.matcher(raw).replaceAll(" ")).replaceAll("").strip();
        if (text.isEmpty()) {
            return null;
        }
        boolean negative = false;
        if (text.startsWith("(") && text.endsWith(")")) {
            negative = true;
            text = text.substring(1, text.length() - 1).strip();
        }
        if (text.startsWith("-") || text.startsWith("+")) {
            negative ^= text.startsWith("-");
            text = text.substring(1).strip();
        } else if (text.endsWith("-")) {
            negative = !negative;
            text = text.substring(0, text.length() - 1).strip();
        }
        Matcher numeral = NUMERALS.get(decimalSeparator).matcher(text);
        if (!numeral.matches()) {
            throw new IllegalArgumentException(DIGITS_AND_SEPARATORS.matcher(text).matches()
                    ? "does not read as an amount with \"" + decimalSeparator + "\" as decimal separator: digits"
                            + " group only in threes, as in " + (decimalSeparator == '.' ? "1,234.56" : "1.234,56")
                    : "is not an amount");
        }
        String whole = numeral.group("whole").replaceAll("[^0-9]", "");
        String fraction = numeral.group("fraction");
        BigDecimal value = new BigDecimal(fraction == null ? whole : whole + "." + fraction);
        return negative ? value.negate() : value;
    }

    /** Every column a header must have for this mapping. */
    public List<String> requiredColumns() {
        return new ArrayList<>(columns().values());
    }
}
