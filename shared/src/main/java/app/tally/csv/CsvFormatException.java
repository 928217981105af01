package app.tally.csv;

/** A CSV input that is not RFC 4180. */
public final class CsvFormatException extends IllegalArgumentException {
    private final int line;

    public CsvFormatException(int line, String problem) {
        super("line " + line + ": " + problem);
        this.line = line;
    }

    public int line() {
        return line;
    }
}
