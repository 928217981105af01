package app.tally.store;

/**
 * What became of one import chunk's rows: written, already there, or not written at all. {@code fresh} says this call
 * settled the chunk; false when an earlier delivery had (its marker was found).
 */
public record ChunkResult(int imported, int duplicates, int failed, boolean fresh) {
}
