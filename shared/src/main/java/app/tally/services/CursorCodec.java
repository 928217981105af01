package app.tally.services;

import app.tally.json.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The one place that signs and checks list cursors. A cursor is opaque to clients and bound to the user who got it:
 * an edited, truncated or foreign cursor is a 400, never a read of someone else's data.
 */
public final class CursorCodec {
    private static final int MAX_LENGTH = 2048;
    private static final int TAG_BYTES = 16;
    private final SecretKeySpec key;

    public CursorCodec(String secret) {
        if (secret.length() < 32) {
            throw new IllegalStateException("The cursor secret must have at least 32 characters");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    public String encode(String user, ObjectNode position) {
        byte[] payload = Json.write(position).getBytes(StandardCharsets.UTF_8);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString(payload) + "." + b64.encodeToString(tag(user, payload));
    }

    public ObjectNode decode(String user, String cursor) {
        if (cursor.length() > MAX_LENGTH) {
            throw invalid();
        }
        int dot = cursor.indexOf('.');
        if (dot < 0) {
            throw invalid();
        }
        try {
            byte[] payload = Base64.getUrlDecoder().decode(cursor.substring(0, dot));
            byte[] tag = Base64.getUrlDecoder().decode(cursor.substring(dot + 1));
            // Base64 ignores the unused low bits of a last character: only the canonical spelling is accepted.
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            if (!MessageDigest.isEqual(tag, tag(user, payload))
                    || !cursor.equals(b64.encodeToString(payload) + "." + b64.encodeToString(tag))) {
                throw invalid();
            }
            JsonNode node = Json.parse(new String(payload, StandardCharsets.UTF_8));
            if (node instanceof ObjectNode object) {
                return object;
            }
            throw invalid();
        } catch (IllegalArgumentException | JsonProcessingException e) {
            throw invalid();
        }
    }

    private byte[] tag(String user, byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(user.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return Arrays.copyOf(mac.doFinal(payload), TAG_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    private static Refusal invalid() {
        return Refusal.malformed("The cursor is not valid for this request.");
    }
}
