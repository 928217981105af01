package app.tally.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MoneyTest {

    @ParameterizedTest
    @CsvSource({"JPY, 0", "CNY, 2", "USD, 2", "BHD, 3", "KWD, 3", "CLF, 4"})
    void eachCurrencyHasItsOwnNumberOfMinorDigits(String currency, int digits) {
        assertEquals(digits, Money.fractionDigits(currency));
    }

    @Test
    void yuanAmountIsStoredAsFen() {
        assertEquals(new Money(1234, "CNY"), Money.parse("12.34", "CNY"));
    }

    @Test
    void amountWithMoreDecimalsThanTheCurrencyIsRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> Money.parse("0.001", "CNY"));
        assertEquals("CNY allows at most 2 decimal places", e.getMessage());
    }

    @Test
    void yenAmountHasNoMinorUnits() {
        assertEquals(new Money(1500, "JPY"), Money.parse("1500", "JPY"));
        var e = assertThrows(IllegalArgumentException.class, () -> Money.parse("1500.5", "JPY"));
        assertEquals("JPY has no minor units", e.getMessage());
    }

    @Test
    void dinarAmountKeepsThreeMinorDigits() {
        assertEquals(new Money(5, "KWD"), Money.parse("0.005", "KWD"));
    }

    @Test
    void trailingZerosBeyondTheMinorDigitsDoNotChangeTheAmount() {
        assertEquals(new Money(1230, "CNY"), Money.parse("12.300", "CNY"));
        assertEquals(new Money(1500, "JPY"), Money.parse("1500.0", "JPY"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0.00", "-1", "-0", "-12.34", "1e5", "1E5", "+1", " 1", "1 ", "1.", ".5", "NaN",
            "Infinity", "01", "00.5", "1,5", "12.34.5", "", "٣"})
    void malformedZeroOrNegativeAmountsAreRejected(String amount) {
        assertThrows(IllegalArgumentException.class, () -> Money.parse(amount, "CNY"));
    }

    @Test
    void missingAmountIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Money.parse(null, "CNY"));
    }

    @ParameterizedTest
    @CsvSource({"JPY, 99999999999999, 100000000000000", "CNY, 999999999999.99, 1000000000000",
        "BHD, 99999999999.999, 100000000000", "KWD, 99999999999.999, 100000000000.000",
        "CLF, 9999999999.9999, 10000000000.0000"})
    void everyCurrencyIsCappedAtTheSameNumberOfMinorUnits(String currency, String largest, String over) {
        assertEquals(new Money(Money.MAX_MINOR_UNITS, currency), Money.parse(largest, currency));
        assertEquals(largest, Money.max(currency).toPlainString());
        var e = assertThrows(IllegalArgumentException.class, () -> Money.parse(over, currency));
        assertEquals("must be at most " + largest, e.getMessage());
    }

    @Test
    void aSumBeyondAnyLongIsWrittenExactly() {
        BigInteger sum = BigInteger.valueOf(Long.MAX_VALUE).multiply(BigInteger.TEN).add(BigInteger.valueOf(7));
        assertEquals("9223372036854775.8077", Money.toDecimalString(sum, "CLF"));
        assertEquals("92233720368547758077", Money.toDecimalString(sum, "JPY"));
        assertEquals("-922337203685477580.77", Money.toDecimalString(sum.negate(), "CNY"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"XYZ", "cny", "CN", "CNYY", "", "XXX", "XAU"})
    void codesThatAreNotCurrenciesOfAmountsAreRejected(String code) {
        assertThrows(IllegalArgumentException.class, () -> Money.currency(code));
        assertThrows(IllegalArgumentException.class, () -> Money.parse("1", code));
    }

    @Test
    void currencyExplainsWhyACodeIsRejected() {
        assertEquals("XYZ is not an ISO 4217 currency",
                assertThrows(IllegalArgumentException.class, () -> Money.currency("XYZ")).getMessage());
        assertEquals("must be an ISO 4217 code such as \"CNY\"",
                assertThrows(IllegalArgumentException.class, () -> Money.currency("cny")).getMessage());
        assertEquals("XXX is not a currency for amounts",
                assertThrows(IllegalArgumentException.class, () -> Money.currency("XXX")).getMessage());
        assertEquals("CNY", Money.currency("CNY"));
    }

    @ParameterizedTest
    @CsvSource({"12.30, CNY, 12.30", "12.3, CNY, 12.30", "0.01, USD, 0.01", "1500, JPY, 1500", "0.005, KWD, 0.005",
            "7, KWD, 7.000", "999999999999.99, CNY, 999999999999.99"})
    void decimalStringHasExactlyTheCurrencysMinorDigits(String input, String currency, String expected) {
        Money money = Money.parse(input, currency);
        assertEquals(expected, money.toDecimalString());
        assertEquals(money, Money.parse(money.toDecimalString(), currency));
    }

    @Test
    void plusAddsMinorUnitsAndRefusesToOverflow() {
        assertEquals(new Money(1334, "CNY"), Money.parse("12.34", "CNY").plus(100));
        assertThrows(ArithmeticException.class, () -> new Money(Long.MAX_VALUE, "CNY").plus(1));
    }
}
