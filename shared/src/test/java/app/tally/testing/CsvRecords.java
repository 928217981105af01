package app.tally.testing;

import app.tally.csv.CsvReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

/** Every record of a CSV text, as {@link CsvReader} reads it. */
public final class CsvRecords {
    private CsvRecords() {
    }

    public static List<List<String>> of(String csv) throws IOException {
        CsvReader reader = new CsvReader(new BufferedReader(new StringReader(csv)));
        List<List<String>> records = new ArrayList<>();
        for (List<String> r = reader.next(); r != null; r = reader.next()) {
            records.add(r);
        }
        return records;
    }
}
