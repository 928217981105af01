package app.tally.it;

import app.tally.local.LocalEndpoints;
import app.tally.local.LocalStack;
import app.tally.local.template.LocalNames;
import app.tally.local.template.SamTemplate;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The opt-in LocalStack run ({@code mvn -pl local -P localstack verify}): the same integration suite, with LocalStack
 * in Docker in place of dynalite, ElasticMQ and S3Proxy. Loaded only by that profile (extension auto-detection);
 * without a Docker engine it says so and skips every test.
 */
public final class LocalStackTarget implements ExecutionCondition {
    private static final String IMAGE = "localstack/localstack:4.0";
    private static ConditionEvaluationResult state;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        synchronized (LocalStackTarget.class) {
            if (state == null) {
                state = start();
            }
            return state;
        }
    }

    private static ConditionEvaluationResult start() {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            String reason = "No Docker engine found: the LocalStack integration run is skipped.";
            System.err.println(reason);
            return ConditionEvaluationResult.disabled(reason);
        }
        LocalStackContainer localStack = new LocalStackContainer(DockerImageName.parse(IMAGE))
                .withServices("dynamodb", "sqs", "s3");
        localStack.start();
        String endpoint = localStack.getEndpoint().toString();
        int apiPort = freePort();
        Map<String, String> env = new HashMap<>();
        for (String name : new String[] {"AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_SQS",
                "AWS_ENDPOINT_URL_S3"}) {
            env.put(name, endpoint);
            System.setProperty(name, endpoint);
        }
        SamTemplate template = LocalStack.template();
        LocalNames names = new LocalNames(template, LocalEndpoints.from(env::get), LocalStack.localParameters());
        env.putAll(LocalStack.functionEnvironment(template, names));
        env.putAll(Map.of("TALLY_EMULATORS", "external", "TALLY_API_PORT", Integer.toString(apiPort),
                "AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test"));
        try {
            ProcessBuilder builder = new ProcessBuilder("java", "-cp", System.getProperty("java.class.path"),
                    LocalStack.class.getName(), "run").inheritIO();
            builder.environment().putAll(env);
            Process stack = builder.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stack.destroy();
                localStack.stop();
            }));
            waitForPort(apiPort, stack);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start the local gateway against LocalStack", e);
        }
        System.setProperty("TALLY_API_URL", "http://127.0.0.1:" + apiPort);
        return ConditionEvaluationResult.enabled("running against LocalStack " + IMAGE);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void waitForPort(int port, Process stack) {
        for (int i = 0; i < 1200 && stack.isAlive(); i++) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        throw new IllegalStateException("The local gateway did not start against LocalStack");
    }
}
