package app.tally.services.rates;

import app.tally.model.Money;
import app.tally.services.Parameters;
import app.tally.services.Refusal;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code ?base=CNY&symbols=USD,JPY,EUR&date=2026-11-24}; a parameter out of bounds is a 400. */
public record RatesQuery(String base, Optional<Set<String>> symbols, LocalDate date) {
    /** ECB's reference rates, and so every source's history, begin in 1999. */
    public static final LocalDate FIRST_DAY = LocalDate.of(1999, 1, 1);
    /** More than ISO 4217 has codes for amounts. */
    public static final int MAX_SYMBOLS = 200;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuu-MM-dd").withResolverStyle(ResolverStyle.STRICT);

    public static RatesQuery from(Parameters request, LocalDate today) {
        String base = currency("base", request.query("base")
                .orElseThrow(() -> Refusal.malformed("base is required: an ISO 4217 code such as CNY.")));
        Optional<Set<String>> symbols = request.query("symbols").map(text -> {
            List<String> codes = List.of(text.split(",", -1));
            if (codes.size() > MAX_SYMBOLS) {
                throw Refusal.malformed("symbols names at most " + MAX_SYMBOLS + " currencies.");
            }
            Set<String> checked = new LinkedHashSet<>();
            codes.forEach(code -> checked.add(currency("symbols", code.trim())));
            return checked;
        });
        LocalDate date = request.query("date").map(text -> {
            try {
                LocalDate parsed = LocalDate.parse(text, DAY);
                if (!parsed.isBefore(FIRST_DAY) && !parsed.isAfter(today)) {
                    return parsed;
                }
            } catch (DateTimeParseException e) {
                // the same answer as a day out of range
            }
            throw Refusal.malformed("date must be a day as yyyy-MM-dd from " + FIRST_DAY + " to today (" + today + ").");
        }).orElse(today);
        return new RatesQuery(base, symbols, date);
    }

    private static String currency(String parameter, String code) {
        try {
            return Money.currency(code);
        } catch (IllegalArgumentException e) {
            throw Refusal.malformed(parameter + ": " + (code.length() > 8 ? code.substring(0, 8) + "…" : code)
                    + " " + e.getMessage() + ".");
        }
    }
}
