package app.tally.local.bills;

import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Synthetic WeChat Pay and Alipay bills (invented people, shops and order numbers, never real bills) in the layouts
 * their apps export, with what a correct import must book: each trade says its expected type and category, so tests
 * compare the ledger with sums worked out here, not by the code under test.
 */
public final class BillFixtures {
    public static final Charset GBK = Charset.forName("GBK");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    public static final List<String> WECHAT_HEADER = List.of("交易时间", "交易类型", "交易对方", "商品", "收/支", "金额(元)",
            "支付方式", "当前状态", "交易单号", "商户单号", "备注");
    public static final List<String> ALIPAY_HEADER = List.of("交易时间", "交易分类", "交易对方", "对方账号", "商品说明", "收/支",
            "金额", "收/付款方式", "交易状态", "交易订单号", "商家订单号", "备注");

    /**
     * One row of a bill. {@code kind} is WeChat's 交易类型 or Alipay's 交易分类; {@code type} is what Tally must book
     * (expense, income, refund) or null for a row it must skip; {@code category} the category it must land in.
     */
    public record Trade(LocalDateTime time, String kind, String counterparty, String goods, String direction,
                        BigDecimal amount, String status, String order, String merchantOrder, String type,
                        String category) {
        public YearMonth month() {
            return YearMonth.from(time);
        }
    }

    private BillFixtures() {
    }

    /**
     * {@code count} WeChat trades over {@code months} months from {@code first}: mostly expenses, some income, moves
     * between own accounts (收/支 {@code /}), failed payments and refunds of earlier purchases.
     */
    public static List<Trade> wechat(int count, YearMonth first, int months, long seed) {
        Random random = new Random(seed);
        List<Trade> trades = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            LocalDateTime time = time(random, first, months);
            String order = "42000" + String.format("%014d", seed * 1_000_000 + i);
            String merchant = "M" + String.format("%012d", seed * 1_000_000 + i);
            BigDecimal amount = BigDecimal.valueOf(100 + random.nextInt(20_000), 2);
            Trade trade = switch (i % 10) {
                case 0, 1, 2 -> new Trade(time, "商户消费", "美团", "美团外卖订单-示例餐厅", "支出", amount, "支付成功",
                        order, merchant, "expense", "餐饮");
                case 3 -> new Trade(time, "商户消费", "滴滴出行", "快车行程", "支出", amount, "支付成功", order, merchant,
                        "expense", "交通");
                case 4 -> new Trade(time, "扫二维码付款", "示例社区超市", "/", "支出", amount, "已转账", order, merchant,
                        "expense", "日用");
                case 5 -> new Trade(time, "扫二维码付款", "虚构小店", "/", "支出", amount, "已转账", order, merchant,
                        "expense", "未分类");
                case 6 -> new Trade(time, "转账", "测试好友甲", "/", "收入", amount, "已收钱", order, "/",
                        "income", "未分类");
                case 7 -> new Trade(time, "零钱提现", "示例银行(0000)", "/", "/", amount, "提现已到账", order, "/", null, null);
                case 8 -> new Trade(time, "商户消费", "美团", "美团外卖订单-示例餐厅", "支出", amount, "支付失败", order,
                        merchant, null, null);
                default -> new Trade(time, "美团-退款", "美团", "美团外卖订单-示例餐厅", "收入",
                        BigDecimal.valueOf(50 + random.nextInt(500), 2), "已全额退款", order,
                        "M" + String.format("%012d", seed * 1_000_000 + i - 7), "refund", "餐饮");
            };
            trades.add(trade);
        }
        return trades;
    }

    /** {@code count} Alipay trades, the same mix in Alipay's words (不计收支, 交易关闭, 退款成功). */
    public static List<Trade> alipay(int count, YearMonth first, int months, long seed) {
        Random random = new Random(seed);
        List<Trade> trades = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            LocalDateTime time = time(random, first, months);
            String order = "2025" + String.format("%024d", seed * 1_000_000 + i);
            String merchant = "T" + String.format("%014d", seed * 1_000_000 + i);
            BigDecimal amount = BigDecimal.valueOf(100 + random.nextInt(20_000), 2);
            Trade trade = switch (i % 10) {
                case 0, 1, 2 -> new Trade(time, "餐饮美食", "示例面馆", "堂食订单", "支出", amount, "交易成功", order,
                        merchant, "expense", "餐饮");
                case 3 -> new Trade(time, "交通出行", "示例地铁公司", "地铁出行", "支出", amount, "交易成功", order,
                        merchant, "expense", "交通");
                case 4 -> new Trade(time, "日用百货", "示例便利店", "日用品", "支出", amount, "交易成功", order, merchant,
                        "expense", "日用");
                case 5 -> new Trade(time, "其他", "虚构商户", "商品", "支出", amount, "交易成功", order, merchant,
                        "expense", "未分类");
                case 6 -> new Trade(time, "收入", "示例科技有限公司", "报销款", "收入", amount, "交易成功", order, "",
                        "income", "收入");
                case 7 -> new Trade(time, "投资理财", "余额宝", "余额宝-转入", "不计收支", amount, "交易成功", order, "",
                        null, null);
                case 8 -> new Trade(time, "餐饮美食", "示例面馆", "堂食订单", "支出", amount, "交易关闭", order, merchant,
                        null, null);
                default -> new Trade(time, "餐饮美食", "示例面馆", "退款-堂食订单", "不计收支",
                        BigDecimal.valueOf(50 + random.nextInt(500), 2), "退款成功", order,
                        "T" + String.format("%014d", seed * 1_000_000 + i - 7), "refund", "餐饮");
            };
            trades.add(trade);
        }
        return trades;
    }

    private static LocalDateTime time(Random random, YearMonth first, int months) {
        YearMonth month = first.plusMonths(random.nextInt(months));
        return month.atDay(1 + random.nextInt(month.lengthOfMonth())).atTime(random.nextInt(24), random.nextInt(60),
                random.nextInt(60));
    }

    /**
     * The expense a correct import books per "month|type|category" (type as the statistics know it: a refund is taken
     * off its category's expense) in cents.
     */
    public static Map<String, Long> expectedSums(List<Trade> trades) {
        Map<String, Long> sums = new TreeMap<>();
        for (Trade trade : trades) {
            if (trade.type() == null) {
                continue;
            }
            boolean refund = trade.type().equals("refund");
            String key = trade.month() + "|" + (refund ? "expense" : trade.type()) + "|" + trade.category();
            sums.merge(key, (refund ? -1 : 1) * trade.amount().movePointRight(2).longValueExact(), Long::sum);
        }
        return sums;
    }

    /** The WeChat preamble: 17 rows, or 18 with the 2026 revision's extra note row. */
    private static List<String> wechatPreamble(List<Trade> trades, boolean revised) {
        List<String> lines = new ArrayList<>(List.of("微信支付账单明细", "微信昵称：[测试用户]",
                "起始时间：[2025-01-01 00:00:00] 终止时间：[2026-12-31 23:59:59]", "导出类型：[全部]",
                "导出时间：[2027-01-01 10:00:00]", "账单来源：测试生成", "", "共" + trades.size() + "笔记录", "收入：若干笔", "支出：若干笔",
                "中性交易：若干笔", "注：", "1. 充值/提现/理财通购买/零钱通存取/信用卡还款等交易，将计入中性交易",
                "2. 本明细仅展示当前账单中的交易，不包括已删除的记录", "3. 本明细仅供个人对账使用"));
        if (revised) {
            lines.add("4. 本文件为测试生成的虚构账单");
        }
        lines.add("");
        lines.add("----------------------微信支付账单明细列表--------------------");
        return lines;
    }

    /** A WeChat .xlsx bill: preamble rows, the header, then rows with numeric amounts. */
    public static byte[] wechatXlsx(List<Trade> trades, boolean revised, boolean sharedStrings) {
        List<List<Object>> rows = new ArrayList<>();
        wechatPreamble(trades, revised).forEach(line -> rows.add(List.of(line)));
        rows.add(new ArrayList<>(WECHAT_HEADER));
        for (Trade t : trades) {
            rows.add(List.of(t.time().format(TIME), t.kind(), t.counterparty(), t.goods(), t.direction(),
                    t.amount(), "零钱", t.status(), t.order(), t.merchantOrder(), "/"));
        }
        return XlsxWriter.workbook(rows, sharedStrings);
    }

    /** The legacy WeChat .csv bill: UTF-8 (with or without a BOM), amounts as ¥12.50, order numbers with a tab after. */
    public static byte[] wechatCsv(List<Trade> trades, boolean bom) {
        StringBuilder csv = new StringBuilder(bom ? "\uFEFF" : "");
        wechatPreamble(trades, false).forEach(line -> csv.append(line).append(",,,,,,,,,,\n"));
        csv.append(String.join(",", WECHAT_HEADER)).append('\n');
        for (Trade t : trades) {
            csv.append(t.time().format(TIME)).append(',').append(t.kind()).append(',').append(t.counterparty())
                    .append(',').append('"').append(t.goods()).append('"').append(',').append(t.direction())
                    .append(",¥").append(t.amount().toPlainString()).append(",零钱,").append(t.status()).append(',')
                    .append(t.order()).append("\t,").append(t.merchantOrder()).append("\t,/\n");
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** An Alipay 电子客户回单 .csv: GBK, 22 preamble lines, padded cells and a trailing comma. */
    public static byte[] alipayCsv(List<Trade> trades) {
        StringBuilder csv = new StringBuilder();
        List<String> preamble = new ArrayList<>(List.of("------------------------------------------------------------",
                "导出信息：", "姓名：测试用户", "支付宝账户：test-user@example.invalid",
                "起始时间：[2025-01-01 00:00:00]    终止时间：[2026-12-31 23:59:59]", "导出交易类型：[全部]",
                "导出时间：[2027-01-01 10:00:00]", "共" + trades.size() + "笔记录", "收入：若干笔", "支出：若干笔",
                "不计收支：若干笔", "", "特别提示：", "1.本回单内容可表明支付宝受理了相应支付交易申请，不代表实际到账",
                "2.本回单仅供参考", "3.本文件为测试生成的虚构账单", "4.收/支为“不计收支”的交易不计入收支统计",
                "5.交易时间为支付宝系统处理时间", "6.金额单位为人民币元", "", ""));
        preamble.add("------------------------支付宝（中国）网络技术有限公司  电子客户回单------------------------");
        preamble.forEach(line -> csv.append(line).append("\r\n"));
        csv.append(String.join(",", ALIPAY_HEADER)).append(",\r\n");
        for (Trade t : trades) {
            // Alipay pads its cells with spaces.
            csv.append(t.time().format(TIME)).append(',').append(t.kind()).append("  ,").append(t.counterparty())
                    .append(" ,/,").append(t.goods()).append(',').append(t.direction()).append("  ,")
                    .append(t.amount().toPlainString()).append("  ,余额宝,").append(t.status()).append("  ,")
                    .append(t.order()).append("\t,").append(t.merchantOrder()).append("\t,,\r\n");
        }
        return csv.toString().getBytes(GBK);
    }

    /** The bookable trades as Tally's CSV (no ids), for comparing import speeds on the same rows. */
    public static String tallyCsv(List<Trade> trades) {
        StringBuilder csv = new StringBuilder("id,date,type,amount,currency,category,note,tags,createdAt\r\n");
        for (Trade t : trades) {
            if (t.type() != null) {
                csv.append(',').append(t.time().toLocalDate()).append(',').append(t.type()).append(',')
                        .append(t.amount().toPlainString()).append(",CNY,").append(t.category()).append(',')
                        .append(t.counterparty()).append(" · ").append(t.goods()).append(",,\r\n");
            }
        }
        return csv.toString();
    }
}
