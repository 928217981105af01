package app.tally.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.tally.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CursorCodecTest {
    private static final String SECRET = "test-cursor-secret-0123456789abcdef";
    private static final String USER = "6f1c9a2e-3b7d-4e58-9a0c-d2e4f6a8b0c1";
    private static final String URL_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private final CursorCodec codec = new CursorCodec(SECRET);

    private static ObjectNode position() {
        ObjectNode position = Json.object();
        position.put("m", "2026-11");
        position.put("k", "T#2026-11-24#1D8C01M85W2Q0ER3D7JG6NCGEZ");
        position.put("q", "2026-11-01|2026-11-30||餐饮");
        return position;
    }

    private void assertRejected(String user, String cursor) {
        Refusal e = assertThrows(Refusal.class, () -> codec.decode(user, cursor), cursor);
        assertEquals(Refusal.Reason.MALFORMED, e.reason());
        assertEquals("The cursor is not valid for this request.", e.getMessage());
    }

    @Test
    void decodedCursorIsThePositionThatWasEncoded() {
        String cursor = codec.encode(USER, position());

        assertEquals(position(), codec.decode(USER, cursor));
        assertTrue(cursor.matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+"), cursor);
    }

    @Test
    void changingAnyCharacterOfACursorIsRejected() {
        String cursor = codec.encode(USER, position());
        for (int i = 0; i < cursor.length(); i++) {
            char original = cursor.charAt(i);
            // Flip the highest of the six bits a base64 character carries: always a data bit, never padding.
            char flipped = original == '.' ? 'A' : URL_ALPHABET.charAt(URL_ALPHABET.indexOf(original) ^ 32);
            assertRejected(USER, cursor.substring(0, i) + flipped + cursor.substring(i + 1));
        }
    }

    @Test
    void everyOtherCharacterInAnyPositionIsRejected() {
        String cursor = codec.encode(USER, position());
        for (int i = 0; i < cursor.length(); i++) {
            for (char other : (URL_ALPHABET + ".").toCharArray()) {
                if (other != cursor.charAt(i)) {
                    assertRejected(USER, cursor.substring(0, i) + other + cursor.substring(i + 1));
                }
            }
        }
    }

    @Test
    void truncatedCursorIsRejected() {
        String cursor = codec.encode(USER, position());
        for (int length = 0; length < cursor.length(); length++) {
            assertRejected(USER, cursor.substring(0, length));
        }
    }

    @Test
    void cursorOfAnotherUserIsRejected() {
        String cursor = codec.encode(USER, position());
        assertRejected("someone-else", cursor);
    }

    @Test
    void cursorSignedWithAnotherSecretIsRejected() {
        String foreign = new CursorCodec("another-secret-0123456789abcdefgh").encode(USER, position());
        assertRejected(USER, foreign);
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "", ".", "..", "a.b.c", "eyJ9.AAAA", "%%%.%%%", "null", "{\"m\":\"2026-11\"}",
            "eyJtIjoiMjAyNi0xMSJ9.", ".AAAAAAAAAAAAAAAAAAAAAA"})
    void garbageIsRejected(String cursor) {
        assertRejected(USER, cursor);
    }

    @Test
    void signedPayloadThatIsNotAJsonObjectIsRejected() {
        // A correctly signed array proves the object check, not the signature check, rejects it.
        String cursor = codec.encode(USER, position());
        String tag = cursor.substring(cursor.indexOf('.') + 1);
        String payload = Base64.getUrlEncoder().withoutPadding().encodeToString("[1]".getBytes(StandardCharsets.UTF_8));
        assertRejected(USER, payload + "." + tag);
    }

    @Test
    void overLongCursorIsRejectedEvenWhenCorrectlySigned() {
        ObjectNode big = position();
        big.put("pad", "x".repeat(2000));
        String cursor = codec.encode(USER, big);

        assertTrue(cursor.length() > 2048);
        assertRejected(USER, cursor);
        assertRejected(USER, "A".repeat(100_000) + ".AAAA");
    }

    @Test
    void secretShorterThanThirtyTwoCharactersIsRefused() {
        var e = assertThrows(IllegalStateException.class, () -> new CursorCodec("x".repeat(31)));
        assertEquals("The cursor secret must have at least 32 characters", e.getMessage());
        assertEquals(position(), new CursorCodec("x".repeat(32)).decode(USER,
                new CursorCodec("x".repeat(32)).encode(USER, position())));
    }
}
