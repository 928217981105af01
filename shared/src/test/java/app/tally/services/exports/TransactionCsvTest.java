package app.tally.services.exports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import app.tally.model.EntryType;
import app.tally.model.Money;
import app.tally.testing.CsvRecords;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TransactionCsvTest {
    private static ExportRow row(String category, String note, List<String> tags) {
        return new ExportRow("01M8GA8C45FA7VNZS1R1N9GJX5", LocalDate.of(2026, 11, 24), EntryType.EXPENSE,
                Money.parse("12.30", "CNY"), category, note, tags, Instant.parse("2026-11-24T04:12:39.123456789Z"));
    }

    private static List<List<String>> readAll(String csv) throws IOException {
        return CsvRecords.of(csv);
    }

    private static ExportRow roundTrip(ExportRow row) throws IOException {
        StringBuilder csv = new StringBuilder("\uFEFF");
        TransactionCsv.appendHeader(csv);
        TransactionCsv.appendRow(csv, row);
        List<List<String>> records = readAll(csv.toString());
        assertEquals(2, records.size());
        assertEquals(TransactionCsv.HEADER, records.get(0));
        return TransactionCsv.read(records.get(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "餐饮, 外卖", "say \"hi\"", "two\nlines", "crlf\r\ninside", "\"", ",", "", " padded ",
            "=SUM(A1:A2)", "tab\there"})
    void everyNoteAndCategorySurvivesTheRoundTrip(String text) throws IOException {
        ExportRow row = row(text.isEmpty() ? "x" : text, text, List.of());
        assertEquals(row, roundTrip(row));
    }

    @ParameterizedTest
    @ValueSource(strings = {"=HYPERLINK(\"http://x\",\"y\")", "+cmd", "-2+3", "@SUM(1)", "\tindented", "\rreturn",
            "'=already quoted", "''=twice", "'", "''", "'plain", "it's", "a=b", "=", "-"})
    void formulaCellsAreNeutralisedAndStillRoundTrip(String text) throws IOException {
        ExportRow row = row(text, text, List.of(text));
        StringBuilder csv = new StringBuilder();
        TransactionCsv.appendRow(csv, row);
        List<String> cells = readAll(csv.toString()).get(0);
        for (int column : new int[] {5, 6, 7}) {
            String cell = cells.get(column);
            assertFalse("=+-@\t\r".indexOf(cell.charAt(0)) >= 0, "cell " + column + " starts a formula: " + cell);
        }
        assertEquals(row, roundTrip(row));
    }

    @Test
    void neutralisingAddsExactlyOneQuoteWhereAFormulaWouldStart() {
        assertEquals("'=HYPERLINK(\"http://x\",\"y\")", TransactionCsv.neutralise("=HYPERLINK(\"http://x\",\"y\")"));
        assertEquals("'+cmd", TransactionCsv.neutralise("+cmd"));
        assertEquals("'-2+3", TransactionCsv.neutralise("-2+3"));
        assertEquals("'@SUM(1)", TransactionCsv.neutralise("@SUM(1)"));
        assertEquals("'\tx", TransactionCsv.neutralise("\tx"));
        assertEquals("''=x", TransactionCsv.neutralise("'=x"), "a quote before a formula is quoted again");
        assertEquals("'''+x", TransactionCsv.neutralise("''+x"));
        for (String plain : List.of("", "'", "'x", "x=1", "午饭", " =x")) {
            assertEquals(plain, TransactionCsv.neutralise(plain));
            assertEquals(plain, TransactionCsv.restore(plain), "a cell the export never quoted is read as it is");
        }
        assertEquals("=x", TransactionCsv.restore("'=x"));
        assertEquals("'=x", TransactionCsv.restore("''=x"));
    }

    @Test
    void amountsAreNotTextCellsAndAreLeftAlone() {
        StringBuilder csv = new StringBuilder();
        TransactionCsv.appendRow(csv, row("x", "-12.00", List.of("-1")));
        assertEquals("01M8GA8C45FA7VNZS1R1N9GJX5,2026-11-24,expense,12.30,CNY,x,'-12.00,'-1,"
                + "2026-11-24T04:12:39.123456789Z\r\n", csv.toString());
    }

    @Test
    void tagsWithSeparatorsAndBackslashesSurviveTheRoundTrip() throws IOException {
        for (List<String> tags : List.<List<String>>of(List.of(), List.of("a"), List.of("a;b", "c"), List.of("back\\slash", "\\;"),
                List.of("团队", "工作, 出差"), List.of("end\\"))) {
            ExportRow row = row("x", "", tags);
            assertEquals(row, roundTrip(row), tags.toString());
        }
    }

    @Test
    void rowsAreQuotedOnlyWhereNeededAndEndWithCrlf() {
        StringBuilder csv = new StringBuilder();
        TransactionCsv.appendRow(csv, row("餐饮, 外卖", "he said \"hi\"", List.of("a;b", "团队")));
        assertEquals("01M8GA8C45FA7VNZS1R1N9GJX5,2026-11-24,expense,12.30,CNY,\"餐饮, 外卖\",\"he said \"\"hi\"\"\","
                + "a\\;b;团队,2026-11-24T04:12:39.123456789Z\r\n", csv.toString());
    }

    @Test
    void amountsAreDecimalStringsOfTheCurrencysMinorUnits() throws IOException {
        ExportRow yen = new ExportRow("01M8GA8C45FA7VNZS1R1N9GJX5", LocalDate.of(2025, 1, 1), EntryType.INCOME,
                Money.parse("1500", "JPY"), "工资", "", List.of(), Instant.parse("2025-01-01T00:00:00Z"));
        StringBuilder csv = new StringBuilder();
        TransactionCsv.appendRow(csv, yen);
        assertEquals("1500", readAll(csv.toString()).get(0).get(3));
        assertEquals(yen, roundTrip(yen));
    }

    @Test
    void recordThatIsNotATransactionSaysWhy() {
        assertThrows(IllegalArgumentException.class, () -> TransactionCsv.read(List.of("a", "b")));
        assertThrows(IllegalArgumentException.class, () -> TransactionCsv.read(List.of("id", "2026-02-30", "expense",
                "1.00", "CNY", "x", "", "", "2026-01-01T00:00:00Z")));
        assertThrows(IllegalArgumentException.class, () -> TransactionCsv.read(List.of("id", "2026-02-01", "expense",
                "1.001", "CNY", "x", "", "", "2026-01-01T00:00:00Z")));
    }
}
