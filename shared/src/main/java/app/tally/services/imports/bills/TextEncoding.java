package app.tally.services.imports.bills;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The text encodings a bill or a CSV can come in, as the start of the file tells them: a byte order mark decides
 * (UTF-8, UTF-16 LE/BE); without one, text that is valid UTF-8 is UTF-8, else text that is valid GB18030 (a superset of
 * GBK, which Alipay writes) is GB18030. Decoding is always strict: a byte that does not belong to the encoding stops
 * the file with its line, never a silent replacement character.
 */
public enum TextEncoding {
    UTF_8("UTF-8", StandardCharsets.UTF_8, 0),
    UTF_8_BOM("UTF-8 with BOM", StandardCharsets.UTF_8, 3),
    UTF_16LE("UTF-16LE with BOM", StandardCharsets.UTF_16LE, 2),
    UTF_16BE("UTF-16BE with BOM", StandardCharsets.UTF_16BE, 2),
    GB18030("GB18030 (GBK)", Charset.forName("GB18030"), 0);

    private final String label;
    private final Charset charset;
    private final int bom;

    TextEncoding(String label, Charset charset, int bom) {
        this.label = label;
        this.charset = charset;
        this.bom = bom;
    }

    /** How the job and its reasons name it. */
    public String label() {
        return label;
    }

    public boolean isUtf8() {
        return charset.equals(StandardCharsets.UTF_8);
    }

    /**
     * The encoding of a file that starts with these bytes ({@code whole}: they are the whole file), or null when it is
     * none of them (binary data, or text in another encoding).
     */
    public static TextEncoding sniff(byte[] start, int length, boolean whole) {
        if (length >= 3 && (start[0] & 0xFF) == 0xEF && (start[1] & 0xFF) == 0xBB && (start[2] & 0xFF) == 0xBF) {
            return UTF_8_BOM;
        }
        if (length >= 2 && (start[0] & 0xFF) == 0xFF && (start[1] & 0xFF) == 0xFE) {
            return UTF_16LE;
        }
        if (length >= 2 && (start[0] & 0xFF) == 0xFE && (start[1] & 0xFF) == 0xFF) {
            return UTF_16BE;
        }
        for (int i = 0; i < length; i++) {
            if (start[i] == 0) {
                return null;
            }
        }
        for (TextEncoding candidate : new TextEncoding[] {UTF_8, GB18030}) {
            if (decodes(candidate.charset, start, length, whole)) {
                return candidate;
            }
        }
        return null;
    }

    /** Whether the whole of these bytes is UTF-8 (NUL bytes included: they are UTF-8 too). */
    public static boolean isUtf8(byte[] bytes) {
        return decodes(StandardCharsets.UTF_8, bytes, bytes.length, true);
    }

    /** Whether the bytes decode; when they are only the start of the file, a character cut at their end is fine. */
    private static boolean decodes(Charset charset, byte[] bytes, int length, boolean whole) {
        CharsetDecoder decoder = strict(charset);
        CharBuffer out = CharBuffer.allocate(length + 1);
        CoderResult result = decoder.decode(ByteBuffer.wrap(bytes, 0, length), out, whole);
        if (!result.isError() && whole) {
            result = decoder.flush(out);
        }
        return !result.isError();
    }

    /** Text of this encoding with its byte order mark skipped; a byte that is not of it throws while reading. */
    public Reader reader(InputStream in) throws java.io.IOException {
        in.skipNBytes(bom);
        return new InputStreamReader(in, strict(charset));
    }

    /** The first {@code length} bytes as text (the caller's window into the file), lenient at the window's end. */
    public String preview(byte[] start, int length) {
        return new String(start, bom, Math.max(0, length - bom), charset);
    }

    private static CharsetDecoder strict(Charset charset) {
        return charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }
}
