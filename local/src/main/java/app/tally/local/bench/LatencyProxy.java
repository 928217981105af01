package app.tally.local.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy on loopback that delays every byte coming back from the target by a fixed time, as a network round
 * trip to DynamoDB would: each response arrives {@code delayMillis} later than the emulator sent it, whatever its
 * size. Requests pass straight through.
 */
public final class LatencyProxy implements AutoCloseable {
    private record Chunk(long dueNanos, byte[] bytes) {
    }

    private static final Chunk END = new Chunk(0, new byte[0]);
    private final ServerSocket server;
    private final int targetPort;
    private final long delayNanos;

    public LatencyProxy(int listenPort, int targetPort, long delayMillis) throws IOException {
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), listenPort));
        this.targetPort = targetPort;
        this.delayNanos = TimeUnit.MILLISECONDS.toNanos(delayMillis);
        daemon(this::accept, "proxy-accept");
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                client.setTcpNoDelay(true);
                Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                target.setTcpNoDelay(true);
                daemon(() -> pipe(client, target), "proxy-up");
                BlockingQueue<Chunk> delayed = new LinkedBlockingQueue<>();
                daemon(() -> readInto(target, delayed), "proxy-down-read");
                daemon(() -> writeFrom(delayed, client), "proxy-down-write");
            } catch (IOException e) {
                if (!server.isClosed()) {
                    System.err.println("proxy: " + e.getMessage());
                }
            }
        }
    }

    private static void pipe(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException ignored) {
            // the other side closed: nothing more to forward
        } finally {
            closeQuietly(from, to);
        }
    }

    private void readInto(Socket target, BlockingQueue<Chunk> delayed) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = target.getInputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                delayed.add(new Chunk(System.nanoTime() + delayNanos, Arrays.copyOf(buffer, n)));
            }
        } catch (IOException ignored) {
            // the target closed the connection
        } finally {
            delayed.add(END);
        }
    }

    private static void writeFrom(BlockingQueue<Chunk> delayed, Socket client) {
        try (OutputStream out = client.getOutputStream()) {
            for (Chunk chunk = delayed.take(); chunk != END; chunk = delayed.take()) {
                long wait = chunk.dueNanos() - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                out.write(chunk.bytes());
                out.flush();
            }
        } catch (IOException | InterruptedException ignored) {
            // the client went away
        } finally {
            closeQuietly(client);
        }
    }

    private static void daemon(Runnable body, String name) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket... sockets) {
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
