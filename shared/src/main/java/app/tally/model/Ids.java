package app.tally.model;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Ids: 26 characters of Crockford base32, which sort as their numbers do.
 * <ul>
 *   <li>Job ids: a millisecond timestamp then 80 random bits, so jobs sort by creation time and cannot be guessed.</li>
 *   <li>Transaction ids carry their booking date when created: 4 characters of days since {@link
 *       Transaction#EARLIEST}, then a millisecond timestamp and 60 random bits (or, for an imported row, 110 bits
 *       of its content digest). The date gives the transaction's home key, so it is found by id without an index or
 *       a pointer item; a transaction whose date changed leaves a forwarding item at its home (see
 *       {@code LedgerStore}).</li>
 * </ul>
 */
public final class Ids {
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final Pattern VALID = Pattern.compile("[0-9A-HJKMNP-TV-Z]{26}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int LENGTH = 26;
    private static final int TIME_CHARS = 10;
    private static final int DATE_CHARS = 4;
    private static final long DAYS = ChronoUnit.DAYS.between(Transaction.EARLIEST, Transaction.LATEST) + 1;

    private Ids() {
    }

    /** A new job id. */
    public static String newId(Instant now) {
        char[] id = new char[LENGTH];
        encode(id, 0, TIME_CHARS, now.toEpochMilli());
        randomTail(id, TIME_CHARS);
        return new String(id);
    }

    /** A new transaction's id: its booking date, then the time it was recorded, then random bits. */
    public static String newTransactionId(LocalDate date, Instant now) {
        char[] id = datePrefix(date);
        encode(id, DATE_CHARS, DATE_CHARS + TIME_CHARS, now.toEpochMilli());
        randomTail(id, DATE_CHARS + TIME_CHARS);
        return new String(id);
    }

    /** A deterministic transaction id: its booking date, then the first 110 bits of {@code digest}. */
    public static String transactionId(LocalDate date, byte[] digest) {
        char[] id = datePrefix(date);
        for (int i = DATE_CHARS; i < LENGTH; i++) {
            int bit = (i - DATE_CHARS) * 5;
            id[i] = ALPHABET[((digest[bit / 8] & 0xff) << 8 | (digest[bit / 8 + 1] & 0xff)) >> (11 - bit % 8) & 31];
        }
        return new String(id);
    }

    /** The booking date a transaction id was made with (its home); empty when it is no transaction id. */
    public static Optional<LocalDate> dateOf(String id) {
        if (!isValid(id)) {
            return Optional.empty();
        }
        long days = 0;
        for (int i = 0; i < DATE_CHARS; i++) {
            days = days << 5 | decode(id.charAt(i));
        }
        return days < DAYS ? Optional.of(Transaction.EARLIEST.plusDays(days)) : Optional.empty();
    }

    public static boolean isValid(String id) {
        return id != null && VALID.matcher(id).matches();
    }

    private static char[] datePrefix(LocalDate date) {
        long days = ChronoUnit.DAYS.between(Transaction.EARLIEST, date);
        if (days < 0 || days >= DAYS) {
            throw new IllegalArgumentException("booking date out of range: " + date);
        }
        char[] id = new char[LENGTH];
        encode(id, 0, DATE_CHARS, days);
        return id;
    }

    /** Writes the low {@code 5 * (to - from)} bits of {@code value} into {@code id[from, to)}, most significant first. */
    private static void encode(char[] id, int from, int to, long value) {
        for (int i = to - 1; i >= from; i--) {
            id[i] = ALPHABET[(int) (value & 31)];
            value >>>= 5;
        }
    }

    private static void randomTail(char[] id, int from) {
        byte[] random = new byte[LENGTH - from];
        RANDOM.nextBytes(random);
        for (int i = from; i < LENGTH; i++) {
            id[i] = ALPHABET[random[i - from] & 31];
        }
    }

    private static int decode(char c) {
        for (int i = 0; i < ALPHABET.length; i++) {
            if (ALPHABET[i] == c) {
                return i;
            }
        }
        throw new IllegalArgumentException("not Crockford base32: " + c);
    }
}
