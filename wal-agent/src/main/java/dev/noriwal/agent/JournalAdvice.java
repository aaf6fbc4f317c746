package dev.noriwal.agent;

import dev.noriwal.agent.hooks.JournalHooks;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Method;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into every {@code @Journaled} method: an invocation record before the body (an exception
 * here refuses the call, on purpose: see {@link JournalHooks}), a completion or failure record
 * after it. The inlined code references only JDK types and {@link JournalHooks}; the log name is a
 * constant in it, so the annotation itself need not be visible to the application's class loader at
 * run time.
 */
final class JournalAdvice {
  private JournalAdvice() {}

  /** The method's {@code @Journaled} value, read from its class file when it is instrumented. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.PARAMETER)
  @interface LogName {}

  @Advice.OnMethodEnter
  static String enter(
      @LogName String log, @Advice.Origin Method method, @Advice.AllArguments Object[] args) {
    return JournalHooks.enter(log, method, args);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(
      @Advice.Enter String id,
      @LogName String log,
      @Advice.Origin Method method,
      @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object result,
      @Advice.Thrown Throwable thrown) {
    JournalHooks.exit(id, log, method, result, thrown);
  }
}
