package app.tally.services.rates;

/**
 * How one source's part of a fetch ended: its {@code quote}, or the {@code failure} that stands for it (a timeout, an
 * HTTP status, a malformed body), or neither when the source has no data for the day and was not asked.
 */
public record SourceResult(String source, Quote quote, String failure) {
    static SourceResult answered(Quote quote) {
        return new SourceResult(quote.source(), quote, null);
    }

    static SourceResult failed(String source, String failure) {
        return new SourceResult(source, null, failure);
    }

    static SourceResult notAsked(String source) {
        return new SourceResult(source, null, null);
    }
}
