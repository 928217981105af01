package app.tally.services.profile;

import app.tally.model.Money;
import app.tally.model.Profile;
import app.tally.services.Fields;
import app.tally.store.ProfileStore;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** Reads and changes profiles; a user's first visit creates theirs. */
public final class Profiles {
    private static final int MAX_NAME = 100;
    private static final Set<String> FIELDS = Set.of("name", "currency", "timeZone");
    private final ProfileStore store;
    private final String defaultCurrency;
    private final Clock clock;

    public Profiles(ProfileStore store, String defaultCurrency, Clock clock) {
        this.store = store;
        this.defaultCurrency = Money.currency(defaultCurrency);
        this.clock = clock;
    }

    public CompletableFuture<Profile> get(String user, Map<String, String> claims) {
        return store.find(user).thenCompose(found -> found.isPresent()
                ? CompletableFuture.completedFuture(found.get())
                : store.createIfAbsent(initial(user, claims)));
    }

    /** The profile, or the one a first visit would create, without writing it (for read-only callers). */
    public CompletableFuture<Profile> peek(String user, Map<String, String> claims) {
        return store.find(user).thenApply(found -> found.orElseGet(() -> initial(user, claims)));
    }

    /** The currency a new transaction takes when its body names none. */
    public CompletableFuture<String> currencyOf(String user) {
        return store.find(user).thenApply(found -> found.map(Profile::currency).orElse(defaultCurrency));
    }

    public CompletableFuture<Profile> change(String user, Map<String, String> claims, ObjectNode body) {
        Fields fields = new Fields();
        fields.rejectUnknown(body, FIELDS);
        String name = fields.text(body, "name");
        if (name != null) {
            name = name.strip();
            if (name.isEmpty() || name.codePointCount(0, name.length()) > MAX_NAME
                    || name.codePoints().anyMatch(Character::isISOControl)) {
                fields.reject("name", "must be 1 to " + MAX_NAME + " characters without control characters");
            }
        }
        String currency = fields.parse("currency", fields.text(body, "currency"), Money::currency);
        String timeZone = fields.text(body, "timeZone");
        if (timeZone != null) {
            try {
                timeZone = ZoneId.of(timeZone).getId();
            } catch (DateTimeException e) {
                fields.reject("timeZone", "must be an IANA time zone such as \"Asia/Shanghai\"");
            }
        }
        if (body.isEmpty()) {
            fields.reject("body", "must change at least one of name, currency, timeZone");
        }
        fields.throwIfAny();
        return store.update(initial(user, claims), name, currency, timeZone, clock.instant());
    }

    private Profile initial(String user, Map<String, String> claims) {
        String name = claims.getOrDefault("name", claims.getOrDefault("email", "Tally user"));
        var now = clock.instant();
        return new Profile(user, name, defaultCurrency, "UTC", now, now);
    }
}
