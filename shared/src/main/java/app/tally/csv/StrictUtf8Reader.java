package app.tally.csv;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.MalformedInputException;

/**
 * Decodes UTF-8 strictly and lazily, one sequence at a time, so that a byte that is not UTF-8 (a truncated or
 * overlong sequence, a surrogate, a code point above U+10FFFF) fails exactly where it is read: the CSV reader then
 * knows its line. (InputStreamReader decodes thousands of bytes ahead, so its failure would name an earlier line.)
 */
public final class StrictUtf8Reader extends Reader {
    private final InputStream in;
    private int pendingLow = -1;
    /** A bad sequence found after some good characters: raised on the next read, once those are consumed. */
    private MalformedInputException pendingFailure;

    public StrictUtf8Reader(InputStream in) {
        this.in = in;
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
        if (pendingFailure != null) {
            throw pendingFailure;
        }
        int count = 0;
        while (count < length) {
            int c;
            try {
                c = readChar();
            } catch (MalformedInputException e) {
                if (count == 0) {
                    throw e;
                }
                pendingFailure = e;
                return count;
            }
            if (c < 0) {
                return count == 0 ? -1 : count;
            }
            buffer[offset + count++] = (char) c;
            if (in.available() == 0 && pendingLow < 0) {
                break;
            }
        }
        return count;
    }

    private int readChar() throws IOException {
        if (pendingLow >= 0) {
            int low = pendingLow;
            pendingLow = -1;
            return low;
        }
        int b = in.read();
        if (b < 0x80) {
            return b;
        }
        int extra;
        int codePoint;
        int min;
        if ((b & 0xE0) == 0xC0) {
            extra = 1;
            codePoint = b & 0x1F;
            min = 0x80;
        } else if ((b & 0xF0) == 0xE0) {
            extra = 2;
            codePoint = b & 0x0F;
            min = 0x800;
        } else if ((b & 0xF8) == 0xF0) {
            extra = 3;
            codePoint = b & 0x07;
            min = 0x10000;
        } else {
            throw new MalformedInputException(1);
        }
        for (int i = 0; i < extra; i++) {
            int next = in.read();
            if (next < 0 || (next & 0xC0) != 0x80) {
                throw new MalformedInputException(i + 1);
            }
            codePoint = codePoint << 6 | next & 0x3F;
        }
        if (codePoint < min || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF)) {
            throw new MalformedInputException(extra + 1);
        }
        if (codePoint >= 0x10000) {
            pendingLow = Character.lowSurrogate(codePoint);
            return Character.highSurrogate(codePoint);
        }
        return codePoint;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
