package dev.noriwal.agent;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isAnnotatedWith;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.not;

import java.io.File;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;
import org.jspecify.annotations.Nullable;

/** Installs the Byte Buddy transformation that inlines {@link JournalAdvice}. */
final class Instrumenter {
  private Instrumenter() {}

  /**
   * Matches an annotation type by name: simple name {@code Journaled} with a {@code String
   * value()}, and not a CDI interceptor binding (those methods are journaled by wal-cdi's
   * interceptor).
   */
  static final ElementMatcher<TypeDescription> JOURNALED =
      new ElementMatcher<>() {
        @Override
        public boolean matches(TypeDescription t) {
          if (!t.isAnnotation() || !t.getSimpleName().equals("Journaled")) {
            return false;
          }
          if (t.getName().equals("dev.noriwal.agent.Journaled")) {
            return true;
          }
          for (AnnotationDescription meta : t.getDeclaredAnnotations()) {
            String n = meta.getAnnotationType().getName();
            if (n.equals("jakarta.interceptor.InterceptorBinding")
                || n.equals("javax.interceptor.InterceptorBinding")) {
              return false;
            }
          }
          for (MethodDescription.InDefinedShape m : t.getDeclaredMethods()) {
            if (m.getName().equals("value")
                && m.getParameters().isEmpty()
                && m.getReturnType().asErasure().represents(String.class)) {
              return true;
            }
          }
          return false;
        }

        @Override
        public String toString() {
          return "annotation named Journaled with String value(), not an interceptor binding";
        }
      };

  /**
   * @param agentJar where the advice's class file is read when the agent runs from the bootstrap
   *     class path (whose resources not every server exposes), or null
   */
  static void install(Instrumentation inst, AgentRuntime runtime, @Nullable String agentJar)
      throws IOException {
    ElementMatcher.Junction<MethodDescription> journaled =
        isAnnotatedWith(JOURNALED).and(not(isAbstract()));
    ClassFileLocator ownClasses =
        agentJar != null
            ? ClassFileLocator.ForJarFile.of(new File(agentJar))
            : ClassFileLocator.ForClassLoader.of(JournalAdvice.class.getClassLoader());
    Advice advice =
        Advice.withCustomMapping()
            .bind(JournalAdvice.LogName.class, LOG_NAME)
            .to(JournalAdvice.class, ownClasses);
    new AgentBuilder.Default()
        .disableClassFormatChanges()
        .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
        // A deployment that uses dev.noriwal.agent.Journaled (compiled against wal-agent,
        // "provided") cannot load it: describe it from the agent's own jar.
        .with(
            new AgentBuilder.LocationStrategy.Compound(
                AgentBuilder.LocationStrategy.ForClassLoader.STRONG,
                new AgentBuilder.LocationStrategy.Simple(ownClasses)))
        .with(new Listener(runtime))
        .ignore(
            nameStartsWith("java.")
                .or(nameStartsWith("javax."))
                .or(nameStartsWith("jdk."))
                .or(nameStartsWith("sun."))
                .or(nameStartsWith("com.sun."))
                .or(nameStartsWith("net.bytebuddy."))
                .or(nameStartsWith("dev.noriwal.jmx."))
                .or(nameStartsWith("dev.noriwal.cdi."))
                .or(inEnginePackage())
                .or(isSynthetic()))
        .type(declaresMethod(journaled))
        .transform(
            (DynamicType.Builder<?> builder,
                TypeDescription type,
                ClassLoader loader,
                JavaModule module,
                java.security.ProtectionDomain pd) -> builder.visit(advice.on(journaled)))
        .installOn(inst);
  }

  /** The advice's {@code @LogName} parameter: the instrumented method's log, as a constant. */
  private static final Advice.OffsetMapping LOG_NAME =
      (instrumentedType, instrumentedMethod, assigner, argumentHandler, sort) ->
          Advice.OffsetMapping.Target.ForStackManipulation.of(logName(instrumentedMethod));

  /** The {@code value()} of the method's {@code @Journaled} annotation (see {@link #JOURNALED}). */
  static String logName(MethodDescription method) {
    for (AnnotationDescription a : method.getDeclaredAnnotations()) {
      if (JOURNALED.matches(a.getAnnotationType())) {
        return a.getValue("value").resolve(String.class);
      }
    }
    throw new IllegalStateException(method + " is instrumented but carries no @Journaled");
  }

  private static ElementMatcher.Junction<TypeDescription> inEnginePackage() {
    return new ElementMatcher.Junction.AbstractBase<>() {
      @Override
      public boolean matches(TypeDescription t) {
        return t.getPackage() != null && t.getPackage().getName().equals("dev.noriwal");
      }
    };
  }

  /** Counts instrumented types and reports errors; silent otherwise. */
  private static final class Listener extends AgentBuilder.Listener.Adapter {
    private final AgentRuntime runtime;

    Listener(AgentRuntime runtime) {
      this.runtime = runtime;
    }

    @Override
    public void onTransformation(
        TypeDescription type,
        ClassLoader loader,
        JavaModule module,
        boolean loaded,
        DynamicType dynamicType) {
      runtime.instrumentedTypes.incrementAndGet();
    }

    @Override
    public void onError(
        String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable t) {
      runtime.problem("cannot instrument " + typeName + ": " + t);
    }
  }
}
