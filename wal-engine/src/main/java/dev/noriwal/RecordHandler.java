package dev.noriwal;

/** Receives records from {@link WalReader#poll(RecordHandler, int)}. */
@FunctionalInterface
public interface RecordHandler {
  void onRecord(Position position, WalRecord record);
}
