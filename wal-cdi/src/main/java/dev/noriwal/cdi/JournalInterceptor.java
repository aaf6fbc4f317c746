package dev.noriwal.cdi;

import dev.noriwal.Wal;
import dev.noriwal.journal.Journal;
import dev.noriwal.journal.JournalCodecException;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.lang.reflect.Method;

/**
 * Journals {@link Journaled @Journaled} calls write-ahead, with the record format shared with the
 * agent (wal-agent, {@code dev.noriwal.journal.Journal}).
 *
 * <ol>
 *   <li>Before {@code proceed()}: an invocation record is appended; {@code Journal.begin} returns
 *       once it is durable under the log's fsync policy. If the arguments cannot be encoded ({@code
 *       JournalCodecException}) or the append fails ({@code IOException}, rethrown as {@link
 *       UncheckedIOException}), the method is <em>not</em> run and the caller gets that exception.
 *   <li>After a normal return: a completion record with the encoded result, or with no result when
 *       the codec cannot encode it. If that append fails the result is still returned (the method
 *       has run) and a warning is logged; the call then shows up as pending at the next start,
 *       which is the truth: its outcome was not recorded.
 *   <li>After a throw: a failure record (exception class and message), then the same exception is
 *       rethrown; a failure to write the record is attached to it as suppressed.
 * </ol>
 *
 * <p>Thread-safe: interceptor instances hold no per-call state.
 */
@Journaled("")
@Interceptor
@Priority(JournalInterceptor.PRIORITY)
public class JournalInterceptor {

  /**
   * {@code Interceptor.Priority.LIBRARY_BEFORE + 100} (1100): inside platform interceptors such as
   * {@code @Transactional} (PLATFORM_BEFORE + 200), so the journal record is written within the
   * transaction's call, and outside application interceptors and MicroProfile Fault Tolerance
   * (PLATFORM_AFTER + 10), so a retried call is journaled once per logical invocation.
   */
  public static final int PRIORITY = Interceptor.Priority.LIBRARY_BEFORE + 100;

  private static final System.Logger LOG = System.getLogger(JournalInterceptor.class.getName());

  private final WalDeployment deployment;

  @Inject
  JournalInterceptor(WalDeployment deployment) {
    this.deployment = deployment;
  }

  @AroundInvoke
  Object journal(InvocationContext ctx) throws Exception {
    Method m = ctx.getMethod();
    Class<?> targetClass = ctx.getTarget().getClass();
    JournalTarget target = deployment.target(m, targetClass);
    Wal wal =
        deployment
            .openWal(target.log())
            .orElseThrow(() -> new IllegalStateException(Messages.logNotOpen(target.log())));

    String id;
    try {
      id =
          Journal.begin(
              wal, target.codec(), deployment.beanClass(targetClass, m), m, ctx.getParameters());
    } catch (IOException e) {
      throw new UncheckedIOException(Messages.journalWriteFailed(target.log(), m), e);
    }

    Object result;
    try {
      result = ctx.proceed();
    } catch (Throwable t) {
      try {
        Journal.fail(wal, id, t);
      } catch (IOException | RuntimeException e) {
        t.addSuppressed(e);
      }
      throw t;
    }

    try {
      try {
        Journal.complete(wal, target.codec(), id, m, result);
      } catch (JournalCodecException e) {
        Journal.completeWithoutResult(wal, id);
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "the completion of "
              + id
              + " ("
              + m
              + ") could not be journaled in log \""
              + target.log()
              + "\"; it will be reported as pending at the next start",
          e);
    }
    return result;
  }
}
