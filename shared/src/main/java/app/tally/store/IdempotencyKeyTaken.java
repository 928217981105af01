package app.tally.store;

/** A create whose Idempotency-Key has a live record already: nothing was written; the record says what to answer. */
public final class IdempotencyKeyTaken extends RuntimeException {
    IdempotencyKeyTaken() {
        super("The idempotency key has a record", null, false, false);
    }
}
