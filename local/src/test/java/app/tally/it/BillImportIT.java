package app.tally.it;

import static app.tally.it.LocalApi.get;
import static app.tally.it.LocalApi.newUser;
import static app.tally.it.LocalApi.post;
import static app.tally.it.TransactionsIT.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.tally.it.LocalApi.Reply;
import app.tally.local.bills.BillFixtures;
import app.tally.local.bills.BillFixtures.Trade;
import app.tally.services.imports.ImportRequests;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * WeChat Pay and Alipay bills end to end on the local stack, from synthetic fixtures: detected from their content
 * (upload form and request body), booked with the sums worked out by the fixtures per month, type and category as both
 * the statistics and the dashboard show them, refunds taken off their category's expense, skipped rows stored nowhere,
 * and the same trades never counted twice (the same bill again, overlapping bills, the csv and the xlsx of one bill).
 */
class BillImportIT {
    private static final YearMonth FIRST = YearMonth.of(2025, 9);

    static String importBody(String user, byte[] bytes, String contentType, String query) {
        Reply reply = LocalApi.send(HttpRequest.newBuilder(LocalApi.API.resolve("/imports" + query))
                .header("Authorization", "Bearer " + LocalApi.token(user)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
        assertEquals(202, reply.status(), reply.toString());
        return reply.json().get("jobId").asText();
    }

    static JsonNode finished(String user, String id) {
        JsonNode job = LocalApi.awaitFinishedJob(user, id, 240_000);
        assertEquals("succeeded", job.get("status").asText(), job.toString());
        return job;
    }

    /** The statistics as stored, "month|type|category" → cents (CNY only: bills are CNY). */
    static Map<String, Long> statistics(String user) {
        Map<String, Long> sums = new TreeMap<>();
        LocalApi.storedStatistics(user).forEach((key, sumCount) -> {
            if (sumCount.get(0) != 0) {
                sums.put(key.substring(0, key.lastIndexOf('|')), sumCount.get(0));
            }
        });
        assertEquals(LocalApi.recountedStatistics(user), LocalApi.storedStatistics(user));
        return sums;
    }

    /** The same sums as the dashboard's months show them, category by category. */
    static Map<String, Long> dashboard(String user, List<Trade> trades) {
        Map<String, Long> sums = new TreeMap<>();
        TreeSet<YearMonth> months = new TreeSet<>();
        trades.forEach(t -> months.add(t.month()));
        for (YearMonth month : months) {
            Reply reply = get("/dashboard?month=" + month, user);
            assertEquals(200, reply.status(), reply.toString());
            for (JsonNode line : reply.json().get("month").get("byCategory")) {
                long cents = new BigDecimal(line.get("amount").asText()).movePointRight(2).longValueExact();
                if (cents != 0) {
                    sums.put(month + "|" + line.get("type").asText() + "|" + line.get("category").asText(), cents);
                }
            }
        }
        return sums;
    }

    static long stored(String user) {
        return LocalApi.itemsWithPrefix("U#" + user + "#M#").size();
    }

    static long bookable(List<Trade> trades) {
        return trades.stream().filter(t -> t.type() != null).count();
    }

    @Test
    void weChatXlsxInBothLayoutsByUploadAndBodyBooksTheExpectedSumsAndAgainOnlyFindsDuplicates() throws Exception {
        String user = newUser("bills-wechat");
        List<Trade> first = BillFixtures.wechat(300, FIRST, 3, 11);
        List<Trade> second = BillFixtures.wechat(200, FIRST, 3, 12);
        List<Trade> all = new ArrayList<>(first);
        all.addAll(second);

        JsonNode uploaded = finished(user, ImportIT.importUpload(user, BillFixtures.wechatXlsx(first, false, true),
                null));
        JsonNode body = finished(user, importBody(user, BillFixtures.wechatXlsx(second, true, false), ImportRequests.XLSX,
                ""));

        assertEquals("wechat-xlsx", uploaded.get("request").get("format").asText(), uploaded.toString());
        assertEquals(18, uploaded.get("request").get("headerRow").asInt());
        assertEquals(19, body.get("request").get("headerRow").asInt());
        assertEquals(bookable(first), uploaded.get("progress").get("imported").asLong());
        assertEquals(30, uploaded.get("request").get("outcomes").get("neutralSkipped").asLong());
        assertEquals(30, uploaded.get("request").get("outcomes").get("closedSkipped").asLong());
        assertEquals(30, uploaded.get("request").get("outcomes").get("refund").asLong());
        assertEquals(bookable(all), stored(user));
        Map<String, Long> expected = BillFixtures.expectedSums(all);
        assertEquals(expected, statistics(user));
        assertEquals(expected, dashboard(user, all));

        JsonNode again = finished(user, importBody(user, BillFixtures.wechatXlsx(second, true, false), ImportRequests.XLSX,
                ""));
        assertEquals(0, again.get("progress").get("imported").asLong(), again.toString());
        assertEquals(bookable(second), again.get("progress").get("duplicates").asLong());
        assertEquals(expected, statistics(user));
    }

    @Test
    void csvAndXlsxOfTheSameTradesAndOverlappingBillsNeverCountATradeTwice() throws Exception {
        String user = newUser("bills-overlap");
        List<Trade> trades = BillFixtures.wechat(300, FIRST, 3, 21);
        List<Trade> septemberOctober = trades.subList(0, 200);
        List<Trade> octoberNovember = trades.subList(100, 300);

        JsonNode xlsx = finished(user, importBody(user, BillFixtures.wechatXlsx(septemberOctober, false, true),
                ImportRequests.XLSX, ""));
        JsonNode bom = finished(user, ImportIT.importUpload(user, BillFixtures.wechatCsv(septemberOctober, true),
                null));
        JsonNode overlap = finished(user, importBody(user, BillFixtures.wechatCsv(octoberNovember, false),
                "text/csv", "?mapping=wechat"));

        assertEquals("wechat-csv", bom.get("request").get("format").asText());
        assertEquals("UTF-8 with BOM", bom.get("request").get("encoding").asText());
        assertEquals("UTF-8", overlap.get("request").get("encoding").asText());
        assertEquals(bookable(septemberOctober), xlsx.get("progress").get("imported").asLong());
        assertEquals(bookable(septemberOctober), bom.get("progress").get("duplicates").asLong(), bom.toString());
        assertEquals(bookable(trades.subList(100, 200)), overlap.get("progress").get("duplicates").asLong());
        assertEquals(bookable(trades.subList(200, 300)), overlap.get("progress").get("imported").asLong());
        assertEquals(bookable(trades), stored(user));
        assertEquals(BillFixtures.expectedSums(trades), statistics(user));
    }

    @Test
    void alipayGbkBillByUploadAndBodyLowersSpendingByItsRefundsAndStoresNoSkippedRow() throws Exception {
        String user = newUser("bills-alipay");
        List<Trade> trades = BillFixtures.alipay(400, FIRST, 3, 31);
        byte[] bill = BillFixtures.alipayCsv(trades);

        JsonNode upload = finished(user, ImportIT.importUpload(user, bill, "\"alipay\""));
        JsonNode body = finished(user, importBody(user, bill, "text/csv", ""));

        assertEquals("alipay-csv", upload.get("request").get("format").asText());
        assertEquals("GB18030 (GBK)", upload.get("request").get("encoding").asText());
        assertEquals(23, upload.get("request").get("headerRow").asInt());
        assertEquals(bookable(trades), body.get("progress").get("duplicates").asLong());
        Map<String, Long> expected = BillFixtures.expectedSums(trades);
        assertEquals(expected, statistics(user));
        assertEquals(expected, dashboard(user, trades));
        // Refunds are their own entries, listed by type, and their amounts are what the 餐饮 expense lost.
        List<JsonNode> refunds = new ArrayList<>();
        TransactionsIT.walk(user, "/transactions?type=refund&limit=200").forEach(refunds::add);
        assertEquals(trades.stream().filter(t -> "refund".equals(t.type())).count(), refunds.size());
        assertTrue(refunds.stream().allMatch(tx -> tx.get("category").asText().equals("餐饮")));
        long purchases = trades.stream().filter(t -> "expense".equals(t.type()) && t.category().equals("餐饮"))
                .mapToLong(t -> t.amount().movePointRight(2).longValueExact()).sum();
        long refunded = refunds.stream().mapToLong(tx -> new BigDecimal(tx.get("amount").asText()).movePointRight(2)
                .longValueExact()).sum();
        assertEquals(purchases - refunded, expected.entrySet().stream()
                .filter(e -> e.getKey().endsWith("|expense|餐饮")).mapToLong(Map.Entry::getValue).sum());
        // Skipped rows (余额宝 moves, closed trades) are nowhere: not stored, not in any statistic.
        assertEquals(bookable(trades), stored(user));
        List<String> notes = new ArrayList<>();
        TransactionsIT.walk(user, "/transactions?limit=200").forEach(tx -> notes.add(tx.get("note").asText()));
        assertTrue(notes.stream().noneMatch(note -> note.contains("余额宝-转入")), notes.toString());
    }

    @Test
    void refundsSurviveAnExportAndItsReimport() {
        String user = newUser("bills-export");
        List<Trade> trades = BillFixtures.wechat(60, FIRST, 2, 61);
        finished(user, importBody(user, BillFixtures.wechatCsv(trades, false), "text/csv", ""));

        Reply requested = post("/exports", user, "{\"from\":\"2025-09-01\",\"to\":\"2025-10-31\",\"format\":\"csv\"}");
        assertEquals(202, requested.status(), requested.toString());
        byte[] csv = ExportIT.download(ExportIT.awaitFinished(user, requested.json().get("jobId").asText()));
        assertTrue(new String(csv, StandardCharsets.UTF_8).contains(",refund,"));
        String other = newUser("bills-reimport");
        JsonNode reimport = finished(other, importBody(other, csv, "text/csv", ""));

        assertEquals("tally", reimport.get("request").get("format").asText());
        assertEquals(BillFixtures.expectedSums(trades), statistics(other));
        assertEquals(statistics(user), statistics(other));
    }

    @Test
    void aDryRunShowsWhatWasFoundAndWritesNothing() throws Exception {
        String user = newUser("bills-dry");
        List<Trade> trades = BillFixtures.alipay(50, FIRST, 1, 41);
        finished(user, importBody(user, BillFixtures.alipayCsv(trades.subList(0, 20)), "text/csv", ""));
        Map<String, List<Long>> before = LocalApi.storedStatistics(user);

        JsonNode job = finished(user, importBody(user, BillFixtures.alipayCsv(trades), "text/csv",
                "?dryRun=true&rules=" + URLEncoder.encode("[{\"contains\":\"示例便利店\",\"category\":\"买菜\"}]",
                        StandardCharsets.UTF_8)));

        JsonNode request = job.get("request");
        assertEquals("alipay-csv", request.get("format").asText());
        assertEquals("GB18030 (GBK)", request.get("encoding").asText());
        assertEquals(23, request.get("headerRow").asInt());
        assertEquals(trades.stream().filter(t -> "expense".equals(t.type())).count(),
                request.get("outcomes").get("expense").asLong());
        assertEquals(5, request.get("outcomes").get("refund").asLong());
        assertEquals(5, request.get("outcomes").get("neutralSkipped").asLong());
        assertEquals(5, request.get("outcomes").get("closedSkipped").asLong());
        assertEquals(bookable(trades.subList(0, 20)), request.get("outcomes").get("duplicate").asLong());
        assertEquals(5, request.get("preview").size());
        assertEquals(24, request.get("preview").get(0).get("row").asInt());
        assertEquals("餐饮", request.get("preview").get(0).get("transaction").get("category").asText());
        assertTrue(job.toString().contains("\"category\":\"买菜\""), job.toString());
        assertEquals(bookable(trades.subList(0, 20)), stored(user));
        assertEquals(before, LocalApi.storedStatistics(user));
    }

    @Test
    void aBodyThatClaimsUtf8ButIsGbkIsRefusedAndBadRulesAre422() {
        String user = newUser("bills-refused");
        byte[] gbk = BillFixtures.alipayCsv(BillFixtures.alipay(5, FIRST, 1, 51));

        Reply refused = LocalApi.send(HttpRequest.newBuilder(LocalApi.API.resolve("/imports"))
                .header("Authorization", "Bearer " + LocalApi.token(user))
                .header("Content-Type", "text/csv; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(gbk)).build());

        assertProblem(400, refused);
        assertTrue(refused.json().get("detail").asText().contains("reads as GB18030 (GBK)"), refused.toString());
        assertProblem(422, post("/imports", user, "{\"filename\":\"bill.csv\",\"rules\":[{\"contains\":\"\"}]}"));
        assertEquals(0, get("/jobs", user).json().get("items").size());
    }
}
