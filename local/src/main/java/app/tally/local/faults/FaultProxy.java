package app.tally.local.faults;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * An HTTP/1.1 proxy on loopback in front of one emulator that makes a share of the requests fail the way the real
 * service or network would (see {@link Fault}): throttling and 500 errors in the service's own shape, slow answers,
 * and connections cut before or after the request reached the emulator. Requests and answers are forwarded byte for
 * byte (signatures stay valid); each client connection gets its own connection to the emulator.
 * <p>
 * The plan can change while requests flow; what happened is counted per operation and fault.
 */
public final class FaultProxy implements AutoCloseable {
    private final ProxiedService service;
    private final ServerSocket server;
    private final int targetPort;
    private volatile FaultPlan plan;
    /** The plan's per-key write limit (DynamoDB only), with its buckets; replaced with the plan. */
    private volatile KeyThrottle keys;
    private final LongSupplier nanoClock;
    private SplittableRandom random;
    private long injectedSincePlan;
    private final AtomicLong requests = new AtomicLong();
    private final Map<String, LongAdder> injected = new ConcurrentHashMap<>();

    public FaultProxy(ProxiedService service, int listenPort, int targetPort, FaultPlan plan) throws IOException {
        this(service, listenPort, targetPort, plan, System::nanoTime);
    }

    /** With the clock the per-key write limit refills by (a test's own, so that time passes only when it says). */
    FaultProxy(ProxiedService service, int listenPort, int targetPort, FaultPlan plan, LongSupplier nanoClock)
            throws IOException {
        this.nanoClock = nanoClock;
        this.service = service;
        this.targetPort = targetPort;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), listenPort), 256);
        plan(plan);
        daemon(this::accept, "fault-proxy-" + service.label());
    }

    public ProxiedService service() {
        return service;
    }

    public int port() {
        return server.getLocalPort();
    }

    public FaultPlan plan() {
        return plan;
    }

    /** Switches to a new plan; its seed restarts the choice of victims. */
    public synchronized void plan(FaultPlan next) {
        random = new SplittableRandom(next.seed() * 31 + service.ordinal());
        injectedSincePlan = 0;
        keys = service == ProxiedService.DYNAMODB && next.keyLimit().on() ? new KeyThrottle(next.keyLimit(), nanoClock) : null;
        plan = next;
    }

    /** Writes (items or transaction actions) the per-key write limit refused since the plan began. */
    public long throttledByKeyLimit() {
        KeyThrottle limited = keys;
        return limited == null ? 0 : limited.throttledWrites();
    }

    public void resetCounts() {
        requests.set(0);
        injected.clear();
    }

    public long requests() {
        return requests.get();
    }

    /** "Operation fault" → how many requests met it. */
    public Map<String, Long> injected() {
        Map<String, Long> counts = new TreeMap<>();
        injected.forEach((key, count) -> counts.put(key, count.sum()));
        return counts;
    }

    /** Injected faults by kind, over every operation. */
    public Map<Fault, Long> injectedByFault() {
        Map<Fault, Long> counts = new TreeMap<>();
        injected.forEach((key, count) -> counts.merge(Fault.fromWire(key.substring(key.indexOf(' ') + 1)), count.sum(),
                Long::sum));
        return counts;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                client.setTcpNoDelay(true);
                daemon(() -> serve(client), "fault-proxy-" + service.label() + "-conn");
            } catch (IOException e) {
                if (!server.isClosed()) {
                    System.err.println("[fault proxy " + service.label() + "] " + e.getMessage());
                }
            }
        }
    }

    /** One client connection: requests one after another, each forwarded or failed as the plan says. */
    private void serve(Socket client) {
        try (client; Upstream upstream = new Upstream()) {
            InputStream fromClient = new BufferedInputStream(client.getInputStream(), 64 * 1024);
            OutputStream toClient = new BufferedOutputStream(client.getOutputStream(), 64 * 1024);
            while (true) {
                HttpMessage request = HttpMessage.readRequest(fromClient);
                if (request == null) {
                    return;
                }
                if ("100-continue".equalsIgnoreCase(request.header("Expect"))) {
                    // The whole body is read before forwarding, so the proxy gives the go-ahead itself.
                    request = request.without("Expect");
                }
                requests.incrementAndGet();
                FaultPlan current = plan;
                String operation = service.operation(request);
                Fault fault = choose(current, operation);
                if (fault != null) {
                    injected.computeIfAbsent(operation + " " + fault.wire(), k -> new LongAdder()).increment();
                }
                if (fault == Fault.DROP_BEFORE) {
                    reset(client);
                    return;
                }
                if (fault == Fault.THROTTLE || fault == Fault.ERROR) {
                    HttpMessage answer = fault == Fault.THROTTLE ? service.throttle(requests.get()) : service.serverError();
                    delay(current.latencyMillis());
                    answer.writeTo(toClient);
                    continue;
                }
                KeyThrottle limited = keys;
                HttpMessage response = limited != null && limited.applies(operation)
                        ? limited.handle(operation, request, upstream::exchange) : upstream.exchange(request);
                if (fault == Fault.DROP_AFTER) {
                    reset(client);
                    return;
                }
                delay(current.latencyMillis() + (fault == Fault.SLOW ? current.slowMillis() : 0));
                pause(Latency.current().nanos(service));
                response.writeTo(toClient);
                if (response.closes() || request.closes()) {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            // The client or the emulator went away (or the emulator is down): the client sees a cut connection.
        }
    }

    /** The connection to the emulator that serves one client connection, opened when first needed. */
    private final class Upstream implements AutoCloseable {
        /** Servers close idle keep-alive connections (Node after 5 s): an older one is not reused. */
        private static final long MAX_IDLE_NANOS = 2_000_000_000L;
        private Socket socket;
        private InputStream in;
        private OutputStream out;
        private long lastUsed;

        HttpMessage exchange(HttpMessage request) throws IOException {
            boolean reused = socket != null && System.nanoTime() - lastUsed < MAX_IDLE_NANOS;
            if (!reused) {
                open();
            }
            HttpMessage response;
            try {
                request.writeTo(out);
                response = HttpMessage.readResponse(in, request.method());
            } catch (IOException closedWhileIdle) {
                if (!reused) {
                    throw closedWhileIdle;
                }
                // A server closes a kept-alive connection only between requests: this one was never served.
                open();
                request.writeTo(out);
                response = HttpMessage.readResponse(in, request.method());
            }
            lastUsed = System.nanoTime();
            if (response.closes()) {
                close();
            }
            return response;
        }

        private void open() throws IOException {
            close();
            socket = new Socket(InetAddress.getLoopbackAddress(), targetPort);
            socket.setTcpNoDelay(true);
            in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        }

        @Override
        public void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // already closed
                }
                socket = null;
            }
        }
    }

    private synchronized Fault choose(FaultPlan current, String operation) {
        if (current.rate() == 0 || !current.targets(service.label(), operation)
                || current.count() > 0 && injectedSincePlan >= current.count()) {
            return null;
        }
        if (random.nextDouble() >= current.rate()) {
            return null;
        }
        injectedSincePlan++;
        return current.faults().get(random.nextInt(current.faults().size()));
    }

    /** Cuts the connection with a reset, as a crashed peer or a middlebox would. */
    private static void reset(Socket client) throws IOException {
        client.setSoLinger(true, 0);
        client.close();
    }

    private static void delay(long millis) {
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The service's round trip ({@link Latency}): slept with sub-millisecond precision. */
    private static void pause(long nanos) {
        if (nanos > 0) {
            try {
                Thread.sleep(java.time.Duration.ofNanos(nanos));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void daemon(Runnable body, String name) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** A one-line summary: requests, and faults by kind. */
    public String summary() {
        StringBuilder line = new StringBuilder(service.label()).append(": ").append(requests()).append(" requests");
        injectedByFault().forEach((fault, count) -> line.append(", ").append(count).append(' ').append(fault.wire()));
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
