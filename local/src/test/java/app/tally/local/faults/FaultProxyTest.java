package app.tally.local.faults;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.tally.local.LocalClients;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.client.builder.SdkAsyncClientBuilder;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

class FaultProxyTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private HttpServer target;
    private final AtomicInteger served = new AtomicInteger();

    @BeforeEach
    void echoServer() throws IOException {
        target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        target.createContext("/", exchange -> {
            served.incrementAndGet();
            byte[] body = exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("X-Seen-Method", exchange.getRequestMethod());
            exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        target.start();
    }

    @AfterEach
    void stop() {
        target.stop(0);
    }

    private FaultProxy proxy(ProxiedService service, FaultPlan plan) throws IOException {
        return new FaultProxy(service, 0, target.getAddress().getPort(), plan);
    }

    private static FaultPlan always(Fault fault) {
        return new FaultPlan(1, List.of(fault), 300, 0, Set.of(), 1, 0, KeyLimit.NONE);
    }

    private static HttpRequest post(FaultProxy proxy, byte[] body, boolean chunked) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + "/echo?x=1"))
                .POST(chunked ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
                        : HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    @Test
    void withoutFaultsRequestsAndAnswersPassUnchangedOverOneConnection() throws Exception {
        byte[] body = new byte[300_000];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i;
        }
        try (FaultProxy proxy = proxy(ProxiedService.S3, FaultPlan.NONE)) {
            for (boolean chunked : List.of(false, true, false)) {
                HttpResponse<byte[]> response = HTTP.send(post(proxy, body, chunked), HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, response.statusCode());
                assertArrayEquals(body, response.body());
                assertEquals("POST", response.headers().firstValue("X-Seen-Method").orElseThrow());
            }
            assertEquals(3, proxy.requests());
            assertEquals(Map.of(), proxy.injected());
        }
    }

    @Test
    void aConnectionDroppedAfterForwardingDeliveredTheRequestButNotItsAnswer() throws Exception {
        try (FaultProxy proxy = proxy(ProxiedService.SQS, always(Fault.DROP_AFTER))) {
            assertThrows(IOException.class, () -> HTTP.send(post(proxy, new byte[] {1}, false),
                    HttpResponse.BodyHandlers.ofString()));
            assertEquals(1, served.get());
        }
        try (FaultProxy proxy = proxy(ProxiedService.SQS, always(Fault.DROP_BEFORE))) {
            assertThrows(IOException.class, () -> HTTP.send(post(proxy, new byte[] {1}, false),
                    HttpResponse.BodyHandlers.ofString()));
            assertEquals(1, served.get(), "dropped before forwarding: the target never saw it");
            assertEquals(Map.of(Fault.DROP_BEFORE, 1L), proxy.injectedByFault());
        }
    }

    @Test
    void aSlowAnswerArrivesLate() throws Exception {
        try (FaultProxy proxy = proxy(ProxiedService.S3, always(Fault.SLOW))) {
            long started = System.nanoTime();
            HttpResponse<String> response = HTTP.send(post(proxy, new byte[] {1}, false), HttpResponse.BodyHandlers.ofString());
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertEquals(200, response.statusCode());
            assertTrue(millis >= 300, "answered after " + millis + " ms");
        }
    }

    @Test
    void injectedErrorsAreWhatTheSdkCallsThrottlingAndServerErrorsOfEachService() throws Exception {
        for (ProxiedService service : ProxiedService.values()) {
            for (Fault fault : List.of(Fault.THROTTLE, Fault.ERROR)) {
                try (FaultProxy proxy = proxy(service, always(fault))) {
                    SdkServiceException failure = callOnce(service, proxy.port());
                    if (fault == Fault.THROTTLE) {
                        assertTrue(failure.isThrottlingException(), service + ": " + failure);
                        assertEquals(service == ProxiedService.S3 ? 503 : 400, failure.statusCode());
                    } else {
                        assertEquals(500, failure.statusCode(), service + ": " + failure);
                    }
                    assertInstanceOf(AwsServiceException.class, failure);
                    assertTrue(failure.getMessage().contains("injected by the fault proxy"), failure.getMessage());
                }
            }
        }
        assertEquals(0, served.get(), "errors are answered by the proxy itself");
    }

    /** One call of the service through the proxy, without SDK retries; the service error it fails with. */
    /** A client of {@code endpoint} that makes one attempt, so the test sees the first answer as it came. */
    private static <B extends AwsClientBuilder<B, C> & SdkAsyncClientBuilder<B, C>, C> C oneAttempt(B builder,
                                                                                                  URI endpoint) {
        return LocalClients.local(builder, endpoint)
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD).retryStrategy(r -> r.maxAttempts(1)))
                .build();
    }

    private static SdkServiceException callOnce(ProxiedService service, int port) {
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        Function<Throwable, SdkServiceException> cause = e -> (SdkServiceException) (e instanceof CompletionException
                ? e.getCause() : e);
        try {
            switch (service) {
                case DYNAMODB -> {
                    try (DynamoDbAsyncClient client = oneAttempt(DynamoDbAsyncClient.builder(), endpoint)) {
                        client.listTables().join();
                    }
                }
                case SQS -> {
                    try (SqsAsyncClient client = oneAttempt(SqsAsyncClient.builder(), endpoint)) {
                        client.sendMessage(m -> m.queueUrl(endpoint + "/000000000000/q").messageBody("x")).join();
                    }
                }
                case S3 -> {
                    try (S3AsyncClient client = oneAttempt(S3AsyncClient.builder().forcePathStyle(true), endpoint)) {
                        client.putObject(p -> p.bucket("b").key("k"), AsyncRequestBody.fromString("x")).join();
                    }
                }
                default -> throw new IllegalArgumentException(service.name());
            }
        } catch (CompletionException e) {
            return cause.apply(e);
        }
        throw new AssertionError(service + ": the call succeeded");
    }

    @Test
    void s3OperationsAreNamedFromMethodPathAndQuery() {
        Map<String, String> expected = Map.of(
                "PUT /b/exports/u/1.csv?partNumber=2&uploadId=x", "UploadPart",
                "POST /b/exports/u/1.csv?uploads", "CreateMultipartUpload",
                "POST /b/exports/u/1.csv?uploadId=x", "CompleteMultipartUpload",
                "DELETE /b/exports/u/1.csv?uploadId=x", "AbortMultipartUpload",
                "PUT /b/imports/u/1.csv", "PutObject",
                "GET /b/imports/u/1.csv", "GetObject",
                "HEAD /b/imports/u/1.csv", "HeadObject");
        expected.forEach((line, operation) -> assertEquals(operation, ProxiedService.S3.operation(
                new HttpMessage(line + " HTTP/1.1", List.of(), new byte[0])), line));
    }
}
