package app.tally.services.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.Test;

class PushMessageTest {
    @Test
    void aMessageSurvivesTheQueueAndBecomesTheClientsEnvelopeWithItsSequence() {
        Instant at = Instant.parse("2026-11-24T04:12:39.412Z");
        PushMessage sent = new PushMessage("u1", List.of(PushEvent.statisticsChanged(
                List.of(YearMonth.of(2026, 11), YearMonth.of(2026, 10), YearMonth.of(2026, 11)), at)));
        PushMessage received = PushMessage.parse(sent.toJson()).orElseThrow();
        assertEquals("u1", received.user());
        assertEquals("{\"type\":\"statistics.changed\",\"seq\":7,\"at\":\"2026-11-24T04:12:39.412Z\","
                + "\"data\":{\"months\":[\"2026-10\",\"2026-11\"]}}", received.events().get(0).toMessage(7).toString());
    }

    @Test
    void aBodyThatIsNoPushMessageIsRefused() {
        assertTrue(PushMessage.parse("{\"user\":\"u1\"}").isEmpty());
        assertTrue(PushMessage.parse("{\"user\":\"u1\",\"events\":[{\"type\":\"x\"}]}").isEmpty());
        assertTrue(PushMessage.parse("not json").isEmpty());
    }
}
