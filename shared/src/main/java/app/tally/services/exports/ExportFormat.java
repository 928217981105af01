package app.tally.services.exports;

import java.util.Locale;

/** The file formats of an export: RFC 4180 CSV, or one JSON object per line (NDJSON). */
public enum ExportFormat {
    CSV("csv", "text/csv; charset=utf-8"),
    JSON("ndjson", "application/x-ndjson");

    private final String extension;
    private final String contentType;

    ExportFormat(String extension, String contentType) {
        this.extension = extension;
        this.contentType = contentType;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String extension() {
        return extension;
    }

    public String contentType() {
        return contentType;
    }

    public static ExportFormat fromWire(String text) {
        for (ExportFormat format : values()) {
            if (format.wire().equals(text)) {
                return format;
            }
        }
        throw new IllegalArgumentException("must be \"csv\" or \"json\"");
    }
}
