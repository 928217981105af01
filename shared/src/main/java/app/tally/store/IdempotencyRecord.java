package app.tally.store;

/** What a request with an Idempotency-Key produced: replayed for the same request until it expires. */
public record IdempotencyRecord(String key, String requestHash, String response, long expiresAtEpochSecond) {
}
