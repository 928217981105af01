package app.tally.local.faults;

/** Which DynamoDB partition keys the fault proxy holds to a write rate, and the rate per key (see {@link KeyThrottle}). */
public record KeyLimit(String keyPrefix, double writeUnitsPerSecond) {
    public static final KeyLimit NONE = new KeyLimit("", 0);

    public KeyLimit {
        if (writeUnitsPerSecond < 0 || Double.isNaN(writeUnitsPerSecond)) {
            throw new IllegalArgumentException("keyWriteUnits must be a number of at least 0");
        }
    }

    public boolean on() {
        return writeUnitsPerSecond > 0;
    }

    public String describe() {
        return on() ? String.format("%,.0f WCU/s per partition key starting '%s'", writeUnitsPerSecond, keyPrefix)
                : "no key limit";
    }
}
