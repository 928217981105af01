package app.tally.local.faults;

import java.util.Arrays;
import java.util.Locale;

/** What the {@link FaultProxy} can do to one request instead of passing it through unharmed. */
public enum Fault {
    /** Answered by the proxy with the service's own throttling error; the emulator never sees the request. */
    THROTTLE,
    /** Answered by the proxy with the service's own 500 error; the emulator never sees the request. */
    ERROR,
    /** Forwarded; the answer is held back for the plan's {@code slowMillis} before it is passed on. */
    SLOW,
    /** The connection is cut after the request was read, before it is forwarded: nothing happened. */
    DROP_BEFORE,
    /** The request is forwarded and answered, then the connection is cut: it happened, but the client saw an error. */
    DROP_AFTER;

    public String wire() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Fault fromWire(String wire) {
        return Arrays.stream(values()).filter(f -> f.wire().equals(wire.trim())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown fault '" + wire + "'; known: "
                        + Arrays.stream(values()).map(Fault::wire).toList()));
    }
}
