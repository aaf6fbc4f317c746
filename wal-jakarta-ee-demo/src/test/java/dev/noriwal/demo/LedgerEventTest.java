package dev.noriwal.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LedgerEventTest {
  private static final Instant T = Instant.parse("2026-01-02T03:04:05.123Z");

  @Test
  void everyEventRoundTripsThroughItsRecordValue() {
    for (LedgerEvent e :
        List.of(
            new LedgerEvent.AccountOpened("a", T, "alice", 10),
            new LedgerEvent.Deposited("b", T, "alice", 20),
            new LedgerEvent.Withdrawn("c", T, "alice", 30),
            new LedgerEvent.Transferred("d", T, "alice", "bob", 40))) {
      assertEquals(e, LedgerEvent.fromValue(e.value()));
      assertArrayEquals(e.id().getBytes(StandardCharsets.UTF_8), e.key());
    }
  }

  @Test
  void storedFormIsPlainJsonWithAType() {
    assertEquals(
        "{\"type\":\"transfer\",\"id\":\"d\",\"at\":\"2026-01-02T03:04:05.123Z\",\"from\":\"alice\","
            + "\"to\":\"bob\",\"amount\":40}",
        new String(
            new LedgerEvent.Transferred("d", T, "alice", "bob", 40).value(),
            StandardCharsets.UTF_8));
  }

  @Test
  void foreignRecordsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> LedgerEvent.fromValue(bytes("not json")));
    assertThrows(
        IllegalArgumentException.class, () -> LedgerEvent.fromValue(bytes("{\"type\":\"x\"}")));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            LedgerEvent.fromValue(
                bytes(
                    "{\"type\":\"deposit\",\"id\":\"i\",\"at\":\"2026-01-02T03:04:05Z\",\"account\":\"a\",\"amount\":1.5}")));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
