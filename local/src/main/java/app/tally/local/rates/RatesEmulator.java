package app.tally.local.rates;

import app.tally.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The three rate sources in their real shapes, for the local stack: ECB's {@code /ecb/eurofxref-daily.xml} and
 * {@code /ecb/eurofxref-hist-90d.xml}, Frankfurter's {@code /frankfurter/v1/latest} and {@code /frankfurter/v1/{date}},
 * and currency-api's {@code /currency-api@{date}/v1/currencies/{base}.json} with its mirror
 * {@code /currency-api-mirror/{date}/v1/currencies/{base}.json}. The numbers are a recorded day
 * (resources/rates/reference-rates.csv) replayed for each of the last {@link #DAYS} days with a small deterministic
 * daily drift, ECB's on working days only, currency-api's every day and within 0.05% of the same cross rates, so that
 * healthy sources agree as the real ones do. Per-source faults and request counts: {@link #plan}, {@link #status}
 * (the gateway's {@code /_local/rates}).
 */
public final class RatesEmulator implements AutoCloseable {
    /** Days of data before today (UTC), today included: ECB's 90-day file and older dates for currency-api. */
    public static final int DAYS = 400;
    /** How long a hanging source holds a request before it drops the connection unanswered. */
    static final long HANG_MILLIS = 30_000;
    public static final Set<String> SOURCES = Set.of("ecb", "frankfurter", "currency-api");
    /** Faults a source can be given; "delay" alone only adds delayMillis. */
    public static final Set<String> FAULTS = Set.of("none", "hang", "500", "429", "malformed", "wrong-date", "disagree");
    private static final MathContext ECB_DIGITS = new MathContext(5, RoundingMode.HALF_EVEN);
    private static final MathContext API_DIGITS = new MathContext(8, RoundingMode.HALF_EVEN);
    private static final Pattern FRANKFURTER = Pattern.compile("^/frankfurter/v1/(latest|\\d{4}-\\d{2}-\\d{2})$");
    private static final Pattern CURRENCY_API = Pattern.compile(
            "^/(currency-api@|currency-api-mirror/)(latest|\\d{4}-\\d{2}-\\d{2})/v1/currencies/([a-z]{3})\\.json$");
    private static volatile RatesEmulator running;

    /** A source's fault: what it answers, after {@code delayMillis}. */
    public record SourceFault(String fault, long delayMillis) {
        static final SourceFault NONE = new SourceFault("none", 0);
    }

    private final HttpServer server;
    private final Map<String, BigDecimal> reference = new TreeMap<>();
    private final Set<String> ecbCurrencies = new java.util.TreeSet<>();
    private final Map<String, SourceFault> faults = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();

    private RatesEmulator(int port) throws IOException {
        loadReference();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
        // A hanging source holds its request: one virtual thread each, so holding many costs nothing.
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::serve);
        server.start();
    }

    /** Starts the stack's emulator on {@code port}. */
    public static RatesEmulator start(int port) throws IOException {
        running = new RatesEmulator(port);
        return running;
    }

    /** The stack's emulator, or null when it runs none. */
    public static RatesEmulator running() {
        return running;
    }

    /** Where the functions find each source, as template.yaml's Rates* parameters. */
    public static Map<String, String> parameters(String root) {
        return Map.of("RatesEcbUrl", root + "/ecb", "RatesFrankfurterUrl", root + "/frankfurter",
                "RatesCurrencyApiUrls", root + "/currency-api@{date}/v1/currencies/{base}.json," + root
                        + "/currency-api-mirror/{date}/v1/currencies/{base}.json");
    }

    /** Sets {@code source}'s fault; its request counts, and every other source's, start again. */
    public void plan(String source, SourceFault fault) {
        if (!SOURCES.contains(source) || !FAULTS.contains(fault.fault()) || fault.delayMillis() < 0) {
            throw new IllegalArgumentException("source is one of " + SOURCES + ", fault one of " + FAULTS
                    + ", delayMillis >= 0");
        }
        faults.put(source, fault);
        requests.clear();
    }

    /** Every source healthy again and the counts at zero. */
    public void reset() {
        faults.clear();
        requests.clear();
    }

    public ObjectNode status() {
        ObjectNode json = Json.object();
        ObjectNode sources = json.putObject("sources");
        long total = 0;
        for (String source : new java.util.TreeSet<>(SOURCES)) {
            SourceFault fault = faults.getOrDefault(source, SourceFault.NONE);
            long count = requests.getOrDefault(source, new AtomicLong()).get();
            total += count;
            sources.putObject(source).put("fault", fault.fault()).put("delayMillis", fault.delayMillis())
                    .put("requests", count);
        }
        json.put("requests", total);
        json.put("mirrorRequests", requests.getOrDefault("currency-api-mirror", new AtomicLong()).get());
        return json;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String source = path.startsWith("/ecb/") ? "ecb" : path.startsWith("/frankfurter/") ? "frankfurter"
                    : path.startsWith("/currency-api") ? "currency-api" : null;
            if (source == null) {
                send(exchange, 404, "text/plain", "not a rates source");
                return;
            }
            requests.computeIfAbsent(source, s -> new AtomicLong()).incrementAndGet();
            if (path.startsWith("/currency-api-mirror/")) {
                requests.computeIfAbsent("currency-api-mirror", s -> new AtomicLong()).incrementAndGet();
            }
            SourceFault fault = faults.getOrDefault(source, SourceFault.NONE);
            pause(fault.delayMillis());
            switch (fault.fault()) {
                case "hang" -> {
                    pause(HANG_MILLIS);
                    return;
                }
                case "500" -> {
                    send(exchange, 500, "text/html", "<html><body>Internal Server Error</body></html>");
                    return;
                }
                case "429" -> {
                    exchange.getResponseHeaders().add("Retry-After", "60");
                    send(exchange, 429, "text/plain", "Too Many Requests");
                    return;
                }
                default -> {
                }
            }
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            int shift = fault.fault().equals("wrong-date") ? -30 : 0;
            BigDecimal factor = fault.fault().equals("disagree") ? new BigDecimal("1.05") : BigDecimal.ONE;
            String body = switch (source) {
                case "ecb" -> ecb(path, today, shift, factor);
                case "frankfurter" -> frankfurter(path, today, shift, factor);
                default -> currencyApi(path, today, shift, factor);
            };
            if (body == null) {
                send(exchange, 404, "application/json", "{\"message\":\"not found\"}");
                return;
            }
            if (fault.fault().equals("malformed")) {
                body = body.substring(0, body.length() / 2);
            }
            send(exchange, 200, source.equals("ecb") ? "text/xml" : "application/json", body);
        }
    }

    private String ecb(String path, LocalDate today, int shift, BigDecimal factor) {
        boolean daily = path.equals("/ecb/eurofxref-daily.xml");
        if (!daily && !path.equals("/ecb/eurofxref-hist-90d.xml")) {
            return null;
        }
        StringBuilder xml = new StringBuilder("""
                <?xml version="1.0" encoding="UTF-8"?>
                <gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" \
                xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
                \t<gesmes:subject>Reference rates</gesmes:subject>
                \t<gesmes:Sender>
                \t\t<gesmes:name>European Central Bank</gesmes:name>
                \t</gesmes:Sender>
                \t<Cube>
                """);
        LocalDate first = daily ? workingDayOnOrBefore(today) : today.minusDays(89);
        for (LocalDate day = workingDayOnOrBefore(today); !day.isBefore(first); day = workingDayOnOrBefore(day.minusDays(1))) {
            xml.append("\t\t<Cube time='").append(day.plusDays(shift)).append("'>\n");
            for (String currency : ecbCurrencies) {
                xml.append("\t\t\t<Cube currency='").append(currency).append("' rate='")
                        .append(eurRate(currency, day).multiply(factor).round(ECB_DIGITS).toPlainString()).append("'/>\n");
            }
            xml.append("\t\t</Cube>\n");
        }
        return xml.append("\t</Cube>\n</gesmes:Envelope>\n").toString();
    }

    private String frankfurter(String path, LocalDate today, int shift, BigDecimal factor) {
        Matcher matcher = FRANKFURTER.matcher(path);
        LocalDate asked = matcher.matches() ? day(matcher.group(1), today) : null;
        if (asked == null) {
            return null;
        }
        LocalDate day = workingDayOnOrBefore(asked);
        ObjectNode json = Json.object().put("amount", 1.0).put("base", "EUR").put("date", day.plusDays(shift).toString());
        ObjectNode rates = json.putObject("rates");
        ecbCurrencies.forEach(c -> rates.put(c, eurRate(c, day).multiply(factor).round(ECB_DIGITS)));
        return Json.write(json);
    }

    private String currencyApi(String path, LocalDate today, int shift, BigDecimal factor) {
        Matcher matcher = CURRENCY_API.matcher(path);
        LocalDate day = matcher.matches() ? day(matcher.group(2), today) : null;
        String base = day == null ? null : matcher.group(3).toUpperCase(Locale.ROOT);
        if (base == null || !(reference.containsKey(base) || base.equals("EUR"))) {
            return null;
        }
        BigDecimal perEur = base.equals("EUR") ? BigDecimal.ONE : eurRate(base, day);
        ObjectNode json = Json.object().put("date", day.plusDays(shift).toString());
        ObjectNode table = json.putObject(base.toLowerCase(Locale.ROOT));
        // Tokens beside currencies, as the real tables have them.
        table.put("1inch", new BigDecimal("0.4107213"));
        Map<String, BigDecimal> all = new LinkedHashMap<>();
        all.put("EUR", BigDecimal.ONE);
        reference.keySet().forEach(c -> all.put(c, eurRate(c, day)));
        all.forEach((currency, eur) -> {
            double noise = 0.0005 * Math.sin(day.toEpochDay() * 1.3 + currency.hashCode());
            BigDecimal cross = eur.divide(perEur, MathContext.DECIMAL64).multiply(BigDecimal.valueOf(1 + noise));
            table.put(currency.toLowerCase(Locale.ROOT), cross.multiply(factor).round(API_DIGITS));
        });
        table.put("btc", new BigDecimal("0.0000103142").divide(perEur, API_DIGITS));
        return Json.write(json);
    }

    /** The day a path names ("latest" is today), or null outside the emulator's range. */
    private static LocalDate day(String text, LocalDate today) {
        try {
            LocalDate day = text.equals("latest") ? today : LocalDate.parse(text);
            return day.isAfter(today) || day.isBefore(today.minusDays(DAYS - 1)) ? null : day;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The recorded rate with a drift of at most 0.2% that changes a little from day to day. */
    private BigDecimal eurRate(String currency, LocalDate day) {
        double drift = 0.002 * Math.sin(day.toEpochDay() * 0.3 + Math.floorMod(currency.hashCode(), 100));
        return reference.get(currency).multiply(BigDecimal.valueOf(1 + drift), MathContext.DECIMAL64);
    }

    private static LocalDate workingDayOnOrBefore(LocalDate day) {
        LocalDate working = day;
        while (working.getDayOfWeek() == DayOfWeek.SATURDAY || working.getDayOfWeek() == DayOfWeek.SUNDAY) {
            working = working.minusDays(1);
        }
        return working;
    }

    private void loadReference() throws IOException {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                RatesEmulator.class.getResourceAsStream("/rates/reference-rates.csv"), StandardCharsets.UTF_8))) {
            reader.lines().filter(line -> !line.startsWith("#") && !line.startsWith("currency,")).forEach(line -> {
                String[] fields = line.split(",");
                reference.put(fields[0], new BigDecimal(fields[1]));
                if (fields[2].equals("ecb")) {
                    ecbCurrencies.add(fields[0]);
                }
            });
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
