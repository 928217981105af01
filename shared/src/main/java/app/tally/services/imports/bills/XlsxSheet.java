package app.tally.services.imports.bills;

import app.tally.services.imports.ImportFileException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The first worksheet of an .xlsx file, streamed row by row with the JDK's zip and StAX readers: memory holds the
 * shared strings and one row, never the sheet. Hostile files are refused with a reason before they cost much: a
 * damaged or truncated archive, a zip bomb ({@link XlsxArchive}), any document type declaration (the door to external
 * entities: a spreadsheet app never writes one), and more than {@link #MAX_ROWS} rows.
 */
public final class XlsxSheet implements AutoCloseable {
    /** The import's own row limit plus room for a bill's preamble. */
    public static final long MAX_ROWS = 1_000_100;
    /** Columns beyond this are not read: a bill has a dozen. */
    private static final int MAX_COLUMNS = 256;
    private static final long SHARED_STRINGS_CHARS = 64L * 1024 * 1024;
    private static final XMLInputFactory XML = XMLInputFactory.newFactory();

    static {
        XML.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        XML.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    }

    private final ZipFile zip;
    private final List<String> shared;
    private final InputStream sheetStream;
    private final XMLStreamReader sheet;
    private long rowNumber;
    private long rows;

    private XlsxSheet(ZipFile zip, List<String> shared, InputStream sheetStream, XMLStreamReader sheet) {
        this.zip = zip;
        this.shared = shared;
        this.sheetStream = sheetStream;
        this.sheet = sheet;
    }

    public static XlsxSheet open(Path file) throws ImportFileException {
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new ImportFileException("The file is not a readable .xlsx workbook: its zip archive is damaged or "
                    + "truncated. Export the bill again.");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try {
            XlsxArchive.checkEntries(zip);
            List<String> shared = sharedStrings(zip);
            String path = firstSheet(zip);
            InputStream in = XlsxArchive.entry(zip, path);
            if (in == null) {
                throw new ImportFileException("The .xlsx workbook has no worksheet (" + path + " is missing).");
            }
            return new XlsxSheet(zip, shared, in, reader(in, path));
        } catch (ImportFileException | RuntimeException e) {
            XlsxArchive.closeQuietly(zip);
            throw e;
        }
    }

    /** Cells of the next row as text (empty cells as ""), or null after the last row. */
    public List<String> next() throws ImportFileException {
        try {
            while (sheet.hasNext()) {
                int event = sheet.next();
                if (event == XMLStreamConstants.DTD) {
                    throw XlsxArchive.entities();
                }
                if (event == XMLStreamConstants.START_ELEMENT && sheet.getLocalName().equals("row")) {
                    if (++rows > MAX_ROWS) {
                        throw new ImportFileException("The worksheet has more than " + String.format("%,d", MAX_ROWS)
                                + " rows; split the bill into several imports.");
                    }
                    String r = sheet.getAttributeValue(null, "r");
                    rowNumber = r == null ? rowNumber + 1 : Long.parseLong(r);
                    return row();
                }
            }
            return null;
        } catch (XMLStreamException e) {
            throw XlsxArchive.refusal(e, "its worksheet is not well-formed XML");
        } catch (NumberFormatException e) {
            throw XlsxArchive.damaged("a row has a number that is not one");
        }
    }

    /** The spreadsheet's number of the row {@link #next} returned last. */
    public long rowNumber() {
        return rowNumber;
    }

    private List<String> row() throws XMLStreamException, ImportFileException {
        List<String> cells = new ArrayList<>();
        while (sheet.hasNext()) {
            int event = sheet.next();
            if (event == XMLStreamConstants.END_ELEMENT && sheet.getLocalName().equals("row")) {
                return cells;
            }
            if (event == XMLStreamConstants.START_ELEMENT && sheet.getLocalName().equals("c")) {
                int column = column(sheet.getAttributeValue(null, "r"), cells.size());
                String type = sheet.getAttributeValue(null, "t");
                String value = cell(type);
                if (column < MAX_COLUMNS) {
                    while (cells.size() < column) {
                        cells.add("");
                    }
                    cells.add(value);
                }
            }
        }
        throw XlsxArchive.damaged("its worksheet ends inside a row");
    }

    /** The text of the current {@code <c>}: its {@code <v>} or inline {@code <is>} text, shared strings looked up. */
    private String cell(String type) throws XMLStreamException, ImportFileException {
        StringBuilder value = new StringBuilder();
        int depth = 1;
        int phonetic = 0;
        while (depth > 0) {
            int event = sheet.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                String name = sheet.getLocalName();
                if (name.equals("rPh")) {
                    phonetic++;
                }
                if ((name.equals("v") || name.equals("t")) && phonetic == 0) {
                    value.append(sheet.getElementText());
                } else {
                    depth++;
                }
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                depth--;
                if (sheet.getLocalName().equals("rPh")) {
                    phonetic--;
                }
            }
        }
        if ("s".equals(type)) {
            try {
                return shared.get(Integer.parseInt(value.toString().strip()));
            } catch (NumberFormatException | IndexOutOfBoundsException e) {
                throw XlsxArchive.damaged("a cell names a shared string that does not exist");
            }
        }
        if ("b".equals(type)) {
            return value.toString().equals("1") ? "TRUE" : "FALSE";
        }
        return value.toString();
    }

    /** Zero-based column of a reference such as {@code K19}; without one, the next column. */
    private static int column(String reference, int next) {
        if (reference == null) {
            return next;
        }
        int column = 0;
        for (int i = 0; i < reference.length() && Character.isLetter(reference.charAt(i)); i++) {
            column = column * 26 + (Character.toUpperCase(reference.charAt(i)) - 'A' + 1);
            if (column > MAX_COLUMNS) {
                return MAX_COLUMNS;
            }
        }
        return column == 0 ? next : column - 1;
    }

    /** The workbook's strings table; rich-text runs joined, phonetic hints ({@code rPh}) left out. */
    private static List<String> sharedStrings(ZipFile zip) throws ImportFileException {
        List<String> strings = new ArrayList<>();
        try (InputStream in = XlsxArchive.entry(zip, "xl/sharedStrings.xml")) {
            if (in == null) {
                return strings;
            }
            XMLStreamReader xml = reader(in, "xl/sharedStrings.xml");
            StringBuilder text = null;
            long chars = 0;
            int phonetic = 0;
            while (xml.hasNext()) {
                int event = xml.next();
                if (event == XMLStreamConstants.DTD) {
                    throw XlsxArchive.entities();
                }
                if (event == XMLStreamConstants.START_ELEMENT) {
                    switch (xml.getLocalName()) {
                        case "si" -> text = new StringBuilder();
                        case "rPh" -> phonetic++;
                        case "t" -> {
                            String t = xml.getElementText();
                            if (text != null && phonetic == 0) {
                                text.append(t);
                            }
                            if ((chars += t.length()) > SHARED_STRINGS_CHARS) {
                                throw XlsxArchive.bomb("its shared strings exceed " + SHARED_STRINGS_CHARS + " characters");
                            }
                        }
                        default -> { }
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    if (xml.getLocalName().equals("rPh")) {
                        phonetic--;
                    } else if (xml.getLocalName().equals("si") && text != null) {
                        strings.add(text.toString());
                        text = null;
                    }
                }
            }
            return strings;
        } catch (XMLStreamException e) {
            throw XlsxArchive.refusal(e, "its shared strings are not well-formed XML");
        } catch (XlsxArchive.Refused e) {
            throw e.reason;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The path of the workbook's first sheet, as workbook.xml and its relationships name it. */
    private static String firstSheet(ZipFile zip) throws ImportFileException {
        String relation = firstAttribute(zip, "xl/workbook.xml", "sheet", "id");
        if (relation == null) {
            return "xl/worksheets/sheet1.xml";
        }
        try (InputStream in = XlsxArchive.entry(zip, "xl/_rels/workbook.xml.rels")) {
            if (in != null) {
                XMLStreamReader xml = reader(in, "xl/_rels/workbook.xml.rels");
                while (xml.hasNext()) {
                    int event = xml.next();
                    if (event == XMLStreamConstants.DTD) {
                        throw XlsxArchive.entities();
                    }
                    if (event == XMLStreamConstants.START_ELEMENT && xml.getLocalName().equals("Relationship")
                            && relation.equals(xml.getAttributeValue(null, "Id"))) {
                        String target = xml.getAttributeValue(null, "Target");
                        return target.startsWith("/") ? target.substring(1) : "xl/" + target;
                    }
                }
            }
            return "xl/worksheets/sheet1.xml";
        } catch (XMLStreamException e) {
            throw XlsxArchive.refusal(e, "its relationships are not well-formed XML");
        } catch (XlsxArchive.Refused e) {
            throw e.reason;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The first {@code element}'s attribute whose local name is {@code attribute}, or null. */
    private static String firstAttribute(ZipFile zip, String path, String element, String attribute)
            throws ImportFileException {
        try (InputStream in = XlsxArchive.entry(zip, path)) {
            if (in == null) {
                throw XlsxArchive.damaged(path + " is missing");
            }
            XMLStreamReader xml = reader(in, path);
            while (xml.hasNext()) {
                int event = xml.next();
                if (event == XMLStreamConstants.DTD) {
                    throw XlsxArchive.entities();
                }
                if (event == XMLStreamConstants.START_ELEMENT && xml.getLocalName().equals(element)) {
                    for (int i = 0; i < xml.getAttributeCount(); i++) {
                        if (xml.getAttributeLocalName(i).equals(attribute)) {
                            return xml.getAttributeValue(i);
                        }
                    }
                    return null;
                }
            }
            return null;
        } catch (XMLStreamException e) {
            throw XlsxArchive.refusal(e, path + " is not well-formed XML");
        } catch (XlsxArchive.Refused e) {
            throw e.reason;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static XMLStreamReader reader(InputStream in, String path) throws ImportFileException {
        try {
            return XML.createXMLStreamReader(in);
        } catch (XMLStreamException e) {
            throw XlsxArchive.refusal(e, path + " is not XML");
        }
    }

    @Override
    public void close() throws IOException {
        try {
            sheetStream.close();
        } finally {
            zip.close();
        }
    }
}
