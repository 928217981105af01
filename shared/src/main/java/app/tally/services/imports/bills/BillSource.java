package app.tally.services.imports.bills;

import app.tally.services.imports.ImportFile;
import app.tally.services.imports.ImportFileException;
import app.tally.services.imports.ImportMapping;
import app.tally.services.imports.ImportRows;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;

/**
 * Opens an import file as what its content is: a bank's CSV when a mapping is given; else an .xlsx workbook (a zip
 * archive) or text in the encoding its start shows ({@link TextEncoding}), which is a WeChat Pay or Alipay bill when a
 * row within its first {@link #HEADER_SEARCH} starts the bill's header, and Tally's own CSV otherwise. A preset
 * ({@code wechat}, {@code alipay}) requires that provider's header. Rows before the header (the bill's preamble) are
 * skipped, never counted.
 */
public final class BillSource {
    /** How far the header is looked for: bills have 16 to 25 preamble rows. */
    public static final int HEADER_SEARCH = 60;
    private static final int WINDOW = 64 * 1024;

    /** What was found: the rows, and for the job the format, the encoding (null for xlsx) and the header's row. */
    public record Opened(ImportRows rows, String format, String encoding, long headerRow) {
    }

    private BillSource() {
    }

    /** Reads the header; the stream is closed with the rows, or here when the file cannot be opened. */
    public static Opened open(InputStream raw, ImportMapping mapping, BillProvider preset, CategoryRules rules,
                              String user, Instant importedAt) throws ImportFileException {
        BufferedInputStream in = new BufferedInputStream(raw, WINDOW);
        try {
            if (mapping != null) {
                return new Opened(ImportFile.open(in, mapping, user, importedAt), "mapping", TextEncoding.UTF_8.label(),
                        1);
            }
            byte[] start = new byte[WINDOW];
            in.mark(WINDOW);
            int length = in.readNBytes(start, 0, WINDOW);
            in.reset();
            if (length >= 4 && start[0] == 'P' && start[1] == 'K' && start[2] == 3 && start[3] == 4) {
                Path file = Files.createTempFile("tally-import", ".xlsx");
                try (in) {
                    Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                    return bill(BillCells.xlsx(XlsxSheet.open(file), file), preset, rules, user, importedAt, "xlsx",
                            null);
                } catch (ImportFileException | RuntimeException e) {
                    Files.deleteIfExists(file);
                    throw e;
                }
            }
            TextEncoding encoding = TextEncoding.sniff(start, length, length < WINDOW);
            if (encoding == null && preset != null) {
                throw new ImportFileException("The file is neither text (UTF-8, UTF-16 with BOM or GB18030) nor an "
                        + ".xlsx workbook, so it is not " + article(preset) + " bill.");
            }
            BillProvider provider = preset != null ? preset
                    : encoding == null ? null : mentioned(encoding.preview(start, length));
            if (provider == null) {
                if (encoding != null && !encoding.isUtf8()) {
                    throw new ImportFileException("The file is " + encoding.label() + " text, but Tally's CSV is UTF-8"
                            + " (and it has no WeChat Pay or Alipay header). Save it as CSV UTF-8 and import it again.");
                }
                // Tally's CSV, whose reader names what is wrong with bytes that are not UTF-8 text.
                return new Opened(ImportFile.open(in, null, user, importedAt), "tally",
                        (encoding == null ? TextEncoding.UTF_8 : encoding).label(), 1);
            }
            return bill(BillCells.csv(encoding.reader(in), encoding), preset, rules, user, importedAt, "csv",
                    encoding);
        } catch (ImportFileException | RuntimeException e) {
            closeQuietly(in);
            throw e;
        } catch (IOException e) {
            closeQuietly(in);
            throw new UncheckedIOException(e);
        }
    }

    /** The provider whose header (or, failing that, whose name) the start of a text file shows. */
    private static BillProvider mentioned(String text) {
        List<String> lines = text.lines().limit(HEADER_SEARCH).toList();
        for (String line : lines) {
            BillProvider provider = BillProvider.ofHeader(List.of(line.split(",", -1)));
            if (provider != null) {
                return provider;
            }
        }
        for (String line : lines) {
            BillProvider provider = BillProvider.ofPreamble(line);
            if (provider != null) {
                return provider;
            }
        }
        return null;
    }

    private static Opened bill(BillCells cells, BillProvider preset, CategoryRules rules, String user,
                               Instant importedAt, String kind, TextEncoding encoding) throws ImportFileException {
        try {
            BillProvider named = null;
            for (int i = 0; i < HEADER_SEARCH; i++) {
                List<String> row = cells.next();
                if (row == null) {
                    break;
                }
                BillProvider provider = BillProvider.ofHeader(row);
                if (provider == null) {
                    named = named != null ? named : BillProvider.ofPreamble(String.join(",", row));
                    continue;
                }
                if (preset != null && provider != preset) {
                    throw new ImportFileException("The file is " + article(provider) + " bill, but the import asked "
                            + "for " + preset.wire() + ": import it with " + provider.wire() + " or without a preset.");
                }
                List<String> missing = BillFile.missing(provider, row);
                if (!missing.isEmpty()) {
                    String shown = String.join(",", row.stream().map(BillProvider::clean).toList());
                    throw new ImportFileException("The header of this " + provider.label() + " bill (row "
                            + cells.row() + ") lacks " + String.join(", ", missing) + " (it reads: "
                            + (shown.length() > 200 ? shown.substring(0, 200) + "…" : shown) + "). A renamed or removed"
                            + " column cannot be read: import the bill as the app exported it.");
                }
                return new Opened(new BillFile(cells, provider, row, rules, user, importedAt),
                        provider.wire() + "-" + kind, encoding == null ? null : encoding.label(), cells.row());
            }
            BillProvider expected = preset != null ? preset : named;
            throw new ImportFileException(expected == null
                    ? "The workbook is not a WeChat Pay or Alipay bill: no row within the first " + HEADER_SEARCH
                            + " starts their header (交易时间, …)."
                    : "No header row of " + article(expected) + " bill (" + String.join(",", expected.header())
                            + ") within the first " + HEADER_SEARCH + " rows: import the bill as the app exported it.");
        } catch (ImportFileException | RuntimeException e) {
            closeQuietly(cells);
            throw e;
        }
    }

    private static String article(BillProvider provider) {
        return (provider == BillProvider.ALIPAY ? "an " : "a ") + provider.label();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // the first failure is the one to report
        }
    }
}
