package dev.noriwal.quarkus.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.noriwal.FsyncPolicy;
import dev.noriwal.Position;
import dev.noriwal.Wal;
import dev.noriwal.cdi.Durable;
import dev.noriwal.cdi.JournalReplay;
import dev.noriwal.journal.Completion;
import dev.noriwal.journal.Failure;
import dev.noriwal.journal.Invocation;
import dev.noriwal.journal.JournalEntry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * wal-cdi on Quarkus: ArC runs the build compatible extension, not the portable one, and the
 * application gets the same injection, journaling and recovery event as on WildFly.
 */
@QuarkusTest
@QuarkusTestResource(CrashedJournal.class)
class OrdersTest {
  @Inject Orders orders;
  @Inject RecoveryLog recovery;
  @Inject JournalReplay replay;

  @Inject
  @Durable("orders")
  Wal events;

  @Test
  void startupRecoveryEventListsTheCallACrashLeftUnfinishedWithItsArguments() {
    assertEquals(List.of("commands place(java.lang.String,int) [tea, 3]"), recovery.seen());
  }

  @Test
  void aJournaledCallWritesItsInvocationBeforeTheBodyAndItsCompletionAfter() throws Exception {
    Position p = orders.place("coffee", 2);
    assertEquals(events.currentPosition().segmentId(), p.segmentId());
    List<JournalEntry> entries = journal();
    Invocation call = (Invocation) entries.get(entries.size() - 2);
    assertEquals(Orders.class.getName(), call.beanClass());
    assertEquals("place(java.lang.String,int)", call.method());
    assertEquals(
        call.invocationId(),
        assertInstanceOf(Completion.class, entries.get(entries.size() - 1)).invocationId());
  }

  @Test
  void aFailingCallIsJournaledAsAFailureAndRethrown() throws Exception {
    assertThrows(IllegalArgumentException.class, () -> orders.place("coffee", 0));
    List<JournalEntry> entries = journal();
    Failure f = assertInstanceOf(Failure.class, entries.get(entries.size() - 1));
    assertEquals(IllegalArgumentException.class.getName(), f.exceptionType());
  }

  @Test
  void theDurableLogIsTheOneTheSettingsDescribe() {
    assertEquals(FsyncPolicy.always(), events.config().fsyncPolicy(), events.config().toString());
    assertEquals(1L << 20, events.config().maxSegmentSize());
  }

  private List<JournalEntry> journal() {
    List<JournalEntry> out = new ArrayList<>();
    replay.replay("commands", Position.START, (pos, e) -> out.add(e));
    return out;
  }
}
