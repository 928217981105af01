package app.tally.services.imports.bills;

import java.util.List;
import java.util.Locale;

/**
 * The two payment apps whose bills Tally reads, by the header of their transaction list (from the public descriptions
 * of the formats). A row's meaning: 收/支 支出 is an expense, 收入 income; {@code /} (WeChat) and 不计收支 (Alipay) are moves
 * between the user's own accounts; closed or failed trades did not happen; a refund gives money back for a purchase.
 */
public enum BillProvider {
    WECHAT("WeChat Pay", "微信支付", List.of("交易时间", "交易类型", "交易对方", "商品", "收/支", "金额(元)", "支付方式", "当前状态",
            "交易单号", "商户单号"), "交易类型", "商品", "金额(元)", "当前状态", "交易单号", "商户单号"),
    ALIPAY("Alipay", "支付宝", List.of("交易时间", "交易分类", "交易对方", "商品说明", "收/支", "金额", "收/付款方式", "交易状态",
            "交易订单号", "商家订单号"), "交易分类", "商品说明", "金额", "交易状态", "交易订单号", "商家订单号");

    static final String TIME = "交易时间";
    static final String COUNTERPARTY = "交易对方";
    static final String DIRECTION = "收/支";

    private final String label;
    private final String chinese;
    private final List<String> header;
    private final String kindColumn;
    private final String goodsColumn;
    private final String amountColumn;
    private final String statusColumn;
    private final String orderColumn;
    private final String merchantOrderColumn;

    BillProvider(String label, String chinese, List<String> header, String kindColumn, String goodsColumn,
                 String amountColumn, String statusColumn, String orderColumn, String merchantOrderColumn) {
        this.label = label;
        this.chinese = chinese;
        this.header = header;
        this.kindColumn = kindColumn;
        this.goodsColumn = goodsColumn;
        this.amountColumn = amountColumn;
        this.statusColumn = statusColumn;
        this.orderColumn = orderColumn;
        this.merchantOrderColumn = merchantOrderColumn;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String label() {
        return label;
    }

    /** The columns a header must have (备注 may be absent; more columns are ignored). */
    List<String> header() {
        return header;
    }

    String kindColumn() {
        return kindColumn;
    }

    String goodsColumn() {
        return goodsColumn;
    }

    String amountColumn() {
        return amountColumn;
    }

    String statusColumn() {
        return statusColumn;
    }

    String orderColumn() {
        return orderColumn;
    }

    String merchantOrderColumn() {
        return merchantOrderColumn;
    }

    /** The provider whose header this row starts, or null: a row is a bill header when it opens with 交易时间 and names the type column. */
    static BillProvider ofHeader(List<String> cells) {
        if (cells.isEmpty() || !clean(cells.get(0)).equals(TIME)) {
            return null;
        }
        List<String> names = cells.stream().map(BillProvider::clean).toList();
        for (BillProvider provider : values()) {
            if (names.contains(provider.kindColumn)) {
                return provider;
            }
        }
        return null;
    }

    /** The provider a preamble line names (its app's name), to say which header is missing. */
    static BillProvider ofPreamble(String text) {
        for (BillProvider provider : values()) {
            if (text.contains(provider.chinese)) {
                return provider;
            }
        }
        return null;
    }

    /** The preset name that asks for this provider. */
    public static BillProvider fromWire(String text) {
        for (BillProvider provider : values()) {
            if (provider.wire().equals(text)) {
                return provider;
            }
        }
        return null;
    }

    /** A cell as the header compares it: padding, a byte order mark and tabs removed. */
    static String clean(String cell) {
        return cell.replace("\uFEFF", "").strip();
    }

    /** Whether this row is a refund: money back for an earlier purchase, which lowers spending. */
    boolean isRefund(String direction, String kind, String status) {
        return switch (this) {
            case WECHAT -> direction.equals("收入") && (kind.endsWith("退款")
                    || status.contains("已退款") || status.contains("已全额退款"));
            case ALIPAY -> status.contains("退款成功");
        };
    }

    /** Whether the trade never happened: closed, failed or cancelled. */
    boolean isClosed(String status) {
        return status.contains("交易关闭") || status.contains("关闭") || status.contains("失败")
                || status.contains("撤销") || status.contains("已取消");
    }

    /** Whether the row moves money between the user's own accounts, which is neither income nor spending. */
    boolean isNeutral(String direction) {
        return direction.equals("/") || direction.equals("不计收支") || direction.isEmpty();
    }
}
