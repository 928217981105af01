package app.tally.model;

import java.time.Instant;

/** One line of a job's event log: started, chunk k done, retried, finished. */
public record JobEvent(Instant at, String text) {
}
