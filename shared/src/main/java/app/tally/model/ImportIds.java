package app.tally.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;

/**
 * Deterministic transaction ids for imported rows: the row's booking date, then SHA-256 of the user, the row's
 * content and its occurrence number among rows of the same content in the file (see {@link Ids#transactionId}). The
 * same file imported again yields the same ids, so its rows are found as duplicates; two identical rows in one file
 * (two coffees on one day) are two transactions.
 */
public final class ImportIds {
    private ImportIds() {
    }

    /** SHA-256 of the content fields, each ended by a NUL (no field can hold one), as the occurrence key. */
    public static byte[] contentDigest(String... fields) {
        MessageDigest sha = sha256();
        for (String field : fields) {
            sha.update(field.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
        }
        return sha.digest();
    }

    public static String id(String user, LocalDate date, byte[] contentDigest, int occurrence) {
        MessageDigest sha = sha256();
        sha.update(user.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(contentDigest);
        sha.update(Integer.toString(occurrence).getBytes(StandardCharsets.UTF_8));
        return Ids.transactionId(date, sha.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
