package app.tally.services.dashboard;

import app.tally.services.Parameters;
import app.tally.services.Refusal;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Optional;

/** {@code ?month=2026-11&months=6&debug=timings}; a malformed parameter is a 400. */
public record DashboardQuery(Optional<YearMonth> month, int months, boolean timings) {
    public static final int DEFAULT_MONTHS = 6;
    public static final int MAX_MONTHS = 24;
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("uuuu-MM").withResolverStyle(ResolverStyle.STRICT);

    public static DashboardQuery from(Parameters request) {
        Optional<YearMonth> month = request.query("month").map(value -> {
            try {
                YearMonth parsed = YearMonth.parse(value, MONTH);
                if (parsed.getYear() < 1900 || parsed.getYear() > 2999) {
                    throw new DateTimeParseException("out of range", value, 0);
                }
                return parsed;
            } catch (DateTimeParseException e) {
                throw Refusal.malformed("month must be a month as yyyy-MM between 1900-01 and 2999-12.");
            }
        });
        int months = request.boundedInt("months", 1, MAX_MONTHS, DEFAULT_MONTHS);
        boolean timings = request.query("debug").map("timings"::equals).orElse(false);
        return new DashboardQuery(month, months, timings);
    }
}
