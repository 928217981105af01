package app.tally.local.push;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebSocketFramesTest {
    /** A client's frame: masked, as RFC 6455 requires of every frame a client sends. */
    private static byte[] clientFrame(boolean fin, int opcode, byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write((fin ? 0x80 : 0) | opcode);
        byte[] mask = {1, 2, 3, 4};
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xFF);
        }
        frame.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        return frame.toByteArray();
    }

    @Test
    void theAcceptKeyIsTheOneOfTheRfcExample() {
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", WebSocketFrames.acceptKey("dGhlIHNhbXBsZSBub25jZQ=="));
    }

    @Test
    void aFragmentedMaskedMessageIsReadWhole() throws IOException {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(clientFrame(false, WebSocketFrames.TEXT, "{\"action\":".getBytes(StandardCharsets.UTF_8)));
        stream.writeBytes(clientFrame(true, 0, ("\"" + "p".repeat(200) + "\"}").getBytes(StandardCharsets.UTF_8)));
        WebSocketFrames.Frame frame = WebSocketFrames.read(new ByteArrayInputStream(stream.toByteArray()));
        assertEquals(WebSocketFrames.TEXT, frame.opcode());
        assertEquals("{\"action\":\"" + "p".repeat(200) + "\"}", frame.text());
    }

    @Test
    void anUnmaskedClientFrameIsAProtocolError() {
        byte[] unmasked = {(byte) 0x81, 1, 'x'};
        assertThrows(IOException.class, () -> WebSocketFrames.read(new ByteArrayInputStream(unmasked)));
    }

    @Test
    void aServerFrameIsUnmaskedWithTheLengthInTheSmallestForm() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] payload = new byte[300];
        WebSocketFrames.write(out, WebSocketFrames.TEXT, payload);
        byte[] frame = out.toByteArray();
        assertArrayEquals(new byte[] {(byte) 0x81, 126, 1, 44}, java.util.Arrays.copyOf(frame, 4));
        assertEquals(304, frame.length);
    }
}
