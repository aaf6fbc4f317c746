package dev.noriwal;

/**
 * A record read back from the log.
 *
 * @param position where the record starts
 * @param record the decoded record (value decompressed)
 * @param next the position right after it, where a reader would continue
 */
public record WalEntry(Position position, WalRecord record, Position next) {}
