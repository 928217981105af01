package app.tally.services.imports.bills;

import app.tally.json.Json;
import app.tally.model.EntryType;
import app.tally.model.FieldError;
import app.tally.model.ImportIds;
import app.tally.model.InvalidInput;
import app.tally.model.Transaction;
import app.tally.services.imports.ImportFile.Invalid;
import app.tally.services.imports.ImportFile.Row;
import app.tally.services.imports.ImportFile.Skipped;
import app.tally.services.imports.ImportFile.Valid;
import app.tally.services.imports.ImportFileException;
import app.tally.services.imports.ImportRows;
import app.tally.services.ledger.TransactionInput;
import app.tally.store.ImportStore.RowError;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The rows of a WeChat Pay or Alipay bill after its header: each one an expense, an income or a refund (a transaction
 * whose id comes from the user, the provider, the order number and the type, so the same trade in two overlapping
 * bills, or in the csv and the xlsx of one bill, is one transaction), a skipped row (a move between the user's own
 * accounts, a closed trade) or a row error naming its column.
 */
final class BillFile implements ImportRows {
    /** Both apps bill in yuan. */
    private static final String CURRENCY = "CNY";
    private static final int MAX_NOTE = 200;
    private static final int MAX_RAW = 1_000;
    private static final Pattern NOT_AMOUNT = Pattern.compile("[¥￥,\\s]");
    private static final Pattern EXCEL_SERIAL = Pattern.compile("[0-9]{5}(\\.[0-9]+)?");
    private static final List<DateTimeFormatter> TIMES = List.of(DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss"),
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm"), DateTimeFormatter.ofPattern("uuuu/M/d H:mm:ss"),
            DateTimeFormatter.ofPattern("uuuu/M/d H:mm"), DateTimeFormatter.ofPattern("uuuu-MM-dd"));
    /** Day 0 of Excel's 1900 date system, as its serial numbers count (it takes 1900 for a leap year). */
    private static final LocalDate EXCEL_EPOCH = LocalDate.of(1899, 12, 30);

    private final BillCells cells;
    private final BillProvider provider;
    private final CategoryRules rules;
    private final String user;
    private final Instant importedAt;
    private final Map<String, Integer> columns = new HashMap<>();

    BillFile(BillCells cells, BillProvider provider, List<String> header, CategoryRules rules, String user,
             Instant importedAt) {
        this.cells = cells;
        this.provider = provider;
        this.rules = rules;
        this.user = user;
        this.importedAt = importedAt;
        for (int i = 0; i < header.size(); i++) {
            columns.putIfAbsent(BillProvider.clean(header.get(i)), i);
        }
    }

    /** The columns of the provider's header that this header lacks (a renamed or missing column). */
    static List<String> missing(BillProvider provider, List<String> header) {
        List<String> names = header.stream().map(BillProvider::clean).toList();
        return provider.header().stream().filter(name -> !names.contains(name)).toList();
    }

    @Override
    public Row next() throws ImportFileException {
        while (true) {
            List<String> fields = cells.next();
            if (fields == null) {
                return null;
            }
            boolean blank = fields.stream().allMatch(String::isBlank);
            // Older bills close the list with a dashed line and an export note: not data.
            if (blank || BillProvider.clean(fields.get(0)).startsWith("---")) {
                continue;
            }
            return read(fields);
        }
    }

    private Row read(List<String> fields) {
        String direction = field(fields, BillProvider.DIRECTION);
        String kind = field(fields, provider.kindColumn());
        String status = field(fields, provider.statusColumn());
        if (provider.isClosed(status)) {
            return new Skipped(cells.row(), "closed: " + status);
        }
        EntryType type;
        if (provider.isRefund(direction, kind, status)) {
            type = EntryType.REFUND;
        } else if (direction.equals("支出")) {
            type = EntryType.EXPENSE;
        } else if (direction.equals("收入")) {
            type = EntryType.INCOME;
        } else if (provider.isNeutral(direction)) {
            return new Skipped(cells.row(), "neutral: " + BillProvider.DIRECTION + " "
                    + (direction.isEmpty() ? "empty" : direction) + " (a move between your own accounts)");
        } else {
            return invalid(BillProvider.DIRECTION, "must be 支出, 收入, / or 不计收支", fields);
        }
        String order = field(fields, provider.orderColumn());
        if (order.isEmpty()) {
            return invalid(provider.orderColumn(), "is empty: bill rows are recognised by their order number",
                    fields);
        }
        LocalDate date = date(field(fields, BillProvider.TIME));
        if (date == null) {
            return invalid(BillProvider.TIME, "is not a time such as 2026-03-01 12:30:00", fields);
        }
        String amount = amount(field(fields, provider.amountColumn()));
        if (amount == null) {
            return invalid(provider.amountColumn(), "is not a positive amount", fields);
        }
        String counterparty = text(field(fields, BillProvider.COUNTERPARTY));
        String goods = text(field(fields, provider.goodsColumn()));
        String note = String.join(" · ", java.util.stream.Stream.of(counterparty, goods)
                .filter(s -> !s.isEmpty()).toList());
        String merchantOrder = field(fields, provider.merchantOrderColumn());
        if (type == EntryType.REFUND && !text(merchantOrder).isEmpty()) {
            note = note + " · 退款 原订单 " + merchantOrder;
        }
        if (note.codePointCount(0, note.length()) > MAX_NOTE) {
            note = note.substring(0, note.offsetByCodePoints(0, MAX_NOTE - 1)) + "…";
        }
        ObjectNode body = Json.object().put("date", date.toString()).put("type", type.wire()).put("amount", amount)
                .put("currency", CURRENCY)
                .put("category", rules.category(counterparty, goods,
                        provider == BillProvider.ALIPAY ? text(kind) : null))
                .put("note", note);
        Transaction tx;
        try {
            tx = TransactionInput.create(body, "", CURRENCY, importedAt);
        } catch (InvalidInput e) {
            FieldError first = e.errors().isEmpty() ? new FieldError(null, e.getMessage()) : e.errors().get(0);
            String field = first.field();
            String column = "amount".equals(field) ? provider.amountColumn()
                    : "date".equals(field) ? BillProvider.TIME : field;
            return invalid(column, first.reason(), fields);
        }
        byte[] key = ImportIds.contentDigest(provider.wire(), order, type.wire());
        return new Valid(cells.row(), tx.withId(ImportIds.id(user, tx.date(), key, 1)));
    }

    /** The booking date of a time cell: text, or an Excel serial number when the xlsx cell is a date. */
    static LocalDate date(String text) {
        if (EXCEL_SERIAL.matcher(text).matches()) {
            return EXCEL_EPOCH.plusDays(new BigDecimal(text).longValue());
        }
        for (DateTimeFormatter format : TIMES) {
            try {
                return LocalDate.from(format.parse(text));
            } catch (DateTimeParseException e) {
                // the next pattern
            }
        }
        return null;
    }

    /**
     * The amount as a decimal string: a WeChat csv writes {@code ¥12.50}, Alipay {@code 12.50}, an xlsx a number (whose
     * binary form may show as 12.499999999999998: within a millionth of a cent it is rounded, else refused).
     */
    static String amount(String text) {
        String plain = NOT_AMOUNT.matcher(text).replaceAll("");
        BigDecimal value;
        try {
            value = new BigDecimal(plain);
        } catch (NumberFormatException e) {
            return null;
        }
        if (value.signum() <= 0) {
            return null;
        }
        if (value.scale() > 2) {
            BigDecimal cents = value.setScale(2, RoundingMode.HALF_EVEN);
            if (cents.subtract(value).abs().compareTo(new BigDecimal("0.000001")) < 0) {
                value = cents;
            }
        }
        return value.toPlainString();
    }

    /** A text cell without padding; WeChat writes {@code /} for "none". */
    private static String text(String cell) {
        String value = BillProvider.clean(cell);
        return value.equals("/") ? "" : value;
    }

    private String field(List<String> fields, String column) {
        Integer index = columns.get(column);
        return index == null || index >= fields.size() ? "" : BillProvider.clean(fields.get(index));
    }

    private Invalid invalid(String column, String reason, List<String> fields) {
        String raw = String.join(",", fields);
        return new Invalid(new RowError(cells.row(), column, reason,
                raw.length() > MAX_RAW ? raw.substring(0, MAX_RAW) + "…" : raw));
    }

    @Override
    public void close() throws Exception {
        cells.close();
    }
}
