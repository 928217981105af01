package app.tally.model;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Currency;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** An amount of one currency, held as integer minor units (cents, fen, fils): money is never a float. */
public record Money(long minorUnits, String currency) {
    /**
     * The largest amount Tally records, in minor units, whatever the currency: 999,999,999,999.99 of a two-digit
     * currency, 99,999,999,999.999 KWD, 9,999,999,999.9999 CLF, 99,999,999,999,999 JPY. A cap in major units would
     * let a four-digit currency store 100 times more per row. Sums are never held in a {@code long}: a statistics
     * item is a DynamoDB number (38 digits) read as a {@link BigInteger}, so even at this cap an item would need
     * 10^24 rows to reach DynamoDB's limit (an import has at most 1,000,000), and a {@code long} sum would already
     * overflow at 92,234 rows. Within one write (at most 100 rows of a DynamoDB transaction) 10^16 stays far inside
     * a {@code long}.
     */
    public static final long MAX_MINOR_UNITS = 99_999_999_999_999L;
    private static final Pattern DECIMAL = Pattern.compile("(0|[1-9][0-9]{0,14})(\\.[0-9]{1,20})?");
    private static final Pattern CODE = Pattern.compile("[A-Z]{3}");
    private static final Map<String, Integer> FRACTION_DIGITS = new ConcurrentHashMap<>();

    /** Parses a positive decimal string such as {@code "12.34"}; the message of the exception says what is wrong. */
    public static Money parse(String decimal, String currency) {
        int digits = fractionDigits(currency);
        BigDecimal value = checkForm(decimal);
        if (value.stripTrailingZeros().scale() > digits) {
            throw new IllegalArgumentException(digits == 0
                    ? currency + " has no minor units"
                    : currency + " allows at most " + digits + " decimal places");
        }
        BigDecimal max = max(currency);
        if (value.compareTo(max) > 0) {
            throw new IllegalArgumentException("must be at most " + max.toPlainString());
        }
        return new Money(value.movePointRight(digits).longValueExact(), currency);
    }

    /** A positive decimal string, whatever its currency; otherwise an exception saying what is wrong. */
    public static BigDecimal checkForm(String decimal) {
        if (decimal == null || !DECIMAL.matcher(decimal).matches()) {
            throw new IllegalArgumentException("must be a decimal string such as \"12.34\"");
        }
        BigDecimal value = new BigDecimal(decimal);
        if (value.signum() <= 0) {
            throw new IllegalArgumentException("must be greater than zero");
        }
        return value;
    }

    /** The ISO 4217 code if it names a real currency with minor units defined; otherwise an exception with the reason. */
    public static String currency(String code) {
        if (code != null && FRACTION_DIGITS.containsKey(code)) {
            return code; // checked before: imports check one code per row
        }
        if (code == null || !CODE.matcher(code).matches()) {
            throw new IllegalArgumentException("must be an ISO 4217 code such as \"CNY\"");
        }
        Currency known = Currency.getAvailableCurrencies().stream()
                .filter(c -> c.getCurrencyCode().equals(code))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(code + " is not an ISO 4217 currency"));
        if (known.getDefaultFractionDigits() < 0) {
            throw new IllegalArgumentException(code + " is not a currency for amounts");
        }
        return code;
    }

    /** Cached: exports format every amount, and looking a code up scans every currency the JDK knows. */
    public static int fractionDigits(String currency) {
        Integer cached = currency == null ? null : FRACTION_DIGITS.get(currency);
        if (cached != null) {
            return cached;
        }
        int digits = Currency.getInstance(currency(currency)).getDefaultFractionDigits();
        FRACTION_DIGITS.put(currency, digits);
        return digits;
    }

    /** The largest amount of this currency Tally records, e.g. {@code 9999999999.9999} for CLF. */
    public static BigDecimal max(String currency) {
        return BigDecimal.valueOf(MAX_MINOR_UNITS, fractionDigits(currency));
    }

    public Money plus(long minor) {
        return new Money(Math.addExact(minorUnits, minor), currency);
    }

    /** The decimal string with exactly the currency's minor digits, e.g. {@code "12.30"}, {@code "1500"}. */
    public String toDecimalString() {
        return toDecimalString(minorUnits, currency);
    }

    public static String toDecimalString(long minorUnits, String currency) {
        return BigDecimal.valueOf(minorUnits, fractionDigits(currency)).toPlainString();
    }

    /** The same for a sum of amounts, which may be beyond any {@code long}. */
    public static String toDecimalString(BigInteger minorUnits, String currency) {
        return new BigDecimal(minorUnits, fractionDigits(currency)).toPlainString();
    }
}
