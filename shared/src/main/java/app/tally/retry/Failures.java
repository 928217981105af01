package app.tally.retry;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** The one way to see what failed behind a future's wrapping. */
public final class Failures {
    private Failures() {
    }

    /** The failure inside any CompletionException or ExecutionException layers; the failure itself when unwrapped. */
    public static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
