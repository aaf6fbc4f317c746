package dev.noriwal.cdi;

import dev.noriwal.Wal;
import dev.noriwal.journal.Invocation;
import dev.noriwal.journal.InvocationCodec;
import dev.noriwal.journal.Journal;
import dev.noriwal.journal.JournalCodecException;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The invocations of a journal that started and never finished, with their arguments decoded
 * against the method found in this deployment where possible. Stateless.
 */
final class PendingCalls {
  private PendingCalls() {}

  static List<PendingInvocation> unfinished(
      String log, Wal wal, InvocationCodecs codecs, ClassLoader loader) throws IOException {
    List<PendingInvocation> out = new ArrayList<>();
    for (Invocation inv : Journal.unfinished(wal)) {
      out.add(pending(log, inv, codecs, loader));
    }
    return out;
  }

  private static PendingInvocation pending(
      String log, Invocation inv, InvocationCodecs codecs, ClassLoader loader) {
    Method method = resolve(inv.beanClass(), inv.method(), loader);
    Object[] args = null;
    String problem = null;
    if (method == null) {
      problem = "no method " + inv.method() + " in class " + inv.beanClass() + " here";
    } else {
      Optional<InvocationCodec> codec = codecs.find(inv.codec());
      if (codec.isEmpty()) {
        problem = "codec \"" + inv.codec() + "\" is not available here";
      } else {
        try {
          args = codec.get().decodeArguments(method, inv.arguments());
        } catch (JournalCodecException e) {
          problem = e.getMessage();
        }
      }
    }
    return new PendingInvocation(
        log,
        inv.invocationId(),
        inv.beanClass(),
        inv.method(),
        inv.timestamp(),
        inv.codec(),
        inv.arguments(),
        method,
        args,
        problem);
  }

  private static @Nullable Method resolve(String className, String signature, ClassLoader loader) {
    Class<?> c;
    try {
      c = Class.forName(className, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    }
    for (Class<?> k = c; k != null; k = k.getSuperclass()) {
      for (Method m : k.getDeclaredMethods()) {
        if (!m.isSynthetic() && Journal.signature(m).equals(signature)) {
          return m;
        }
      }
    }
    return null;
  }
}
