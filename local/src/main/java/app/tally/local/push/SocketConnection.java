package app.tally.local.push;

import app.tally.local.push.SocketEvents.Handshake;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** One open WebSocket of the push socket: frames to it are written one at a time. */
final class SocketConnection {
    private final Handshake handshake;
    private final OutputStream out;
    private final String userAgent;
    private volatile Instant lastActiveAt;
    private boolean closed;

    SocketConnection(Handshake handshake, OutputStream out, String userAgent) {
        this.handshake = handshake;
        this.out = out;
        this.userAgent = userAgent;
        this.lastActiveAt = handshake.connectedAt();
    }

    Handshake handshake() {
        return handshake;
    }

    String userAgent() {
        return userAgent;
    }

    Instant lastActiveAt() {
        return lastActiveAt;
    }

    void touch() {
        lastActiveAt = Instant.now();
    }

    /** False when the connection is closed or the write failed (the client is gone). */
    boolean sendText(String text) {
        return send(WebSocketFrames.TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    synchronized boolean send(int opcode, byte[] payload) {
        if (closed) {
            return false;
        }
        try {
            WebSocketFrames.write(out, opcode, payload);
            return true;
        } catch (IOException e) {
            closed = true;
            return false;
        }
    }

    /** Sends a close frame (once) and closes the stream, which ends the connection's reader and runs $disconnect. */
    synchronized void close(int code, String reason) {
        if (closed) {
            return;
        }
        if (code != 1006) {
            send(WebSocketFrames.CLOSE, WebSocketFrames.closePayload(code, reason));
        }
        closed = true;
        try {
            out.close();
        } catch (IOException e) {
            // already gone
        }
    }
}
