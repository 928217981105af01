package app.tally.local.bench;

import app.tally.local.LocalClients;
import app.tally.local.LocalEndpoints;
import app.tally.local.emulators.DynaliteProcess;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./tally bench chaos}: the stack's functions reach DynamoDB, SQS and S3 through fault proxies that fail a
 * share of the requests (TALLY_CHAOS_RATE, default 0.10; TALLY_CHAOS_FAULTS, default all kinds). Under those faults:
 * the API workload (1,000 creates by 16 retrying clients, 300 patches, 200 deletes), a 10,000-row import during which
 * the DynamoDB emulator (on disk) is killed and restarted, and a 100,000-row export. Each is audited against the
 * table: rows expected, stored, duplicates, lost, statistics equal to a recount; plus the faults injected, the retries
 * they caused and the wall time. Exits 1 when a workload is not exact.
 */
final class ChaosBench {
    private static String mix;

    private ChaosBench() {
    }

    static void run() throws Exception {
        String rate = System.getenv().getOrDefault("TALLY_CHAOS_RATE", "0.10");
        String faults = System.getenv().getOrDefault("TALLY_CHAOS_FAULTS", "throttle,error,slow,drop-before,drop-after");
        String plan = "rate=" + rate + "&faults=" + faults + "&seed=" + System.getenv().getOrDefault("TALLY_CHAOS_SEED", "7");
        DynaliteProcess dynamoDb = new DynaliteProcess(Path.of(System.getenv("TALLY_STACK_DIR")));
        List<ChaosWorkloads.Outcome> outcomes = new ArrayList<>();
        List<String> injected = new ArrayList<>();
        try (LocalClients aws = LocalClients.create(LocalEndpoints.fromEnvironment())) {
            ChaosWorkloads chaos = new ChaosWorkloads(new ApiClient(ApiClient.gateway(), 8), aws.dynamoDb());
            String stamp = Long.toString(System.nanoTime(), 36);
            JsonNode[] faultsSeen = new JsonNode[1];

            arm(chaos, plan);
            outcomes.add(chaos.api("chaos-api-" + stamp, 1_000, 300, 200, 16, () -> faultsSeen[0] = chaos.faultsOff()));
            injected.add(summary(faultsSeen[0]));

            arm(chaos, plan);
            outcomes.add(chaos.imports("chaos-import-" + stamp, 10_000, jobId -> {
                try {
                    Duration took = dynamoDb.crashAndRestart(Duration.ofMillis(500));
                    System.out.printf("  (DynamoDB emulator killed and back after %.1f s)%n", took.toMillis() / 1000.0);
                } catch (Exception e) {
                    throw new IllegalStateException("restarting DynamoDB failed", e);
                }
            }));
            injected.add(summary(chaos.faultsOff()));

            String exportUser = "chaos-export-" + stamp;
            arm(chaos, plan);
            outcomes.add(chaos.export(exportUser, 100_000));
            injected.add(summary(chaos.faultsOff()));
            System.out.println("fault mix: " + mix + " (" + Runtime.getRuntime().availableProcessors() + " CPU cores)");
        }
        boolean exact = print(outcomes, injected);
        System.exit(exact ? 0 : 1);
    }

    private static void arm(ChaosWorkloads chaos, String plan) {
        JsonNode armed = chaos.faults(plan);
        if (armed == null) {
            throw new IllegalStateException("the stack runs without fault proxies (TALLY_FAULT_PROXY=1)");
        }
        mix = armed.get("plan").asText();
    }

    /** "DynamoDB 12,345 requests: 250 throttle, ...; SQS ...; SDK retries 1,234 of 12,000 calls". */
    static String summary(JsonNode status) {
        List<String> parts = new ArrayList<>();
        status.get("services").fields().forEachRemaining(service -> {
            StringBuilder line = new StringBuilder(String.format("%s %,d requests", service.getKey(),
                    service.getValue().get("requests").asLong()));
            List<String> kinds = new ArrayList<>();
            service.getValue().get("faults").fields().forEachRemaining(f ->
                    kinds.add(String.format("%,d %s", f.getValue().asLong(), f.getKey())));
            if (!kinds.isEmpty()) {
                line.append(" (").append(String.join(", ", kinds)).append(')');
            }
            parts.add(line.toString());
        });
        parts.add(String.format("SDK retries %,d of %,d calls", status.get("sdk").get("retries").asLong(),
                status.get("sdk").get("calls").asLong()));
        return String.join("; ", parts);
    }

    private static boolean print(List<ChaosWorkloads.Outcome> outcomes, List<String> injected) {
        boolean allExact = true;
        System.out.printf("%-62s %9s %9s %6s %6s %6s %8s %8s%n", "workload", "expected", "stored", "dupl.", "lost",
                "stats", "retries", "wall s");
        for (int i = 0; i < outcomes.size(); i++) {
            ChaosWorkloads.Outcome o = outcomes.get(i);
            System.out.printf("%-62s %,9d %,9d %6d %6d %6s %,8d %8.1f%n", o.workload(), o.expected(), o.stored(),
                    o.duplicates(), o.lost(), o.statisticsExact() ? "=" : "≠", o.clientRetries(), o.seconds());
            System.out.println("    " + o.result());
            System.out.println("    faults: " + injected.get(i));
            allExact &= o.exact();
        }
        System.out.println("(stats: statistics equal (=) or not (≠) to a recount from the stored rows, and for the API"
                + " each moved row forwarded to from its id's home; retries: the clients' HTTP retries)");
        System.out.println(allExact ? "every workload exact: 0 lost, 0 duplicates, statistics = recount"
                : "NOT EXACT: see above");
        return allExact;
    }
}
