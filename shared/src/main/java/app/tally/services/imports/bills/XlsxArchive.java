package app.tally.services.imports.bills;

import app.tally.services.imports.ImportFileException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import javax.xml.stream.XMLStreamException;

/**
 * The zip side of an .xlsx file and its limits: entries are inflated through a counter, so an entry that grows past
 * {@link #MAX_RATIO} times its compressed size or past {@link #MAX_ENTRY_BYTES} is refused as a zip bomb whatever its
 * headers declare; an archive of more than {@link #MAX_ENTRIES} entries is refused before anything is inflated.
 */
final class XlsxArchive {
    static final long MAX_ENTRY_BYTES = 1L << 30;
    static final int MAX_RATIO = 100;
    static final int MAX_ENTRIES = 1_000;

    private XlsxArchive() {
    }

    static void checkEntries(ZipFile zip) throws ImportFileException {
        int count = 0;
        for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements(); ) {
            ZipEntry entry = entries.nextElement();
            if (++count > MAX_ENTRIES) {
                throw bomb("more than " + MAX_ENTRIES + " entries");
            }
            if (entry.getSize() > MAX_ENTRY_BYTES) {
                throw bomb(entry.getName() + " would inflate to " + entry.getSize() + " bytes");
            }
        }
    }

    /** An entry's bytes, inflated under the bomb limits; null when there is no such entry. */
    static InputStream entry(ZipFile zip, String path) throws ImportFileException {
        ZipEntry entry = zip.getEntry(path);
        if (entry == null) {
            return null;
        }
        long compressed = Math.max(1, entry.getCompressedSize());
        long limit = Math.min(MAX_ENTRY_BYTES, Math.max(1L << 20, compressed * MAX_RATIO));
        try {
            return new Bounded(zip.getInputStream(entry), limit, path);
        } catch (ZipException e) {
            throw damaged(path + " cannot be inflated");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Counts inflated bytes: past the limit the archive is a zip bomb, whatever its headers declared. */
    private static final class Bounded extends FilterInputStream {
        private final long limit;
        private final String path;
        private long read;

        Bounded(InputStream in, long limit, String path) {
            super(in);
            this.limit = limit;
            this.path = path;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            count(Math.max(0, n));
            return n;
        }

        private void count(int n) throws IOException {
            read += n;
            if (read > limit) {
                throw new Refused(bomb(path + " inflates past " + limit + " bytes (more than " + MAX_RATIO
                        + " times its compressed size or " + MAX_ENTRY_BYTES + " bytes)"));
            }
        }
    }

    /** Carries a refusal through the XML parser, which only lets IO and XML exceptions pass. */
    static final class Refused extends IOException {
        final ImportFileException reason;

        Refused(ImportFileException reason) {
            super(reason.getMessage());
            this.reason = reason;
        }
    }

    /** The bomb refusal an XML failure carries, or the archive is damaged (a truncated entry fails the same way). */
    static ImportFileException refusal(XMLStreamException e, String detail) {
        Throwable cause = e;
        for (int depth = 0; cause != null && depth < 10; depth++) {
            if (cause instanceof Refused refused) {
                return refused.reason;
            }
            cause = cause.getCause() != null ? cause.getCause()
                    : cause instanceof XMLStreamException x ? x.getNestedException() : null;
        }
        return damaged(detail);
    }

    static ImportFileException bomb(String detail) {
        return new ImportFileException("The .xlsx file is refused as a zip bomb: " + detail + ".");
    }

    static ImportFileException entities() {
        return new ImportFileException("The .xlsx file is refused: its XML has a document type declaration, which can "
                + "declare external entities; spreadsheet apps never write one.");
    }

    static ImportFileException damaged(String detail) {
        return new ImportFileException("The file is not a readable .xlsx workbook: " + detail + ". Export the bill "
                + "again.");
    }

    static void closeQuietly(ZipFile zip) {
        try {
            zip.close();
        } catch (IOException ignored) {
            // nothing was read from it
        }
    }

}
