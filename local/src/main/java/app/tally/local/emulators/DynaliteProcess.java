package app.tally.local.emulators;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The DynamoDB emulator process the {@code tally} script started (its pid in {@code <stack dir>/dynalite.pid}), as a
 * crash test sees it: killed without warning and started again with the same command line, so that with
 * {@code --path} it comes back with what it had written. The new pid goes into the same file, so the script still
 * stops it.
 */
public final class DynaliteProcess {
    private final Path stackDir;

    public DynaliteProcess(Path stackDir) {
        this.stackDir = stackDir;
    }

    /** Kills the emulator (SIGKILL), waits {@code down}, starts it again and waits until it accepts connections. */
    public Duration crashAndRestart(Duration down) throws IOException, InterruptedException {
        Path pidFile = stackDir.resolve("dynalite.pid");
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        List<String> command = Arrays.asList(
                Files.readString(Path.of("/proc/" + pid + "/cmdline"), StandardCharsets.UTF_8).split("\0"));
        if (!command.contains("--path")) {
            throw new IllegalStateException("dynalite runs in memory: a restart would lose the table");
        }
        Path workDir = Path.of("/proc/" + pid + "/cwd").toRealPath();
        int port = Integer.parseInt(command.get(command.indexOf("--port") + 1));
        long started = System.nanoTime();
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("dynalite is not running"));
        process.destroyForcibly();
        process.onExit().orTimeout(10, TimeUnit.SECONDS).join();
        Thread.sleep(down.toMillis());
        Process restarted = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(stackDir.resolve("dynalite.log").toFile())).start();
        Files.writeString(pidFile, Long.toString(restarted.pid()));
        for (int i = 0; i < 300; i++) {
            try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return Duration.ofNanos(System.nanoTime() - started);
            } catch (IOException notYet) {
                if (!restarted.isAlive()) {
                    break;
                }
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("dynalite did not come back on port " + port);
    }
}
