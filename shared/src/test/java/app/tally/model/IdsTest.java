package app.tally.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class IdsTest {
    private static final Instant NOW = Instant.parse("2026-11-24T04:12:31.118Z");

    @Test
    void idIsTwentySixCharactersOfCrockfordBase32() {
        for (int i = 0; i < 1000; i++) {
            String id = Ids.newId(NOW);
            assertEquals(26, id.length());
            assertTrue(id.matches("[0-9A-HJKMNP-TV-Z]{26}"), id);
            assertTrue(Ids.isValid(id), id);
        }
    }

    @Test
    void idsOfTheSameInstantShareTheTimePrefixButDiffer() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = Ids.newId(NOW);
            assertEquals("01M85W2Q0E", id.substring(0, 10));
            ids.add(id);
        }
        assertEquals(1000, ids.size());
    }

    @Test
    void idsSortInTheOrderOfTheirInstants() {
        List<String> ids = new ArrayList<>();
        Instant[] instants = {Instant.EPOCH, Instant.parse("2001-09-09T01:46:40Z"), NOW, NOW.plusMillis(1),
                NOW.plusSeconds(1), Instant.parse("2999-12-31T23:59:59.999Z")};
        for (Instant instant : instants) {
            ids.add(Ids.newId(instant));
        }
        List<String> sorted = new ArrayList<>(ids);
        sorted.sort(null);
        assertEquals(ids, sorted);
        assertNotEquals(ids.get(2).substring(0, 10), ids.get(3).substring(0, 10));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"01m85w2q0er3d7jg6ncgezfyz9", "01M85W2Q0ER3D7JG6NCGEZFYZ", "01M85W2Q0ER3D7JG6NCGEZFYZ99",
            "../x", "../../etc/passwd", "01M85W2Q0ER3D7JG6NCGEZFY/.", "01M85W2Q0ER3D7JG6NCGEZFYZI",
            "01M85W2Q0ER3D7JG6NCGEZFYZL", "01M85W2Q0ER3D7JG6NCGEZFYZO", "01M85W2Q0ER3D7JG6NCGEZFYZU",
            "01M85W2Q0ER3D7JG6NCGEZFYZ#", " 01M85W2Q0ER3D7JG6NCGEZFYZ"})
    void malformedIdsAreNotValid(String id) {
        assertFalse(Ids.isValid(id));
    }

    @Test
    void transactionIdsCarryTheirBookingDate() {
        for (LocalDate date : List.of(Transaction.EARLIEST, LocalDate.of(2026, 11, 28), Transaction.LATEST)) {
            String id = Ids.newTransactionId(date, NOW);
            assertTrue(Ids.isValid(id), id);
            assertEquals(Optional.of(date), Ids.dateOf(id));
            assertEquals(Optional.of(date), Ids.dateOf(Ids.transactionId(date, new byte[32])));
        }
    }

    @Test
    void transactionIdsOfOneDateSortByTheirInstantsAndDatesSortFirst() {
        LocalDate day = LocalDate.of(2026, 3, 1);
        List<String> ids = List.of(Ids.newTransactionId(day, NOW), Ids.newTransactionId(day, NOW.plusMillis(1)),
                Ids.newTransactionId(day.plusDays(1), Instant.EPOCH));
        List<String> sorted = new ArrayList<>(ids);
        sorted.sort(null);
        assertEquals(ids, sorted);
    }

    @Test
    void aDeterministicIdIsTheSameForTheSameDigest() {
        byte[] digest = new byte[32];
        digest[3] = 7;
        LocalDate day = LocalDate.of(2025, 2, 28);
        assertEquals(Ids.transactionId(day, digest), Ids.transactionId(day, digest.clone()));
        assertNotEquals(Ids.transactionId(day, digest), Ids.transactionId(day, new byte[32]));
    }

    @Test
    void anIdPastTheLastBookingDateHasNoHome() {
        assertEquals(Optional.empty(), Ids.dateOf("ZZZZ" + "0".repeat(22)));
        assertEquals(Optional.empty(), Ids.dateOf("not an id"));
        assertThrows(IllegalArgumentException.class,
                () -> Ids.newTransactionId(Transaction.LATEST.plusDays(1), NOW));
        assertThrows(IllegalArgumentException.class,
                () -> Ids.newTransactionId(Transaction.EARLIEST.minusDays(1), NOW));
    }

    @Test
    void theSampleEventsIdIsValid() {
        assertEquals(Optional.of(LocalDate.of(2026, 11, 24)), Ids.dateOf("1D8C01M85W2Q0ER3D7JG6NCGEZ"));
    }
}
