package app.tally.local.emulators;

import app.tally.local.LocalClients;
import app.tally.local.template.LocalNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/** In-process SQS (ElasticMQ) and S3 (S3Proxy) on 127.0.0.1. DynamoDB (dynalite) is a node process, not here. */
public final class Emulators implements AutoCloseable {

    private static final String HOST = "127.0.0.1";

    private final SQSRestServer sqs;
    private final S3Proxy s3;
    private final URI sqsEndpoint;
    private final URI s3Endpoint;

    private Emulators(SQSRestServer sqs, S3Proxy s3, URI sqsEndpoint, URI s3Endpoint) {
        this.sqs = sqs;
        this.s3 = s3;
        this.sqsEndpoint = sqsEndpoint;
        this.s3Endpoint = s3Endpoint;
    }

    /** Both emulators on free ports, S3 in memory. */
    public static Emulators start() {
        return start(0, 0, null);
    }

    /**
     * @param sqsPort     0 for a free port
     * @param s3Port      0 for a free port
     * @param s3Directory where S3Proxy keeps objects across restarts, or null to keep them in memory
     */
    public static Emulators start(int sqsPort, int s3Port, Path s3Directory) {
        int sqsBound = sqsPort == 0 ? freePort() : sqsPort;
        int s3Bound = s3Port == 0 ? freePort() : s3Port;
        SQSRestServer sqs = startSqs(sqsBound);
        try {
            S3Proxy s3 = startS3(s3Bound, s3Directory);
            return new Emulators(sqs, s3, URI.create("http://" + HOST + ":" + sqsBound),
                    URI.create("http://" + HOST + ":" + s3Bound));
        } catch (RuntimeException e) {
            sqs.stopAndWait();
            throw e;
        }
    }

    public URI sqsEndpoint() {
        return sqsEndpoint;
    }

    public URI s3Endpoint() {
        return s3Endpoint;
    }

    @Override
    public void close() {
        try {
            s3.stop();
        } catch (Exception e) {
            System.err.println("[emulators] S3Proxy did not stop cleanly: " + e);
        } finally {
            sqs.stopAndWait();
        }
    }

    private static SQSRestServer startSqs(int port) {
        // The server address, account and region make ElasticMQ's queue URLs and ARNs match LocalNames'.
        SQSRestServer server = SQSRestServerBuilder.withPort(port)
                .withInterface(HOST)
                .withServerAddress(new NodeAddress("http", HOST, port, ""))
                .withAWSAccountId(LocalNames.ACCOUNT_ID)
                .withAWSRegion(LocalNames.REGION)
                .start();
        server.waitUntilStarted();
        return server;
    }

    private static S3Proxy startS3(int port, Path directory) {
        BlobStore store = directory == null ? new TransientNio2BlobStore() : filesystemStore(directory);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create("http://" + HOST + ":" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4,
                        LocalClients.ACCESS_KEY_ID, LocalClients.SECRET_ACCESS_KEY)
                .build();
        try {
            proxy.start();
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not start on port " + port, e);
        }
        if (!"STARTED".equals(proxy.getState())) {
            throw new IllegalStateException("S3Proxy did not start on port " + port + ": " + proxy.getState());
        }
        return proxy;
    }

    private static BlobStore filesystemStore(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new FilesystemNio2BlobStore(directory.toAbsolutePath().toString());
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
