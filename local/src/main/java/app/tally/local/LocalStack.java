package app.tally.local;

import app.tally.aws.AwsClients;
import app.tally.aws.Env;
import app.tally.local.emulators.Emulators;
import app.tally.local.faults.FaultProxies;
import app.tally.local.faults.Latency;
import app.tally.local.gateway.LocalGateway;
import app.tally.local.gateway.LocalJwt;
import app.tally.local.poller.QueuePoller;
import app.tally.local.push.PushSocketServer;
import app.tally.local.rates.RatesEmulator;
import app.tally.local.resources.LocalResources;
import app.tally.local.runtime.FunctionIam;
import app.tally.local.runtime.IamRole;
import app.tally.local.runtime.IamRoles;
import app.tally.local.template.LocalNames;
import app.tally.local.template.SamTemplate;
import app.tally.local.template.SamTemplate.FunctionDef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * The local stack, driven by the {@code tally} script:
 * <ul>
 *   <li>{@code env}: prints the environment the functions get from template.yaml, resolved for the local stack;</li>
 *   <li>{@code run}: starts the SQS and S3 emulators, creates the template's table, queues and bucket (DynamoDB is the
 *   dynalite process the script started), then serves the HTTP routes and polls the queues until stopped;</li>
 *   <li>{@code token USER}: prints a bearer token for USER.</li>
 * </ul>
 */
public final class LocalStack {
    /**
     * Local values of the template's parameters: CursorSecret (production passes its own at deploy time), and the rate
     * sources' addresses at the stack's rates emulator.
     */
    static final Map<String, String> PARAMETERS = parameters();
    static final Duration TOKEN_VALIDITY = Duration.ofHours(12);

    private LocalStack() {
    }

    private static Map<String, String> parameters() {
        Map<String, String> parameters = new TreeMap<>(RatesEmulator.parameters("http://127.0.0.1:" + ratesPort()));
        parameters.put("CursorSecret", "local-cursor-secret-for-development-only-0123456789");
        return Map.copyOf(parameters);
    }

    /** The rates emulator listens four ports above the API (beside the emulators' three). */
    static int ratesPort() {
        return apiPort() + 4;
    }

    private static int apiPort() {
        return Integer.parseInt(System.getenv().getOrDefault("TALLY_API_PORT", "3000"));
    }

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "help" : args[0];
        switch (command) {
            case "env" -> printEnvironment();
            case "run" -> run();
            case "token" -> System.out.println(jwt().issue(args.length > 1 ? args[1] : "demo-user", TOKEN_VALIDITY));
            default -> {
                System.err.println("usage: LocalStack env | run | token USER");
                System.exit(2);
            }
        }
    }

    public static Path root() {
        String configured = System.getProperty("tally.root", System.getenv("TALLY_ROOT"));
        Path start = Path.of(configured != null ? configured : ".").toAbsolutePath().normalize();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("template.yaml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("template.yaml not found above " + start);
    }

    public static SamTemplate template() {
        return SamTemplate.load(root().resolve("template.yaml"));
    }

    public static LocalJwt jwt() {
        String key = System.getenv("TALLY_JWT_KEY");
        return LocalJwt.fromKeyFile(key != null ? Path.of(key) : root().resolve(".tally/jwt.jwk"));
    }

    public static LocalNames names(SamTemplate template) {
        return new LocalNames(template, LocalEndpoints.emulators(), PARAMETERS);
    }

    /** Values of the template's parameters that have no default, for local runs. */
    public static Map<String, String> localParameters() {
        return PARAMETERS;
    }

    /** Every function's variables in one environment: the gateway hosts all handlers in one JVM, so none may clash. */
    public static Map<String, String> functionEnvironment(SamTemplate template, LocalNames names) {
        Map<String, String> all = new TreeMap<>();
        for (FunctionDef function : template.functions()) {
            names.functionEnvironment(function.logicalId()).forEach((name, value) -> {
                String previous = all.putIfAbsent(name, value);
                if (previous != null && !previous.equals(value)) {
                    throw new IllegalStateException(name + " differs between functions: " + previous + " / " + value);
                }
            });
        }
        all.remove("JAVA_TOOL_OPTIONS");
        return all;
    }

    private static void printEnvironment() {
        SamTemplate template = template();
        functionEnvironment(template, names(template))
                .forEach((name, value) -> System.out.println(name + "=" + shellQuote(value)));
    }

    private static String shellQuote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }

    private static void run() throws Exception {
        SamTemplate template = template();
        LocalEndpoints endpoints = LocalEndpoints.emulators();
        LocalNames names = names(template);
        int apiPort = apiPort();
        int retrySeconds = Integer.parseInt(System.getenv().getOrDefault("TALLY_RETRY_VISIBILITY_SECONDS", "2"));
        String s3Directory = System.getenv("TALLY_S3_DIR");

        // Expanding the template's roles (Python, aws-sam-translator) takes a second or two: alongside the emulators.
        CompletableFuture<Map<String, IamRole>> roles = CompletableFuture.supplyAsync(
                () -> IamRoles.expand(root(), root().resolve("template.yaml"), names));
        // "external": another SQS/S3 (e.g. LocalStack in Docker) is already listening at the endpoints.
        boolean external = "external".equals(System.getenv("TALLY_EMULATORS"));
        Emulators emulators = external ? null : Emulators.start(endpoints.sqs().getPort(), endpoints.s3().getPort(),
                s3Directory == null ? null : Path.of(s3Directory));
        // The functions' SDK clients reach the emulators through fault proxies when their endpoints say so.
        FaultProxies.start(LocalEndpoints.fromEnvironment(), endpoints);
        // TALLY_LATENCY=aws: every answer through them takes an in-region round trip (./tally cost, the benchmarks).
        Latency.set(Latency.parse(System.getenv("TALLY_LATENCY")));
        RatesEmulator rates = RatesEmulator.start(ratesPort());
        LocalClients clients = LocalClients.create(endpoints);
        new LocalResources(template, names, clients.dynamoDb(), clients.sqs(), clients.s3()).createAll();

        Map<String, IamRole> functionRoles = roles.join();
        Map<String, Object> handlers = new ConcurrentHashMap<>();
        java.util.function.Function<FunctionDef, Object> handlerOf = function -> handlers.computeIfAbsent(
                function.logicalId(), id -> instantiate(function, functionRoles.get(id)));
        LocalGateway gateway = new LocalGateway(template, handlerOf, jwt(), apiPort, root(), TOKEN_VALIDITY);
        int concurrencyCap = Integer.parseInt(System.getenv().getOrDefault("TALLY_MAX_CONCURRENCY", "3"));
        QueuePoller poller = QueuePoller.start(template, names, clients.sqs(), handlerOf, OptionalInt.of(retrySeconds),
                concurrencyCap);
        PushSocketServer push = PushSocketServer.start(template, names, handlerOf);

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            poller.close();
            push.close();
            gateway.close();
            rates.close();
            clients.close();
            if (emulators != null) {
                emulators.close();
            }
            stopped.countDown();
        }));
        System.out.println("Tally local stack ready: API http://127.0.0.1:" + gateway.port() + ", push socket "
                + push.url()
                + (FaultProxies.running() ? " (functions reach the emulators through fault proxies, faults off)" : ""));
        stopped.await();
    }

    /**
     * The handler class named in the template, made as its no-argument constructor (Lambda's) makes it, but with AWS
     * clients of its own that check each call against the function's role: every handler shares this JVM.
     */
    static Object instantiate(FunctionDef function, IamRole role) {
        try {
            return Class.forName(function.handlerClass()).getConstructor(Env.class, AwsClients.class)
                    .newInstance(Env.system(), AwsClients.tuned(new FunctionIam(role)));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot create " + function.handlerClass() + " for " + function.logicalId(), e);
        }
    }
}
