package app.tally.services;

/**
 * Why a service will not do what it was asked, other than invalid input ({@link app.tally.model.InvalidInput}): the
 * edge maps each reason to its problem (app.tally.http.Problems), so services never name an HTTP status.
 */
public final class Refusal extends RuntimeException {
    public enum Reason {
        /** A parameter, cursor or path segment that cannot be read as what it names. */
        MALFORMED,
        NOT_FOUND,
        /** The state of the thing does not allow it now (e.g. a job not yet uploaded). */
        CONFLICT,
        TOO_LARGE,
        /** A dependency did not answer in time: worth retrying shortly. */
        UNAVAILABLE
    }

    private final Reason reason;

    private Refusal(Reason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public static Refusal malformed(String detail) {
        return new Refusal(Reason.MALFORMED, detail);
    }

    public static Refusal notFound(String what) {
        return new Refusal(Reason.NOT_FOUND, what + " does not exist.");
    }

    public static Refusal conflict(String detail) {
        return new Refusal(Reason.CONFLICT, detail);
    }

    /** Content over {@code limitBytes}; {@code instead} says where content this large goes (null: nowhere). */
    public static Refusal tooLarge(long limitBytes, String instead) {
        return new Refusal(Reason.TOO_LARGE, "The request body is larger than " + limitBytes + " bytes."
                + (instead == null ? "" : " " + instead));
    }

    public static Refusal unavailable(String detail) {
        return new Refusal(Reason.UNAVAILABLE, detail);
    }

    public Reason reason() {
        return reason;
    }
}
