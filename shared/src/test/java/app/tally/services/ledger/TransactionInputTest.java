package app.tally.services.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import app.tally.json.Json;
import app.tally.model.EntryType;
import app.tally.model.FieldError;
import app.tally.model.InvalidInput;
import app.tally.model.Money;
import app.tally.model.Transaction;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TransactionInputTest {
    private static final String ID = "1D8C01M85W2Q0ER3D7JG6NCGEZ";
    private static final Instant CREATED = Instant.parse("2026-11-24T04:12:31.118Z");
    private static final Instant LATER = Instant.parse("2026-11-25T09:00:00Z");

    /** The request body example of the API. */
    private static ObjectNode validBody() {
        return (ObjectNode) parse("{\"amount\":\"12.34\",\"currency\":\"CNY\",\"type\":\"expense\",\"category\":\"餐饮\","
                + "\"date\":\"2026-11-24\",\"note\":\"lunch with team\",\"tags\":[\"work\"]}");
    }

    private static ObjectNode body(Consumer<ObjectNode> change) {
        ObjectNode body = validBody();
        change.accept(body);
        return body;
    }

    private static ObjectNode parse(String json) {
        try {
            return (ObjectNode) Json.parse(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Transaction create(ObjectNode body) {
        return TransactionInput.create(body, ID, "USD", CREATED);
    }

    /** The field names of the 422 that reading {@code body} fails with, each with how often it is named. */
    private static Map<String, Long> rejectedFields(Runnable read) {
        InvalidInput e = assertThrows(InvalidInput.class, read::run);
        return e.errors().stream().collect(Collectors.groupingBy(FieldError::field, Collectors.counting()));
    }

    @Test
    void validBodyBecomesTheFirstVersionOfATransaction() {
        Transaction tx = create(validBody());

        assertEquals(ID, tx.id());
        assertEquals(LocalDate.of(2026, 11, 24), tx.date());
        assertEquals(EntryType.EXPENSE, tx.type());
        assertEquals(new Money(1234, "CNY"), tx.amount());
        assertEquals("餐饮", tx.category());
        assertEquals("lunch with team", tx.note());
        assertEquals(List.of("work"), tx.tags());
        assertEquals(CREATED, tx.createdAt());
        assertEquals(CREATED, tx.updatedAt());
        assertEquals(1, tx.version());
    }

    @Test
    void bodyWithoutCurrencyTakesTheDefaultCurrency() {
        Transaction tx = create(body(b -> b.remove("currency")));
        assertEquals(new Money(1234, "USD"), tx.amount());
    }

    @Test
    void noteAndTagsAreOptional() {
        Transaction tx = create(body(b -> b.remove(List.of("note", "tags"))));
        assertEquals("", tx.note());
        assertEquals(List.of(), tx.tags());
    }

    @Test
    void everyBadFieldIsListedAtOnce() {
        ObjectNode bad = parse("{\"amount\":\"-1\",\"currency\":\"CNY\",\"type\":\"transfer\",\"category\":\"   \","
                + "\"date\":\"2026-13-01\",\"note\":5,\"tags\":\"work\"}");

        assertEquals(Map.of("amount", 1L, "type", 1L, "category", 1L, "date", 1L, "note", 1L, "tags", 1L),
                rejectedFields(() -> create(bad)));
    }

    @Test
    void missingRequiredFieldsAreEachNamed() {
        assertEquals(Map.of("amount", 1L, "type", 1L, "category", 1L, "date", 1L),
                rejectedFields(() -> create(parse("{}"))));
    }

    @Test
    void fieldsOfTheWrongJsonTypeAreRejected() {
        ObjectNode bad = parse("{\"amount\":12.34,\"currency\":156,\"type\":true,\"category\":[\"餐饮\"],"
                + "\"date\":20261124,\"note\":{},\"tags\":[1]}");

        assertEquals(Map.of("amount", 1L, "currency", 1L, "type", 1L, "category", 1L, "date", 1L, "note", 1L,
                "tags[0]", 1L), rejectedFields(() -> create(bad)));
    }

    @Test
    void malformedAmountIsReportedEvenWhenTheCurrencyIsAlsoInvalid() {
        ObjectNode bad = body(b -> b.put("amount", "abc").put("currency", "cny"));

        assertEquals(Map.of("amount", 1L, "currency", 1L), rejectedFields(() -> create(bad)));
    }

    @Test
    void unknownFieldIsRejectedByName() {
        ObjectNode extra = body(b -> b.put("user", "someone-else"));

        InvalidInput e = assertThrows(InvalidInput.class, () -> create(extra));
        assertEquals(List.of(new FieldError("user", "is not a known field")), e.errors());
    }

    @Test
    void categoryAndTagsAreTrimmedAndKeepTheirUnicode() {
        Transaction tx = create(body(b -> {
            b.put("category", "  ☕ 咖啡  ");
            b.putArray("tags").add(" 工作 ").add("🍜").add("\tteam\n");
        }));

        assertEquals("☕ 咖啡", tx.category());
        assertEquals(List.of("工作", "🍜", "team"), tx.tags());
    }

    @Test
    void repeatedTagsAreKeptOnceInTheirFirstOrder() {
        Transaction tx = create(body(b -> b.putArray("tags").add("work").add("team").add(" work").add("team")));
        assertEquals(List.of("work", "team"), tx.tags());
    }

    @Test
    void moreThanTwentyTagsAreRejected() {
        ObjectNode twentyOne = body(b -> {
            var tags = b.putArray("tags");
            for (int i = 0; i < 21; i++) {
                tags.add("t" + i);
            }
        });
        assertEquals(Map.of("tags", 1L), rejectedFields(() -> create(twentyOne)));

        ObjectNode twenty = body(b -> {
            var tags = b.putArray("tags");
            for (int i = 0; i < 20; i++) {
                tags.add("t" + i);
            }
        });
        assertEquals(20, create(twenty).tags().size());
    }

    @Test
    void tagLongerThanThirtyTwoCharactersIsRejectedAtItsIndex() {
        ObjectNode bad = body(b -> b.putArray("tags").add("ok").add("x".repeat(33)).add(" "));
        assertEquals(Map.of("tags[1]", 1L, "tags[2]", 1L), rejectedFields(() -> create(bad)));
    }

    @Test
    void tagLengthCountsCharactersNotUtf16Units() {
        String emoji = "🍜".repeat(32);
        assertEquals(List.of(emoji), create(body(b -> b.putArray("tags").add(emoji))).tags());
    }

    @Test
    void categoryWithControlCharactersIsRejected() {
        assertEquals(Map.of("category", 1L), rejectedFields(() -> create(body(b -> b.put("category", "a\u0000b")))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-02-30", "2026-2-3", "2026/11/24", "24-11-2026", "2026-11-24T00:00:00", "1899-12-31",
            "3000-01-01", "+2026-11-24", ""})
    void datesThatAreNotCalendarDatesInRangeAreRejected(String date) {
        assertEquals(Map.of("date", 1L), rejectedFields(() -> create(body(b -> b.put("date", date)))));
    }

    @Test
    void leapDayIsAccepted() {
        assertEquals(LocalDate.of(2028, 2, 29), create(body(b -> b.put("date", "2028-02-29"))).date());
    }

    @Test
    void patchChangesOnlyTheGivenFieldsAndBumpsTheVersion() {
        Transaction current = create(validBody());

        Transaction changed = TransactionInput.patch(parse("{\"note\":\"dinner with team\",\"tags\":[]}"), current,
                LATER);

        assertEquals("dinner with team", changed.note());
        assertEquals(List.of(), changed.tags());
        assertEquals(current.id(), changed.id());
        assertEquals(current.amount(), changed.amount());
        assertEquals(current.date(), changed.date());
        assertEquals(current.type(), changed.type());
        assertEquals(current.category(), changed.category());
        assertEquals(CREATED, changed.createdAt());
        assertEquals(LATER, changed.updatedAt());
        assertEquals(2, changed.version());
    }

    @Test
    void patchOfTheAmountKeepsTheCurrentCurrency() {
        Transaction current = create(body(b -> b.put("currency", "JPY").put("amount", "1500")));

        Transaction changed = TransactionInput.patch(parse("{\"amount\":\"980\"}"), current, LATER);

        assertEquals(new Money(980, "JPY"), changed.amount());
        assertEquals(Map.of("amount", 1L),
                rejectedFields(() -> TransactionInput.patch(parse("{\"amount\":\"9.80\"}"), current, LATER)));
    }

    @Test
    void patchOfTheCurrencyAloneRechecksTheKeptAmount() {
        Transaction current = create(body(b -> b.put("currency", "USD").put("amount", "12.30")));

        InvalidInput e = assertThrows(InvalidInput.class,
                () -> TransactionInput.patch(parse("{\"currency\":\"JPY\"}"), current, LATER));

        assertEquals(List.of(new FieldError("amount", "JPY has no minor units")), e.errors());
        assertEquals(new Money(12_300, "KWD"),
                TransactionInput.patch(parse("{\"currency\":\"KWD\"}"), current, LATER).amount());
    }

    @Test
    void anAmountAboveItsCurrencysCapIsA422WithTheCap() {
        InvalidInput e = assertThrows(InvalidInput.class,
                () -> create(body(b -> b.put("currency", "CLF").put("amount", "10000000000"))));
        assertEquals(List.of(new FieldError("amount", "must be at most 9999999999.9999")), e.errors());
        assertEquals(new Money(Money.MAX_MINOR_UNITS, "CLF"),
                create(body(b -> b.put("currency", "CLF").put("amount", "9999999999.9999"))).amount());
    }

    @Test
    void patchOfOtherFieldsKeepsAStoredAmountAboveTodaysCap() {
        // Written before the cap was per minor unit: 999,999,999,999.99 CLF.
        Transaction stored = new Transaction(ID, LocalDate.of(2026, 11, 24), EntryType.EXPENSE,
                new Money(9_999_999_999_999_900L, "CLF"), "x", "", List.of(), CREATED, CREATED, 1);

        Transaction changed = TransactionInput.patch(parse("{\"note\":\"kept\"}"), stored, LATER);

        assertEquals(stored.amount(), changed.amount());
        assertEquals(Map.of("amount", 1L),
                rejectedFields(() -> TransactionInput.patch(parse("{\"currency\":\"CLF\"}"), stored, LATER)));
    }

    @Test
    void patchCannotUnsetARequiredField() {
        Transaction current = create(validBody());
        assertEquals(Map.of("category", 1L, "date", 1L), rejectedFields(() ->
                TransactionInput.patch(parse("{\"category\":null,\"date\":null}"), current, LATER)));
    }

    @Test
    void patchWithUnknownFieldIsRejected() {
        Transaction current = create(validBody());
        assertEquals(Map.of("id", 1L), rejectedFields(() ->
                TransactionInput.patch(parse("{\"id\":\"01M85W2Q0ER3D7JG6NCGEZFYZ8\"}"), current, LATER)));
    }

    @Test
    void emptyPatchIsRejected() {
        Transaction current = create(validBody());

        InvalidInput e = assertThrows(InvalidInput.class,
                () -> TransactionInput.patch(parse("{}"), current, LATER));

        assertEquals("The request changes nothing.", e.getMessage());
    }
}
