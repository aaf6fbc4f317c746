package dev.noriwal.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.noriwal.Wal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.management.MBeanServerFactory;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JfrEventsTest {
  @TempDir Path tmp;

  @Test
  void fsyncRotationAndRecoveryAreRecorded() throws Exception {
    WalService service = WalService.create("jfr", MBeanServerFactory.newMBeanServer());
    Path file = tmp.resolve("wal.jfr");
    try (Recording r = new Recording()) {
      r.enable("dev.noriwal.Fsync");
      r.enable("dev.noriwal.Rotation");
      r.enable("dev.noriwal.Recovery");
      r.start();
      Wal wal = service.open("jfr-log", DamagedLog.config(tmp.resolve("log")));
      DamagedLog.appendThree(wal);
      wal.rotate();
      r.stop();
      r.dump(file);
    } finally {
      service.shutdown();
    }
    List<RecordedEvent> events = RecordingFile.readAllEvents(file);
    Map<String, List<RecordedEvent>> byName =
        events.stream().collect(Collectors.groupingBy(e -> e.getEventType().getName()));
    assertTrue(
        byName.getOrDefault("dev.noriwal.Fsync", List.of()).size() >= 3,
        byName.keySet().toString());
    RecordedEvent fsync = byName.get("dev.noriwal.Fsync").get(0);
    assertEquals("jfr-log", fsync.getString("log"));
    assertTrue(fsync.getLong("fsyncDuration") > 0);
    RecordedEvent rotation = byName.get("dev.noriwal.Rotation").get(0);
    assertEquals(rotation.getLong("sealedSegmentId") + 1, rotation.getLong("newSegmentId"));
    RecordedEvent recovery = byName.get("dev.noriwal.Recovery").get(0);
    assertEquals("TOLERATE_TORN_TAIL", recovery.getString("mode"));
  }
}
