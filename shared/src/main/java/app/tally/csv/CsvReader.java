package app.tally.csv;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads RFC 4180 records one at a time from a stream: fields in double quotes may hold commas, line breaks and
 * doubled quotes; records end with CRLF or LF; a UTF-8 byte order mark at the start is skipped. Malformed quoting is
 * an error naming the line, never a silently shifted field. Give it a buffered reader.
 */
public final class CsvReader {
    static final int MAX_FIELD_CHARS = 100_000;
    static final int MAX_FIELDS = 1_000;
    private static final int BOM = '\uFEFF';
    private final Reader in;
    private int line = 1;
    private boolean started;

    public CsvReader(Reader in) {
        this.in = in;
    }

    /** The line the next record starts on (1-based). */
    public int line() {
        return line;
    }

    /** The next record's fields, or null at the end of the input. */
    public List<String> next() throws IOException {
        int c = read();
        if (!started) {
            started = true;
            if (c == BOM) {
                c = read();
            }
        }
        if (c == -1) {
            return null;
        }
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        while (true) {
            if (c == '"' && field.isEmpty()) {
                c = quoted(field);
            } else {
                while (c != ',' && c != '\r' && c != '\n' && c != -1) {
                    if (c == '"') {
                        throw new CsvFormatException(line, "a quote inside an unquoted field");
                    }
                    append(field, c);
                    c = read();
                }
            }
            fields.add(field.toString());
            field.setLength(0);
            if (fields.size() > MAX_FIELDS) {
                throw new CsvFormatException(line, "a record with more than " + MAX_FIELDS + " fields");
            }
            if (c == ',') {
                c = read();
                continue;
            }
            if (c == '\r') {
                if (read() != '\n') {
                    throw new CsvFormatException(line, "a carriage return without a line feed");
                }
                c = '\n';
            }
            if (c == '\n') {
                line++;
            }
            return fields;
        }
    }

    /** Reads a quoted field after its opening quote; returns the character after the closing quote. */
    private int quoted(StringBuilder field) throws IOException {
        int startLine = line;
        while (true) {
            int c = read();
            if (c == -1) {
                throw new CsvFormatException(startLine, "a quoted field that never ends");
            }
            if (c == '"') {
                int after = read();
                if (after != '"') {
                    if (after != ',' && after != '\r' && after != '\n' && after != -1) {
                        throw new CsvFormatException(line, "text after a closing quote");
                    }
                    return after;
                }
            } else if (c == '\n') {
                line++;
            }
            append(field, c);
        }
    }

    /** Bounded, so that a runaway field (an unclosed quote, a huge cell) fails the file instead of the memory. */
    private void append(StringBuilder field, int c) {
        if (field.length() >= MAX_FIELD_CHARS) {
            throw new CsvFormatException(line, "a field longer than " + MAX_FIELD_CHARS + " characters");
        }
        field.append((char) c);
    }

    private int read() throws IOException {
        return in.read();
    }
}
