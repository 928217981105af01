package app.tally.local.faults;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long each service takes to answer, added by the fault proxies to every answer they forward: a mean and an even
 * jitter around it per service ({@code dynamodb=4~2,sqs=10,s3=10}: 2 to 6 ms per DynamoDB call, 10 ms per SQS or S3
 * call). {@link #AWS} is the in-region round trip a Lambda function sees (docs/testing.md says where the figures come
 * from); the emulators answer in well under a millisecond, which hides what concurrency buys. One setting for the
 * JVM: the stack's, set at start from TALLY_LATENCY or through {@code /_local/latency}.
 */
public record Latency(Map<ProxiedService, Delay> delays) {
    public static final Latency NONE = new Latency(Map.of());
    public static final Latency AWS = parse("dynamodb=4~2,sqs=10,s3=10");

    private static volatile Latency current = NONE;

    /** A mean and the most an answer may differ from it, both in milliseconds. */
    public record Delay(double meanMillis, double jitterMillis) {
        public Delay {
            if (meanMillis < 0 || jitterMillis < 0 || jitterMillis > meanMillis) {
                throw new IllegalArgumentException("a delay needs 0 <= jitter <= mean");
            }
        }

        long nanos() {
            double millis = meanMillis + (jitterMillis == 0 ? 0
                    : ThreadLocalRandom.current().nextDouble(-jitterMillis, jitterMillis));
            return Math.round(millis * 1_000_000);
        }
    }

    public Latency {
        delays = Map.copyOf(delays);
    }

    /** {@code aws}, {@code none}, or {@code service=mean[~jitter],...} with services dynamodb, sqs, s3. */
    public static Latency parse(String text) {
        String spec = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (spec.isEmpty() || spec.equals("none") || spec.equals("0")) {
            return NONE;
        }
        if (spec.equals("aws")) {
            return AWS;
        }
        Map<ProxiedService, Delay> delays = new EnumMap<>(ProxiedService.class);
        for (String part : spec.split(",")) {
            String[] serviceAndDelay = part.trim().split("=", 2);
            if (serviceAndDelay.length != 2) {
                throw new IllegalArgumentException("latency: expected service=millis[~jitter], got " + part);
            }
            ProxiedService service = ProxiedService.valueOf(serviceAndDelay[0].trim().toUpperCase(Locale.ROOT));
            String[] meanAndJitter = serviceAndDelay[1].trim().split("~", 2);
            delays.put(service, new Delay(Double.parseDouble(meanAndJitter[0]),
                    meanAndJitter.length > 1 ? Double.parseDouble(meanAndJitter[1]) : 0));
        }
        return new Latency(delays);
    }

    public static Latency current() {
        return current;
    }

    public static void set(Latency latency) {
        current = latency;
    }

    /** How long this answer of {@code service} waits. */
    public long nanos(ProxiedService service) {
        Delay delay = delays.get(service);
        return delay == null ? 0 : delay.nanos();
    }

    /** "DynamoDB 4±2 ms, SQS 10 ms, S3 10 ms", or "none". */
    public String describe() {
        if (delays.isEmpty()) {
            return "none";
        }
        StringBuilder text = new StringBuilder();
        new EnumMap<>(delays).forEach((service, delay) -> text.append(text.isEmpty() ? "" : ", ")
                .append(service.label()).append(' ').append(number(delay.meanMillis()))
                .append(delay.jitterMillis() > 0 ? "±" + number(delay.jitterMillis()) : "").append(" ms"));
        return text.toString();
    }

    private static String number(double millis) {
        return millis == Math.rint(millis) ? Long.toString((long) millis) : Double.toString(millis);
    }
}
