package app.tally.model;

import java.time.Instant;

/** A user's profile: how Tally addresses them and which currency and time zone they book in by default. */
public record Profile(String id, String name, String currency, String timeZone, Instant createdAt, Instant updatedAt) {
}
