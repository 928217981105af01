package app.tally.it;

import static app.tally.it.LocalApi.AWS;
import static app.tally.it.LocalApi.get;
import static app.tally.it.LocalApi.newUser;
import static app.tally.it.LocalApi.post;
import static app.tally.it.TransactionsIT.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.tally.csv.CsvReader;
import app.tally.it.LocalApi.Reply;
import app.tally.model.EntryType;
import app.tally.model.Ids;
import app.tally.model.Money;
import app.tally.model.Transaction;
import app.tally.store.LedgerStore;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Amounts at their limits and in other notations, end to end: a month of a four-digit currency at its cap, a
 * statistics item past any 64-bit integer, and bank files that write a decimal comma.
 */
class AmountsIT {
    private static final String MONTH = "2026-03";
    private static final int ROWS = 1_000;

    /** The month's rows as listed, the dashboard's CLF totals and the export's amounts, each summed exactly. */
    private record Seen(List<JsonNode> listed, JsonNode totals, JsonNode category, List<BigDecimal> exported) {
    }

    private static Seen readBack(String user) {
        List<JsonNode> listed = TransactionsIT.walk(user,
                "/transactions?limit=200&from=" + MONTH + "-01&to=" + MONTH + "-31");
        Reply dashboard = get("/dashboard?month=" + MONTH + "&months=1", user);
        assertEquals(200, dashboard.status(), dashboard.toString());
        JsonNode month = dashboard.json().get("month");
        assertEquals(1, month.get("totals").size(), month.toString());

        Reply requested = post("/exports", user, "{\"from\":\"" + MONTH + "-01\",\"to\":\"" + MONTH + "-31\"}");
        assertEquals(202, requested.status(), requested.toString());
        JsonNode job = ExportIT.awaitFinished(user, requested.json().get("jobId").asText());
        assertEquals("succeeded", job.get("status").asText(), job.toString());
        List<BigDecimal> exported = new ArrayList<>();
        try {
            CsvReader csv = new CsvReader(new BufferedReader(new StringReader(
                    new String(ExportIT.download(job), StandardCharsets.UTF_8))));
            int amount = csv.next().indexOf("amount");
            for (List<String> record = csv.next(); record != null; record = csv.next()) {
                exported.add(new BigDecimal(record.get(amount)));
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return new Seen(listed, month.get("totals").get(0), month.get("byCategory").get(0), exported);
    }

    private static BigDecimal sum(List<BigDecimal> amounts) {
        return amounts.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    @Test
    void aThousandRowsAtTheCapOfAFourDigitCurrencyListShowAndExportExactly() {
        String user = newUser("clf-cap");
        String cap = "9999999999.9999";
        StringBuilder csv = new StringBuilder("date,type,amount,currency,category\r\n");
        for (int i = 0; i < ROWS - 1; i++) {
            csv.append(MONTH).append('-').append(String.format("%02d", 1 + i % 28)).append(",expense,").append(cap)
                    .append(",CLF,reserves\r\n");
        }
        csv.append(MONTH).append("-30,expense,10000000000,CLF,reserves\r\n");
        JsonNode imported = ImportIT.awaitFinished(user, ImportIT.importBody(user, csv.toString(), ""));
        assertEquals("succeeded", imported.get("status").asText(), imported.toString());
        assertEquals(ROWS - 1, imported.get("progress").get("imported").asLong());
        JsonNode rowError = get("/jobs/" + imported.get("jobId").asText() + "/errors", user).json().get("items").get(0);
        assertEquals("amount", rowError.get("column").asText());
        assertEquals("must be at most " + cap, rowError.get("reason").asText());

        assertEquals(201, post("/transactions", user, TransactionsIT.body(cap, "CLF", "expense", "reserves",
                MONTH + "-31")).status());
        Reply over = post("/transactions", user, TransactionsIT.body("10000000000", "CLF", "expense", "reserves",
                MONTH + "-31"));
        assertProblem(422, over);
        assertEquals("amount", over.json().get("errors").get(0).get("field").asText());
        assertEquals("must be at most " + cap, over.json().get("errors").get(0).get("reason").asText());

        BigDecimal expected = new BigDecimal(cap).multiply(BigDecimal.valueOf(ROWS));
        Seen seen = readBack(user);
        assertEquals(ROWS, seen.listed().size());
        assertTrue(seen.listed().stream().allMatch(t -> t.get("amount").asText().equals(cap)));
        assertEquals(expected.toPlainString(), seen.totals().get("expense").asText());
        assertEquals(expected.negate().toPlainString(), seen.totals().get("net").asText());
        assertEquals(ROWS, seen.totals().get("count").asLong());
        assertEquals(expected.toPlainString(), seen.category().get("amount").asText());
        assertEquals("100.0", seen.category().get("share").asText());
        assertEquals(ROWS, seen.exported().size());
        assertEquals(expected, sum(seen.exported()));
        TransactionsIT.assertStatisticsMatchRecount(user);
    }

    @Test
    void aStatisticsItemBeyondAnyLongStillListsShowsAndExportsExactly() {
        String user = newUser("clf-legacy");
        // What the cap in major units let through before: 999,999,999,999.99 CLF, 10^16 minor units a row.
        Money legacy = new Money(9_999_999_999_999_900L, "CLF");
        LedgerStore store = new LedgerStore(AWS.dynamoDb(), LocalApi.TABLE);
        Instant now = Instant.now();
        for (int i = 0; i < ROWS; i++) {
            LocalDate date = LocalDate.parse(MONTH + "-01").plusDays(i % 28);
            store.create(user, new Transaction(Ids.newTransactionId(date, now), date, EntryType.EXPENSE, legacy,
                    "reserves", "", List.of(), now, now, 1), null, now).join();
        }
        Map<String, AttributeValue> statistics = LocalApi.itemsWithPrefix("U#" + user).stream()
                .filter(item -> item.get("SK").s().startsWith("S#")).findFirst().orElseThrow();
        BigInteger stored = new BigInteger(statistics.get("sum_CLF").n());
        assertEquals(BigInteger.valueOf(legacy.minorUnits()).multiply(BigInteger.valueOf(ROWS)), stored);
        assertTrue(stored.compareTo(BigInteger.valueOf(Long.MAX_VALUE)) > 0, "the sum is past any long");

        BigDecimal expected = new BigDecimal(stored, 4);
        Seen seen = readBack(user);
        assertEquals(ROWS, seen.listed().size());
        assertTrue(seen.listed().stream().allMatch(t -> t.get("amount").asText().equals("999999999999.9900")));
        assertEquals("999999999999990.0000", expected.toPlainString());
        assertEquals(expected.toPlainString(), seen.totals().get("expense").asText());
        assertEquals(ROWS, seen.totals().get("count").asLong());
        assertEquals(expected.toPlainString(), seen.category().get("amount").asText());
        assertEquals(ROWS, seen.exported().size());
        assertEquals(expected, sum(seen.exported()));

        // A change of another field keeps the stored amount and the statistics.
        String id = seen.listed().get(0).get("id").asText();
        Reply noted = LocalApi.patch("/transactions/" + id, user, "{\"note\":\"kept\"}");
        assertEquals(200, noted.status(), noted.toString());
        assertEquals("999999999999.9900", noted.json().get("amount").asText());
        assertEquals(expected.toPlainString(), readBack(user).totals().get("expense").asText());
    }

    private static final String EURO_BANK = "Buchungstag,Verwendungszweck,Betrag\r\n"
            + "03.01.2026,Kaffee,\"-12,50\"\r\n"
            + "05.01.2026,Gehalt,\"1.234,56\"\r\n"
            + "06.01.2026,Miete,\"-1.234.567,00\"\r\n"
            + "07.01.2026,Unklar,\"1,234.56\"\r\n"
            + "08.01.2026,Drei Stellen,\"12,345\"\r\n";

    private static String euroMapping(String separator) {
        return "{\"dateColumn\":\"Buchungstag\",\"datePattern\":\"dd.MM.yyyy\",\"amountColumn\":\"Betrag\","
                + "\"noteColumn\":\"Verwendungszweck\",\"defaultCategory\":\"Bank\",\"currency\":\"EUR\","
                + "\"decimalSeparator\":\"" + separator + "\"}";
    }

    @Test
    void aDecimalCommaMappingImportsEachAmountOneWayAndReportsTheAmbiguousOnes() throws Exception {
        String user = newUser("decimal-comma");
        String query = "?mapping=" + URLEncoder.encode(euroMapping(","), StandardCharsets.UTF_8);
        JsonNode job = ImportIT.awaitFinished(user, ImportIT.importBody(user, EURO_BANK, query));
        assertEquals("succeeded", job.get("status").asText(), job.toString());
        assertEquals(3, job.get("progress").get("imported").asLong());
        assertEquals(",", job.get("request").get("mapping").get("decimalSeparator").asText());
        Map<String, String> amounts = new TreeMap<>();
        for (JsonNode tx : TransactionsIT.walk(user, "/transactions?limit=200")) {
            amounts.put(tx.get("note").asText(), tx.get("type").asText() + " " + tx.get("amount").asText() + " "
                    + tx.get("currency").asText());
        }
        assertEquals(Map.of("Kaffee", "expense 12.50 EUR", "Gehalt", "income 1234.56 EUR",
                "Miete", "expense 1234567.00 EUR"), amounts);
        JsonNode errors = get("/jobs/" + job.get("jobId").asText() + "/errors", user).json().get("items");
        assertEquals(2, errors.size(), errors.toString());
        assertEquals(5, errors.get(0).get("row").asLong());
        assertEquals("Betrag", errors.get(0).get("column").asText());
        assertEquals("does not read as an amount with \",\" as decimal separator: digits group only in threes, as in"
                + " 1.234,56", errors.get(0).get("reason").asText());
        assertEquals(6, errors.get(1).get("row").asLong());
        assertEquals("Betrag", errors.get(1).get("column").asText());
        assertEquals("EUR allows at most 2 decimal places", errors.get(1).get("reason").asText());

        // Read with a decimal point, the same file has other ambiguous rows (12,50, 1.234,56, 1.234.567,00), and
        // 12,345 is twelve thousand.
        String pointUser = newUser("decimal-point");
        JsonNode pointJob = ImportIT.awaitFinished(pointUser, ImportIT.importUpload(pointUser,
                EURO_BANK.getBytes(StandardCharsets.UTF_8), euroMapping(".")));
        List<Long> badRows = new ArrayList<>();
        get("/jobs/" + pointJob.get("jobId").asText() + "/errors", pointUser).json().get("items")
                .forEach(error -> badRows.add(error.get("row").asLong()));
        assertEquals(List.of(2L, 3L, 4L), badRows);
        assertEquals("income 12345.00; income 1234.56",
                TransactionsIT.walk(pointUser, "/transactions?limit=200").stream().map(t -> t.get("type").asText()
                        + " " + t.get("amount").asText()).reduce((a, b) -> a + "; " + b).orElse(""));
    }

    @Test
    void aDecimalSeparatorOtherThanPointOrCommaIsRefusedBeforeAnythingIsStored() {
        String user = newUser("decimal-bad");
        Reply body = post("/imports?mapping=" + URLEncoder.encode(euroMapping(";"), StandardCharsets.UTF_8), user,
                EURO_BANK, "Content-Type", "text/csv");
        assertProblem(422, body);
        assertEquals("decimalSeparator", body.json().get("errors").get(0).get("field").asText());
        Reply upload = post("/imports", user, "{\"filename\":\"s.csv\",\"mapping\":" + euroMapping("") + "}");
        assertProblem(422, upload);
        assertEquals("decimalSeparator", upload.json().get("errors").get(0).get("field").asText());
        assertEquals(List.of(), LocalApi.itemsWithPrefix("U#" + user));
    }
}
