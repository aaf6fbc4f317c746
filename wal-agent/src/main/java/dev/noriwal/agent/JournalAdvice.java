package dev.noriwal.agent;

import java.lang.reflect.Method;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into every {@code @Journaled} method: an invocation record before the body (an exception
 * here refuses the call, on purpose: see {@link JournalHooks}), a completion or failure record
 * after it. The inlined code references only JDK types and {@link JournalHooks}.
 */
final class JournalAdvice {
  private JournalAdvice() {}

  @Advice.OnMethodEnter
  static String enter(@Advice.Origin Method method, @Advice.AllArguments Object[] args) {
    return JournalHooks.enter(method, args);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(
      @Advice.Enter String id,
      @Advice.Origin Method method,
      @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object result,
      @Advice.Thrown Throwable thrown) {
    JournalHooks.exit(id, method, result, thrown);
  }
}
