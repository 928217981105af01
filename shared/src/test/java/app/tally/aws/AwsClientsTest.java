package app.tally.aws;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.crt.http.HttpException;

class AwsClientsTest {
    /** CRT's AWS_ERROR_HTTP_STREAM_CANCELLED, as an attempt cancelled under an attempt timeout reports it. */
    private static final int STREAM_CANCELLED = 2095;

    @Test
    void anAttemptWhoseStreamWasCancelledIsRetried() {
        assertTrue(AwsClients.attemptCancelled(SdkClientException.create("Unable to execute HTTP request: In-flight"
                + " HTTP-stream has been cancelled by user.", new HttpException(STREAM_CANCELLED))));
    }

    @Test
    void otherClientFailuresAreLeftToTheSdksOwnRules() {
        assertFalse(AwsClients.attemptCancelled(SdkClientException.create("Unable to marshall request")));
        assertFalse(AwsClients.attemptCancelled(new IllegalStateException("no HTTP at all")));
    }
}
