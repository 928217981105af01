package app.tally.local.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatencyTest {
    @Test
    void awsIsFourMillisecondsGiveOrTakeTwoForDynamoDbAndTenForSqsAndS3() {
        Latency aws = Latency.parse("aws");
        assertEquals("DynamoDB 4±2 ms, SQS 10 ms, S3 10 ms", aws.describe());
        for (int i = 0; i < 1_000; i++) {
            long nanos = aws.nanos(ProxiedService.DYNAMODB);
            assertTrue(nanos >= 2_000_000 && nanos <= 6_000_000, Long.toString(nanos));
        }
        assertEquals(10_000_000, aws.nanos(ProxiedService.SQS));
        assertEquals(10_000_000, aws.nanos(ProxiedService.S3));
    }

    @Test
    void aServiceLeftOutTakesNoTimeAndNoneIsNothing() {
        Latency latency = Latency.parse("dynamodb=1.5");
        assertEquals(1_500_000, latency.nanos(ProxiedService.DYNAMODB));
        assertEquals(0, latency.nanos(ProxiedService.S3));
        assertEquals("none", Latency.parse("none").describe());
        assertEquals(Latency.NONE, Latency.parse(null));
    }

    @Test
    void aMalformedSettingIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Latency.parse("dynamodb"));
        assertThrows(IllegalArgumentException.class, () -> Latency.parse("kinesis=4"));
        assertThrows(IllegalArgumentException.class, () -> Latency.parse("sqs=2~3"));
    }
}
