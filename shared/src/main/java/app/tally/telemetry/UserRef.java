package app.tally.telemetry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * How logs name a user: the first 48 bits of SHA-256 over a fixed prefix and the subject, as 12 hex digits. Stable, so
 * one user's requests and jobs can be followed; not the subject (an e-mail address with some issuers), and not the
 * hash in S3 keys, so a log line cannot be joined to a file name.
 */
public final class UserRef {
    private static final byte[] PREFIX = "tally-log-user:".getBytes(StandardCharsets.UTF_8);

    private UserRef() {
    }

    public static String of(String subject) {
        if (subject == null) {
            return null;
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(PREFIX);
            byte[] digest = sha.digest(subject.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
