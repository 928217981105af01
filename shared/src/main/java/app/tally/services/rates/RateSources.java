package app.tally.services.rates;

import app.tally.aws.Env;
import app.tally.json.Json;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Currency;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The three sources, configured from the function's environment, and the checks every adapter applies to a value. */
public final class RateSources {
    /** Numbers read as the decimals they are written as, never through a double. */
    private static final ObjectReader DECIMALS = Json.MAPPER.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    /**
     * How far before the day asked for a source's day may lie: a weekend, then a holiday or two (Easter: Friday to
     * Monday). An answer for a later day, or an older one, is for the wrong date.
     */
    static final int MAX_DAYS_BEHIND = 5;
    private static final Pattern CODE = Pattern.compile("[A-Z]{3}");
    /** ISO 4217 as the JDK knows it: currency-api also lists crypto tokens and metals, some with three letters. */
    private static final Set<String> ISO_4217 = Currency.getAvailableCurrencies().stream()
            .map(Currency::getCurrencyCode).collect(Collectors.toUnmodifiableSet());

    private RateSources() {
    }

    /**
     * RATES_ECB_URL (the folder of ECB's files), RATES_FRANKFURTER_URL (Frankfurter's root) and
     * RATES_CURRENCY_API_URLS (comma-separated address templates with {date} and {base}, primary first, then mirrors).
     */
    public static List<RateSource> fromEnvironment(Env env) {
        return List.of(new EcbSource(env.require("RATES_ECB_URL")),
                new FrankfurterSource(env.require("RATES_FRANKFURTER_URL")),
                new CurrencyApiSource(Arrays.stream(env.require("RATES_CURRENCY_API_URLS").split(","))
                        .map(String::trim).filter(s -> !s.isEmpty()).toList()));
    }

    /** A three-letter upper-case code, as every source spells ISO 4217 codes (currency-api in lower case). */
    static String currency(String code) {
        if (code == null || !CODE.matcher(code).matches()) {
            throw new MalformedRatesException("not a currency code: " + code);
        }
        return code;
    }

    /** True for an ISO 4217 code; a source's other entries (tokens such as BTC) are skipped, not errors. */
    static boolean isIso(String code) {
        return ISO_4217.contains(code);
    }

    /** A positive decimal, read exactly from its text. */
    static BigDecimal rate(String text) {
        try {
            BigDecimal rate = new BigDecimal(text);
            if (rate.signum() <= 0) {
                throw new MalformedRatesException("not a positive rate: " + text);
            }
            return rate;
        } catch (NumberFormatException | NullPointerException e) {
            throw new MalformedRatesException("not a rate: " + text, e);
        }
    }

    static BigDecimal rate(JsonNode value) {
        if (!value.isNumber()) {
            throw new MalformedRatesException("not a number: " + value);
        }
        return rate(value.decimalValue().toPlainString());
    }

    static JsonNode json(String body, String source) {
        try {
            JsonNode json = DECIMALS.readTree(body);
            if (json == null || !json.isObject()) {
                throw new MalformedRatesException(source + " answer is not a JSON object");
            }
            return json;
        } catch (IOException e) {
            throw new MalformedRatesException(source + " answer is not JSON", e);
        }
    }

    /** The day a source says its rates are for, which must be {@code asked} or at most a few days before it. */
    static LocalDate day(String text, LocalDate asked) {
        LocalDate day;
        try {
            day = LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new MalformedRatesException("not a date: " + text, e);
        }
        if (day.isAfter(asked) || day.isBefore(asked.minusDays(MAX_DAYS_BEHIND))) {
            throw new MalformedRatesException("rates for " + day + " when " + asked + " was asked");
        }
        return day;
    }
}
