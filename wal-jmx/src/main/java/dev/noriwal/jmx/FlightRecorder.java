package dev.noriwal.jmx;

import dev.noriwal.RecoveryInfo;
import dev.noriwal.WalEvent;

/**
 * Where the log's JDK Flight Recorder events go. Some servers hide the {@code jdk.jfr} module from
 * deployments (WildFly does unless the deployment declares {@code Dependencies: jdk.jfr}); then the
 * events are simply not recorded instead of failing the deployment with {@code
 * NoClassDefFoundError}. The JFR classes are only touched through {@link JfrRecorder}.
 */
interface FlightRecorder {
  FlightRecorder INSTANCE = create();

  void fsync(String log, WalEvent.FsyncCompleted event, long nanos);

  void rotation(String log, WalEvent.SegmentRotated event);

  void recovery(String log, RecoveryInfo info);

  private static FlightRecorder create() {
    try {
      Class.forName("jdk.jfr.Event", false, FlightRecorder.class.getClassLoader());
      return new JfrRecorder();
    } catch (ClassNotFoundException | LinkageError e) {
      return new FlightRecorder() {
        @Override
        public void fsync(String log, WalEvent.FsyncCompleted event, long nanos) {}

        @Override
        public void rotation(String log, WalEvent.SegmentRotated event) {}

        @Override
        public void recovery(String log, RecoveryInfo info) {}
      };
    }
  }
}
