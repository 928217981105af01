package app.tally.services.imports.bills;

import app.tally.csv.CsvFormatException;
import app.tally.csv.CsvReader;
import app.tally.services.imports.ImportFileException;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The rows of a bill as cells, from a csv in a known encoding or from an xlsx worksheet, with their row numbers. */
interface BillCells extends AutoCloseable {
    /** The next row's cells, or null after the last. */
    List<String> next() throws ImportFileException;

    /** The spreadsheet number of the row {@link #next} returned last (the first row is 1). */
    long row();

    /** A csv, decoded strictly: a byte that is not of its encoding stops the file with the line it is on. */
    static BillCells csv(Reader reader, TextEncoding encoding) {
        CsvReader csv = new CsvReader(reader);
        return new BillCells() {
            private long row;

            @Override
            public List<String> next() throws ImportFileException {
                try {
                    List<String> fields = csv.next();
                    row++;
                    return fields;
                } catch (CharacterCodingException e) {
                    throw new ImportFileException("The file is not " + encoding.label() + " text, as its start said "
                            + "(a byte on line " + csv.line() + " is not " + encoding.label() + "). Export the bill "
                            + "again, or save it as CSV UTF-8.");
                } catch (CsvFormatException e) {
                    throw new ImportFileException("The file is not valid CSV: " + e.getMessage() + ".");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public long row() {
                return row;
            }

            @Override
            public void close() throws IOException {
                reader.close();
            }
        };
    }

    /** An xlsx worksheet copied to {@code file}, which closing deletes. */
    static BillCells xlsx(XlsxSheet sheet, Path file) {
        return new BillCells() {
            @Override
            public List<String> next() throws ImportFileException {
                return sheet.next();
            }

            @Override
            public long row() {
                return sheet.rowNumber();
            }

            @Override
            public void close() throws IOException {
                try {
                    sheet.close();
                } finally {
                    Files.deleteIfExists(file);
                }
            }
        };
    }
}
