package app.tally.services.rates;

/** A source answered, but not with rates Tally can read: the source counts as failed, never as a 5xx. */
public final class MalformedRatesException extends RuntimeException {
    public MalformedRatesException(String message) {
        super(message);
    }

    public MalformedRatesException(String message, Throwable cause) {
        super(message, cause);
    }
}
