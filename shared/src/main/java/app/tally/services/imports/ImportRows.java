package app.tally.services.imports;

/** The data rows of an import file, one at a time; closing it closes the file. */
public interface ImportRows extends AutoCloseable {
    /** The next data row, or null at the end of the file. */
    ImportFile.Row next() throws ImportFileException;
}
