package app.tally.local;

import app.tally.telemetry.Metrics;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The local stack's output file, where its functions write one line per request and message with what it used
 * (docs/cost.md): a workload notes the offset before it runs and reads the lines written since.
 */
public record StackLog(Path path) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The file of the running stack, which the {@code tally} script names in TALLY_STACK_LOG. */
    public static StackLog fromEnvironment() {
        String path = System.getenv("TALLY_STACK_LOG");
        if (path == null) {
            throw new IllegalStateException("TALLY_STACK_LOG is not set: run this through ./tally");
        }
        return new StackLog(Path.of(path));
    }

    public long offset() throws IOException {
        return Files.size(path);
    }

    /** Waits until a second passes with no new line: the workload's last lines are written after its answers. */
    public void awaitQuiet() throws IOException, InterruptedException {
        long size = -1;
        while (size != offset()) {
            size = offset();
            Thread.sleep(1_000);
        }
    }

    public List<String> linesSince(long offset) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "r")) {
            byte[] bytes = new byte[(int) (file.length() - offset)];
            file.seek(offset);
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8).lines().toList();
        }
    }

    /** The DynamoDB write units the functions' lines among {@code lines} report. */
    public static double writeUnits(List<String> lines) throws IOException {
        double units = 0;
        for (String line : lines) {
            if (line.startsWith("{")) {
                units += JSON.readTree(line).path(Metrics.WRITE_UNITS).asDouble();
            }
        }
        return units;
    }
}
