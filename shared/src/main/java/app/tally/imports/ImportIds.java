package app.tally.imports;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Deterministic transaction ids for imported rows: 26 Crockford base32 characters (the shape {@code Ids.isValid}
 * accepts) from SHA-256 of the user, the row's content and its occurrence number among rows of the same content in
 * the file. The same file imported again yields the same ids, so its rows are found as duplicates; two identical rows
 * in one file (two coffees on one day) are two transactions.
 */
public final class ImportIds {
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

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

    public static String id(String user, byte[] contentDigest, int occurrence) {
        MessageDigest sha = sha256();
        sha.update(user.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(contentDigest);
        sha.update(Integer.toString(occurrence).getBytes(StandardCharsets.UTF_8));
        byte[] digest = sha.digest();
        char[] id = new char[26];
        for (int i = 0; i < id.length; i++) {
            int bit = i * 5;
            int value = ((digest[bit / 8] & 0xff) << 8 | (digest[bit / 8 + 1] & 0xff)) >> (11 - bit % 8) & 31;
            id[i] = ALPHABET[value];
        }
        return new String(id);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
