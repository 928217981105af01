package app.tally.local.bills;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.tally.local.bills.BillFixtures.Trade;
import app.tally.model.Transaction;
import app.tally.services.imports.ImportFile;
import app.tally.services.imports.ImportFileException;
import app.tally.services.imports.bills.BillProvider;
import app.tally.services.imports.bills.BillSource;
import app.tally.services.imports.bills.CategoryRules;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Bills read from the synthetic fixtures: detection, encodings, preamble, outcomes, ids and hostile files. */
class BillSourceTest {
    private static final YearMonth FIRST = YearMonth.of(2025, 9);

    record Read(BillSource.Opened opened, List<ImportFile.Row> rows) {
        List<Transaction> transactions() {
            return rows.stream().filter(r -> r instanceof ImportFile.Valid).map(r -> ((ImportFile.Valid) r).tx())
                    .toList();
        }

        long count(Class<?> kind) {
            return rows.stream().filter(kind::isInstance).count();
        }

        /** "month|type|category" → cents, as the statistics book them. */
        Map<String, Long> sums() {
            Map<String, Long> sums = new TreeMap<>();
            for (Transaction tx : transactions()) {
                sums.merge(tx.month() + "|" + tx.type().statistic().wire() + "|" + tx.category(),
                        tx.type().statisticSign() * tx.amount().minorUnits(), Long::sum);
            }
            return sums;
        }
    }

    static Read read(byte[] bytes, BillProvider preset, CategoryRules rules) throws Exception {
        BillSource.Opened opened = BillSource.open(new ByteArrayInputStream(bytes), null, preset, rules, "user-1",
                Instant.parse("2027-01-01T00:00:00Z"));
        List<ImportFile.Row> rows = new ArrayList<>();
        try (var file = opened.rows()) {
            for (ImportFile.Row row = file.next(); row != null; row = file.next()) {
                rows.add(row);
            }
        }
        return new Read(opened, rows);
    }

    static Read read(byte[] bytes) throws Exception {
        return read(bytes, null, CategoryRules.NONE);
    }

    static String reason(byte[] bytes, BillProvider preset) {
        return assertThrows(ImportFileException.class, () -> read(bytes, preset, CategoryRules.NONE)).getMessage();
    }

    @Test
    void weChatXlsxInBothLayoutsIsDetectedWithItsHeaderRowAndBooksTheExpectedSums() throws Exception {
        List<Trade> trades = BillFixtures.wechat(200, FIRST, 3, 1);
        Read classic = read(BillFixtures.wechatXlsx(trades, false, true));
        Read revised = read(BillFixtures.wechatXlsx(trades, true, false));

        assertEquals("wechat-xlsx", classic.opened().format());
        assertEquals(18, classic.opened().headerRow());
        assertEquals(19, revised.opened().headerRow());
        assertEquals(BillFixtures.expectedSums(trades), classic.sums());
        assertEquals(classic.transactions(), revised.transactions());
        assertEquals(40, classic.count(ImportFile.Skipped.class));
        assertEquals(0, classic.count(ImportFile.Invalid.class));
    }

    @Test
    void weChatCsvWithAndWithoutBomReadsAsTheXlsxOfTheSameTradesWithTheSameIds() throws Exception {
        List<Trade> trades = BillFixtures.wechat(100, FIRST, 3, 2);
        Read xlsx = read(BillFixtures.wechatXlsx(trades, false, true));
        Read bom = read(BillFixtures.wechatCsv(trades, true));
        Read plain = read(BillFixtures.wechatCsv(trades, false));

        assertEquals("wechat-csv", bom.opened().format());
        assertEquals("UTF-8 with BOM", bom.opened().encoding());
        assertEquals("UTF-8", plain.opened().encoding());
        assertEquals(18, plain.opened().headerRow());
        assertEquals(xlsx.transactions(), bom.transactions());
        assertEquals(xlsx.transactions(), plain.transactions());
    }

    @Test
    void alipayGbkCsvIsDetectedAndRefundsLowerTheirCategorysExpense() throws Exception {
        List<Trade> trades = BillFixtures.alipay(100, FIRST, 3, 3);
        Read read = read(BillFixtures.alipayCsv(trades));

        assertEquals("alipay-csv", read.opened().format());
        assertEquals("GB18030 (GBK)", read.opened().encoding());
        assertEquals(23, read.opened().headerRow());
        assertEquals(BillFixtures.expectedSums(trades), read.sums());
        Transaction refund = read.transactions().stream().filter(tx -> tx.type().wire().equals("refund")).findFirst()
                .orElseThrow();
        assertEquals("餐饮", refund.category());
        assertTrue(refund.note().contains("退款 原订单 T"), refund.note());
        assertTrue(read.rows().stream().anyMatch(r -> r instanceof ImportFile.Skipped s
                && s.reason().equals("closed: 交易关闭")));
        assertTrue(read.rows().stream().anyMatch(r -> r instanceof ImportFile.Skipped s
                && s.reason().startsWith("neutral: 收/支 不计收支")));
    }

    @Test
    void utf16WithBomIsReadToo() throws Exception {
        List<Trade> trades = BillFixtures.wechat(20, FIRST, 1, 4);
        String text = new String(BillFixtures.wechatCsv(trades, false), StandardCharsets.UTF_8);
        byte[] utf16 = ("\uFEFF" + text).getBytes(StandardCharsets.UTF_16LE);

        Read read = read(utf16);

        assertEquals("UTF-16LE with BOM", read.opened().encoding());
        assertEquals(BillFixtures.expectedSums(trades), read.sums());
    }

    @Test
    void userRulesComeBeforeTheDefaultCategories() throws Exception {
        List<Trade> trades = BillFixtures.wechat(10, FIRST, 1, 5);
        CategoryRules rules = new CategoryRules(List.of(new CategoryRules.Rule("社区超市", "买菜")));

        Read read = read(BillFixtures.wechatCsv(trades, false), BillProvider.WECHAT, rules);

        assertTrue(read.transactions().stream().anyMatch(tx -> tx.category().equals("买菜")));
        assertTrue(read.transactions().stream().noneMatch(tx -> tx.category().equals("日用")));
    }

    @Test
    void aBillWithoutItsHeaderOrWithARenamedColumnIsRefusedWithItsReason() {
        List<Trade> trades = BillFixtures.wechat(10, FIRST, 1, 6);
        String csv = new String(BillFixtures.wechatCsv(trades, false), StandardCharsets.UTF_8);

        assertTrue(reason(csv.replace("交易时间,交易类型", "时间,交易类型").getBytes(StandardCharsets.UTF_8), null)
                .contains("No header row of a WeChat Pay bill"));
        assertTrue(reason(csv.replace("金额(元)", "金额").getBytes(StandardCharsets.UTF_8), null)
                .contains("lacks 金额(元)"));
        assertTrue(reason(BillFixtures.alipayCsv(BillFixtures.alipay(5, FIRST, 1, 1)), BillProvider.WECHAT)
                .contains("is an Alipay bill, but the import asked for wechat"));
    }

    @Test
    void aGbkFileWithoutABillHeaderIsRefusedNamingUtf8() {
        byte[] gbk = "id,date,type,amount,currency,category,note,tags,createdAt\r\n,2026-01-01,expense,1.00,CNY,餐饮,,,\r\n"
                .getBytes(BillFixtures.GBK);

        assertTrue(reason(gbk, null).contains("GB18030 (GBK) text, but Tally's CSV is UTF-8"));
    }

    @Test
    void hostileWorkbooksAreRefusedWithTheirReason() {
        List<Trade> trades = BillFixtures.wechat(50, FIRST, 1, 7);
        byte[] xlsx = BillFixtures.wechatXlsx(trades, false, true);
        byte[] truncated = java.util.Arrays.copyOf(xlsx, xlsx.length / 2);
        assertTrue(reason(truncated, null).contains("damaged or truncated"));

        Map<String, String> parts = XlsxWriter.parts(List.of(List.of("x")), false);
        parts.put("xl/worksheets/sheet1.xml", "<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY x SYSTEM "
                + "\"file:///etc/passwd\">]><worksheet><sheetData><row r=\"1\"><c t=\"inlineStr\"><is><t>&x;</t></is>"
                + "</c></row></sheetData></worksheet>");
        assertTrue(reason(XlsxWriter.zip(parts), null).contains("document type declaration"));

        Map<String, String> bomb = XlsxWriter.parts(List.of(List.of("x")), false);
        bomb.put("xl/worksheets/sheet1.xml", "<worksheet><sheetData>" + " ".repeat(50_000_000)
                + "</sheetData></worksheet>");
        assertTrue(reason(XlsxWriter.zip(bomb), null).contains("zip bomb"));
    }

    @Test
    void theSameTradeInTwoBillsHasOneIdAndARefundNeverSharesItsPurchasesId() throws Exception {
        List<Trade> trades = BillFixtures.wechat(30, FIRST, 2, 8);
        Read whole = read(BillFixtures.wechatCsv(trades, false));
        Read part = read(BillFixtures.wechatCsv(trades.subList(10, 30), false));

        assertTrue(whole.transactions().containsAll(part.transactions()));
        assertEquals(whole.transactions().size(), whole.transactions().stream().map(Transaction::id).distinct()
                .count());
        assertNotEquals(0, whole.transactions().stream().filter(tx -> tx.type().wire().equals("refund")).count());
    }
}
