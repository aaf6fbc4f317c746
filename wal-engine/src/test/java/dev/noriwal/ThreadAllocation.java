package dev.noriwal;

import java.lang.reflect.Method;

/** Bytes the calling thread has allocated so far, for the engine's allocation tests. */
final class ThreadAllocation {
  private ThreadAllocation() {}

  /**
   * {@code com.sun.management.ThreadMXBean.getCurrentThreadAllocatedBytes()}, called reflectively:
   * the tests compile inside the engine's module, which does not read {@code java.management}.
   */
  static long allocatedByThisThread() throws Exception {
    Object threads =
        Class.forName("java.lang.management.ManagementFactory")
            .getMethod("getThreadMXBean")
            .invoke(null);
    Method m =
        Class.forName("com.sun.management.ThreadMXBean")
            .getMethod("getCurrentThreadAllocatedBytes");
    return (Long) m.invoke(threads);
  }
}
