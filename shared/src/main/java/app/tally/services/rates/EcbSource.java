package app.tally.services.rates;

import java.io.StringReader;
import java.math.BigDecimal;
import java.net.URI;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The European Central Bank's euro foreign exchange reference rates: {@code eurofxref-daily.xml} (the latest day) and
 * {@code eurofxref-hist-90d.xml} (the last 90 days), base EUR, about 30 currencies, published around 16:00 CET on
 * TARGET working days. Other bases are cross rates through EUR.
 */
public final class EcbSource implements RateSource {
    /** The 90-day file holds about 64 working days; a day older than this is not asked for. */
    static final int HISTORY_DAYS = 90;
    private static final XMLInputFactory XML = XMLInputFactory.newFactory();

    static {
        // A rates file has no business declaring entities: refuse DTDs and external entities outright.
        XML.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        XML.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    }

    private final URI baseUrl;

    /** {@code baseUrl}: the folder of the two files, e.g. https://www.ecb.europa.eu/stats/eurofxref. */
    public EcbSource(String baseUrl) {
        this.baseUrl = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
    }

    @Override
    public String name() {
        return "ecb";
    }

    @Override
    public List<URI> addresses(String base, LocalDate date, LocalDate today) {
        if (date.isBefore(today.minusDays(HISTORY_DAYS - 1))) {
            return List.of();
        }
        return List.of(baseUrl.resolve(date.equals(today) ? "eurofxref-daily.xml" : "eurofxref-hist-90d.xml"));
    }

    @Override
    public Quote read(String body, String base, LocalDate date) {
        LocalDate best = null;
        Map<String, BigDecimal> bestRates = null;
        LocalDate day = null;
        Map<String, BigDecimal> rates = null;
        try {
            XMLStreamReader xml = XML.createXMLStreamReader(new StringReader(body));
            boolean envelope = false;
            int depth = 0;
            int dayDepth = -1;
            while (xml.hasNext()) {
                int event = xml.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    envelope |= xml.getLocalName().equals("Envelope");
                    if (!xml.getLocalName().equals("Cube")) {
                        continue;
                    }
                    depth++;
                    String time = xml.getAttributeValue(null, "time");
                    String currency = xml.getAttributeValue(null, "currency");
                    if (time != null) {
                        day = LocalDate.parse(time);
                        rates = new TreeMap<>();
                        dayDepth = depth;
                    } else if (currency != null && rates != null) {
                        rates.put(RateSources.currency(currency), RateSources.rate(xml.getAttributeValue(null, "rate")));
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT && xml.getLocalName().equals("Cube")
                        && depth-- == dayDepth) {
                    if (!day.isAfter(date) && (best == null || day.isAfter(best)) && !rates.isEmpty()) {
                        best = day;
                        bestRates = rates;
                    }
                    day = null;
                    rates = null;
                    dayDepth = -1;
                }
            }
            if (!envelope) {
                throw new MalformedRatesException("not an ECB reference rates file");
            }
        } catch (XMLStreamException | DateTimeParseException e) {
            throw new MalformedRatesException("ECB file does not parse: " + e.getMessage(), e);
        }
        if (best == null) {
            throw new MalformedRatesException("ECB file has no day on or before " + date);
        }
        if (best.isBefore(date.minusDays(RateSources.MAX_DAYS_BEHIND))) {
            throw new MalformedRatesException("ECB file's latest day " + best + " is too old for " + date);
        }
        bestRates.put("EUR", BigDecimal.ONE);
        Quote quote = new Quote(name(), best, "EUR", bestRates).rebased(base);
        if (quote == null) {
            throw new MalformedRatesException("ECB has no rate for " + base);
        }
        return quote;
    }
}
