package app.tally.store;

import static app.tally.store.Attributes.key;
import static app.tally.store.Attributes.n;
import static app.tally.store.Attributes.s;

import app.tally.model.EntryType;
import app.tally.model.Ids;
import app.tally.model.Money;
import app.tally.model.Transaction;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * A transaction's item shapes: the transaction itself under its month and day, and the forwarding item that stands at
 * its id's home once its date moved it elsewhere (see {@link LedgerStore} and docs/architecture.md, data model).
 */
public final class TransactionItems {
    /** Where a forwarding item at a transaction's home points; only forwarding items have these attributes. */
    static final String FORWARD_PK = "fwdPk";
    static final String FORWARD_SK = "fwdSk";
    static final String NOT_FORWARD = "attribute_not_exists(" + FORWARD_SK + ")";

    private TransactionItems() {
    }

    /**
     * A new transaction's actions: its item, put only if absent, and when it is not at its id's home (an imported row
     * whose id was made with another date) a forwarding item at the home, put only if absent. Either condition fails
     * when the id exists already, wherever it lives.
     */
    static List<TransactWriteItem> putNew(String table, String user, Transaction tx) {
        TransactWriteItem item = TransactWriteItem.builder().put(p -> p.tableName(table)
                .item(item(user, tx))
                .conditionExpression("attribute_not_exists(PK)")).build();
        if (atHome(tx)) {
            return List.of(item);
        }
        return List.of(item, TransactWriteItem.builder().put(p -> p.tableName(table)
                .item(forward(home(user, tx.id()), user, tx))
                .conditionExpression("attribute_not_exists(PK)")).build());
    }

    /** Actions {@link #putNew} takes for this transaction. */
    public static int newActions(Transaction tx) {
        return atHome(tx) ? 1 : 2;
    }

    /** The sort key a listing resumes after. */
    public static String positionOf(Transaction tx) {
        return Keys.transaction(tx.date(), tx.id());
    }

    /** Whether the transaction has the date its id was made with. */
    static boolean atHome(Transaction tx) {
        return Ids.dateOf(tx.id()).map(tx.date()::equals).orElse(false);
    }

    /** The key a transaction with this id has while it keeps the date its id was made with. */
    static Map<String, AttributeValue> home(String user, String id) {
        LocalDate date = Ids.dateOf(id).orElseThrow(() -> new IllegalArgumentException("not a transaction id: " + id));
        return key(Keys.month(user, YearMonth.from(date)), Keys.transaction(date, id));
    }

    static Map<String, AttributeValue> forward(Map<String, AttributeValue> home, String user, Transaction tx) {
        Map<String, AttributeValue> item = new HashMap<>(home);
        item.put("id", s(tx.id()));
        item.put(FORWARD_PK, s(Keys.month(user, tx.month())));
        item.put(FORWARD_SK, s(positionOf(tx)));
        return item;
    }

    static Map<String, AttributeValue> item(String user, Transaction tx) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(Keys.PK, s(Keys.month(user, tx.month())));
        item.put(Keys.SK, s(Keys.transaction(tx.date(), tx.id())));
        item.put("id", s(tx.id()));
        item.put("date", s(tx.date().toString()));
        item.put("type", s(tx.type().wire()));
        item.put("amt", n(tx.amount().minorUnits()));
        item.put("cur", s(tx.amount().currency()));
        item.put("cat", s(tx.category()));
        item.put("note", s(tx.note()));
        item.put("tags", Attributes.list(tx.tags()));
        item.put("createdAt", s(tx.createdAt().toString()));
        item.put("updatedAt", s(tx.updatedAt().toString()));
        item.put("ver", n(tx.version()));
        return item;
    }

    static Transaction toTransaction(Map<String, AttributeValue> item) {
        return new Transaction(
                Attributes.string(item, "id"),
                Attributes.date(item, "date"),
                EntryType.fromWire(Attributes.string(item, "type")),
                new Money(Attributes.number(item, "amt"), Attributes.string(item, "cur")),
                Attributes.string(item, "cat"),
                Attributes.string(item, "note"),
                Attributes.strings(item, "tags"),
                Attributes.instant(item, "createdAt"),
                Attributes.instant(item, "updatedAt"),
                Attributes.number(item, "ver"));
    }
}
