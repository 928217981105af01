package app.tally.services.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.tally.json.Json;
import app.tally.model.EntryType;
import app.tally.model.Ids;
import app.tally.model.InvalidInput;
import app.tally.model.Money;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImportFileTest {
    private static final Instant NOW = Instant.parse("2026-11-28T00:00:00Z");

    private static List<ImportFile.Row> rows(byte[] bytes, ImportMapping mapping, String user) throws Exception {
        List<ImportFile.Row> rows = new ArrayList<>();
        try (ImportFile file = ImportFile.open(new ByteArrayInputStream(bytes), mapping, user, NOW)) {
            for (ImportFile.Row row = file.next(); row != null; row = file.next()) {
                rows.add(row);
            }
        }
        return rows;
    }

    private static List<ImportFile.Row> rows(String csv, ImportMapping mapping) throws Exception {
        return rows(csv.getBytes(StandardCharsets.UTF_8), mapping, "alice");
    }

    @Test
    void sameContentGetsTheSameIdsAgainAndRepeatsInOneFileGetTheirOwn() throws Exception {
        String csv = "date,type,amount,currency,category\n2026-01-01,expense,3.50,CNY,咖啡\n2026-01-01,expense,3.50,CNY,咖啡\n";
        List<ImportFile.Row> first = rows(csv, null);
        List<ImportFile.Row> second = rows(csv, null);
        String a = ((ImportFile.Valid) first.get(0)).tx().id();
        String b = ((ImportFile.Valid) first.get(1)).tx().id();
        assertTrue(Ids.isValid(a) && Ids.isValid(b));
        assertNotEquals(a, b);
        assertEquals(a, ((ImportFile.Valid) second.get(0)).tx().id());
        assertNotEquals(a, ((ImportFile.Valid) rows(csv.getBytes(StandardCharsets.UTF_8), null, "bob").get(0)).tx().id());
    }

    @Test
    void tallysOwnCsvLosesTheQuoteTheExportPutBeforeAFormula() throws Exception {
        List<ImportFile.Row> rows = rows("date,type,amount,currency,category,note,tags\n"
                + "2026-01-01,expense,1.00,CNY,'+cat,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",'@a;b\n"
                + "2026-01-01,expense,1.00,CNY,x,''=kept one,'plain\n", null);
        var first = ((ImportFile.Valid) rows.get(0)).tx();
        assertEquals("+cat", first.category());
        assertEquals("=HYPERLINK(\"http://x\",\"y\")", first.note());
        assertEquals(List.of("@a", "b"), first.tags());
        var second = ((ImportFile.Valid) rows.get(1)).tx();
        assertEquals("'=kept one", second.note());
        assertEquals(List.of("'plain"), second.tags());
    }

    @Test
    void badRowsNameTheirRowColumnAndReason() throws Exception {
        List<ImportFile.Row> rows = rows("date,type,amount,currency,category\n2026-01-01,expense,3.505,CNY,x\n\n"
                + "2026-01-01,spend,1,CNY,x\n2026-01-01,expense\n", null);
        ImportFile.Invalid amount = (ImportFile.Invalid) rows.get(0);
        assertEquals(2, amount.error().row());
        assertEquals("amount", amount.error().column());
        assertEquals("2026-01-01,expense,3.505,CNY,x", amount.error().raw());
        assertEquals(4, ((ImportFile.Invalid) rows.get(1)).error().row(), "a blank line still counts as a row");
        assertEquals("type", ((ImportFile.Invalid) rows.get(1)).error().column());
        assertNull(((ImportFile.Invalid) rows.get(2)).error().column());
    }

    @Test
    void aDatePatternWithoutADayIsRejectedWithTheMapping() {
        for (String pattern : new String[] {"yyyy-MM", "HH:mm", "MM/dd"}) {
            InvalidInput problem = assertThrows(InvalidInput.class, () -> ImportMapping.from(Json.parse(
                    "{\"dateColumn\":\"d\",\"datePattern\":\"" + pattern + "\",\"amountColumn\":\"a\"}")));
            assertEquals("datePattern", problem.errors().get(0).field(), pattern);
        }
    }

    @Test
    void bankRowsReadThroughTheChineseLayout() throws Exception {
        String csv = "交易日期,收入,支出,交易类型,备注\n2026-01-05,\"15,000.00\",,工资,一月工资\n2026-01-06,,¥35.50,,拿铁\n";
        List<ImportFile.Row> rows = rows(csv, ImportMapping.PRESETS.get("cn-bank"));
        var salary = ((ImportFile.Valid) rows.get(0)).tx();
        assertEquals(EntryType.INCOME, salary.type());
        assertEquals(1_500_000, salary.amount().minorUnits());
        var coffee = ((ImportFile.Valid) rows.get(1)).tx();
        assertEquals(EntryType.EXPENSE, coffee.type());
        assertEquals("未分类", coffee.category());
        assertEquals("拿铁", coffee.note());
    }

    @Test
    void aDecimalCommaStatementReadsEachAmountOneWayAndNamesTheColumnOfAnAmbiguousOne() throws Exception {
        ImportMapping mapping = ImportMapping.from(Json.parse("{\"dateColumn\":\"Buchungstag\","
                + "\"datePattern\":\"dd.MM.yyyy\",\"amountColumn\":\"Betrag\",\"defaultCategory\":\"Bank\","
                + "\"currency\":\"EUR\",\"decimalSeparator\":\",\"}"));
        List<ImportFile.Row> rows = rows("Buchungstag,Betrag\n"
                + "03.01.2026,\"-12,50\"\n05.01.2026,\"1.234,56\"\n06.01.2026,\"1,234.56\"\n07.01.2026,\"12,345\"\n",
                mapping);
        var coffee = ((ImportFile.Valid) rows.get(0)).tx();
        assertEquals(EntryType.EXPENSE, coffee.type());
        assertEquals(new Money(1250, "EUR"), coffee.amount());
        var salary = ((ImportFile.Valid) rows.get(1)).tx();
        assertEquals(EntryType.INCOME, salary.type());
        assertEquals(123_456, salary.amount().minorUnits());
        ImportFile.Invalid ambiguous = (ImportFile.Invalid) rows.get(2);
        assertEquals(4, ambiguous.error().row());
        assertEquals("Betrag", ambiguous.error().column());
        assertEquals("does not read as an amount with \",\" as decimal separator: digits group only in threes, as in"
                + " 1.234,56", ambiguous.error().reason());
        ImportFile.Invalid tooManyDecimals = (ImportFile.Invalid) rows.get(3);
        assertEquals("Betrag", tooManyDecimals.error().column());
        assertEquals("EUR allows at most 2 decimal places", tooManyDecimals.error().reason());
    }

    @Test
    void aMalformedDebitIsARowErrorOfTheDebitColumn() throws Exception {
        List<ImportFile.Row> rows = rows("交易日期,收入,支出,交易类型,备注\n2026-01-06,,\"35,5\",,拿铁\n",
                ImportMapping.PRESETS.get("cn-bank"));
        ImportFile.Invalid error = (ImportFile.Invalid) rows.get(0);
        assertEquals("支出", error.error().column());
        assertTrue(error.error().reason().startsWith("does not read as an amount"), error.error().reason());
    }

    @Test
    void anAmountAboveItsCurrencysCapIsARowErrorWithTheCap() throws Exception {
        List<ImportFile.Row> rows = rows("date,type,amount,currency,category\n"
                + "2026-01-01,expense,9999999999.9999,CLF,x\n2026-01-01,expense,10000000000,CLF,x\n", null);
        assertEquals(Money.MAX_MINOR_UNITS, ((ImportFile.Valid) rows.get(0)).tx().amount().minorUnits());
        ImportFile.Invalid over = (ImportFile.Invalid) rows.get(1);
        assertEquals("amount", over.error().column());
        assertEquals("must be at most 9999999999.9999", over.error().reason());
    }

    @Test
    void unreadableFilesSayWhy() {
        byte[] latin1 = "date,type,amount,currency,category\n2026-01-01,expense,1,CNY,Caf\u00e9\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        assertTrue(assertThrows(ImportFileException.class, () -> rows(latin1, null, "a")).getMessage()
                .contains("line 2 is not UTF-8"));
        assertTrue(assertThrows(ImportFileException.class, () -> rows("", null)).getMessage().contains("empty"));
        assertTrue(assertThrows(ImportFileException.class, () -> rows("2026-01-01,expense,1,CNY,x\n", null))
                .getMessage().contains("lacks date, type, amount, currency, category"));
        assertTrue(assertThrows(ImportFileException.class, () -> rows("a,b\u0000\n", null)).getMessage()
                .contains("binary"));
        assertTrue(assertThrows(ImportFileException.class,
                () -> rows("date,type\n", ImportMapping.PRESETS.get("us-bank"))).getMessage()
                .contains("Posting Date, Amount, Description"));
    }

    @Test
    void utf16FilesAreNamedAsSuch() {
        String csv = "date,type,amount,currency,category\n2026-01-01,expense,1,CNY,x\n";
        for (byte[] bytes : List.of(concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, csv.getBytes(StandardCharsets.UTF_16LE)),
                concat(new byte[] {(byte) 0xFE, (byte) 0xFF}, csv.getBytes(StandardCharsets.UTF_16BE)))) {
            assertTrue(assertThrows(ImportFileException.class, () -> rows(bytes, null, "a")).getMessage()
                    .contains("UTF-16"));
        }
        assertTrue(assertThrows(ImportFileException.class, () -> rows(csv.getBytes(StandardCharsets.UTF_16LE), null,
                "a")).getMessage().contains("binary, not CSV text (a NUL byte on line 1)"));
    }

    @Test
    void aSecondByteOrderMarkIsNotPartOfTheFirstColumnsName() throws Exception {
        List<ImportFile.Row> rows = rows("\uFEFF\uFEFFdate,type,amount,currency,category\n2026-01-01,expense,1,CNY,x\n",
                null);
        assertEquals(LocalDate.of(2026, 1, 1), ((ImportFile.Valid) rows.get(0)).tx().date());
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] all = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }
}
