package app.tally.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UserRefTest {
    @Test
    void aUserIsTwelveStableHexDigitsThatDoNotContainTheSubject() {
        String ref = UserRef.of("6f1c9a2e-3b7d-4e58-9a0c-d2e4f6a8b0c1");
        assertTrue(ref.matches("[0-9a-f]{12}"), ref);
        assertEquals(ref, UserRef.of("6f1c9a2e-3b7d-4e58-9a0c-d2e4f6a8b0c1"));
        assertNotEquals(ref, UserRef.of("6f1c9a2e-3b7d-4e58-9a0c-d2e4f6a8b0c2"));
        assertFalse("6f1c9a2e-3b7d-4e58-9a0c-d2e4f6a8b0c1".contains(ref));
        assertNull(UserRef.of(null));
    }
}
