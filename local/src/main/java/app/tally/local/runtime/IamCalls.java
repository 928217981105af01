package app.tally.local.runtime;

import app.tally.local.runtime.AwsActions.Access;
import app.tally.local.runtime.IamRole.Decision;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The permissions each function used in this JVM, and those it was denied: one line per function, action and
 * outcome (with the first resource seen), appended to the file TALLY_IAM_CALLS names as each first occurs. The
 * tally script compares them with the template after the integration suite ({@link IamUsage}).
 */
public final class IamCalls {
    /** A line of the file: function, action, allowed or denied, the first resource it was seen on. */
    public record Call(String function, String action, boolean allowed, String resource) {
        static Call parse(String line) {
            String[] fields = line.split("\t", 4);
            return new Call(fields[0], fields[1], fields[2].equals("allowed"), fields[3]);
        }

        String line() {
            return function + "\t" + action + "\t" + (allowed ? "allowed" : "denied") + "\t" + resource;
        }
    }

    private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();
    private static final String FILE = System.getenv("TALLY_IAM_CALLS");

    private IamCalls() {
    }

    static void record(String function, Access access, Decision decision) {
        boolean allowed = decision == Decision.ALLOWED;
        if (FILE == null || !SEEN.add(function + "\t" + access.action() + "\t" + allowed)) {
            return;
        }
        String line = new Call(function, access.action(), allowed, access.resource()).line() + "\n";
        synchronized (IamCalls.class) {
            try {
                Files.writeString(Path.of(FILE), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot record an IAM call in " + FILE, e);
            }
        }
    }

    public static List<Call> read(Path file) throws IOException {
        List<Call> calls = new ArrayList<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    calls.add(Call.parse(line));
                }
            }
        }
        return calls;
    }
}
