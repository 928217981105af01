package app.tally.services;

import java.util.Map;
import java.util.Optional;

/** The named parameters of a read (at the edge, a URL's query string), and the one way to read a bounded number. */
public interface Parameters {
    /** Every parameter as given. */
    Map<String, String> query();

    /** The parameter's value; absent when missing or empty. */
    Optional<String> query(String name);

    /**
     * The parameter as a whole number from {@code min} to {@code max}, {@code fallback} when absent; anything else
     * (not a number, out of range) is {@link Refusal.Reason#MALFORMED}.
     */
    default int boundedInt(String name, int min, int max, int fallback) {
        return query(name).map(value -> {
            try {
                int parsed = Integer.parseInt(value);
                if (parsed >= min && parsed <= max) {
                    return parsed;
                }
            } catch (NumberFormatException e) {
                // the same answer as an out-of-range number
            }
            throw Refusal.malformed(name + " must be a whole number from " + min + " to " + max + ".");
        }).orElse(fallback);
    }
}
