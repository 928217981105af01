package app.tally.services.imports;

/** A file that cannot be imported at all (binary, not UTF-8, no header, a mapping that does not fit): nothing is written. */
public final class ImportFileException extends Exception {
    public ImportFileException(String reason) {
        super(reason, null, false, false);
    }
}
