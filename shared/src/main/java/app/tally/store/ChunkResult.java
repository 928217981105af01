package app.tally.store;

/** What became of one import chunk's rows: written, already there, or not written at all. */
public record ChunkResult(int imported, int duplicates, int failed) {
}
