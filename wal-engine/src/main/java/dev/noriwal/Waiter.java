package dev.noriwal;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A caller waiting until the log has written (or forced) everything up to {@link #end}, the
 * sequence number just past its bytes. Immutable; queued under the staging lock, completed by the
 * thread that committed its bytes (see {@link GroupCommitter}).
 */
final class Waiter {
  final long end;
  final CompletableFuture<Object> future;
  final @Nullable Object result;

  /** The future was handed to the caller: complete it off the writer task. */
  final boolean async;

  Waiter(long end, CompletableFuture<Object> future, @Nullable Object result, boolean async) {
    this.end = end;
    this.future = future;
    this.result = result;
    this.async = async;
  }

  /** Waits for {@code f} through interrupts; rethrows its failure as it was. */
  static void await(CompletableFuture<Object> f) throws IOException {
    Uninterruptibly.getOrThrow(f);
  }
}
