package dev.noriwal.cdi;

import dev.noriwal.jmx.settings.LogNames;
import dev.noriwal.jmx.settings.Settings;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * Every message wal-cdi reports, each with a stable number ({@code NORIWAL-CDI-0nn}) that
 * documentation, searches and tests can rely on. The text after the number may be reworded; the
 * number keeps its meaning. Stateless.
 */
final class Messages {
  private Messages() {}

  private static String msg(int number, String text) {
    return String.format("NORIWAL-CDI-%03d: %s", number, text);
  }

  static String invalidDurableName(String name, Object injectionPoint) {
    return msg(1, "@Durable(\"" + name + "\") at " + injectionPoint + ": " + LogNames.RULE);
  }

  static String durableNotWal(Object type, Object injectionPoint) {
    return msg(
        2,
        "@Durable at "
            + injectionPoint
            + " has type "
            + type
            + ": only dev.noriwal.Wal can be injected with @Durable");
  }

  static String invalidJournaledName(String name, Object method) {
    return msg(3, "@Journaled(\"" + name + "\") on " + method + ": " + LogNames.RULE);
  }

  static String privateMethod(Object method) {
    return msg(
        4,
        "@Journaled method "
            + method
            + " is private: the container cannot intercept it, so it would run un-journaled;"
            + " make it package-private, protected or public");
  }

  static String staticMethod(Object method) {
    return msg(
        5,
        "@Journaled method "
            + method
            + " is static: the container cannot intercept it, so it would run un-journaled");
  }

  static String finalMethod(Object method) {
    return msg(
        6,
        "@Journaled method "
            + method
            + " is final: the container cannot intercept it, so it would run un-journaled");
  }

  static String finalClass(Class<?> beanClass) {
    return finalClass(beanClass.getName());
  }

  static String finalClass(String beanClass) {
    return msg(
        7,
        "class "
            + beanClass
            + " uses @Journaled but is final: the container cannot intercept its methods,"
            + " so they would run un-journaled");
  }

  static String unknownCodec(String codec, Object where, Collection<String> known) {
    return msg(
        8,
        "codec \""
            + codec
            + "\" for "
            + where
            + " is unknown; available here: "
            + known
            + " (\"json\" and \"jsonb\" need a JSON-B implementation on the class path:"
            + " Jakarta EE servers have one, Quarkus needs quarkus-jsonb, Weld SE e.g. Yasson)");
  }

  static String unencodableParameter(Object method, int index, Object type, String reason) {
    return msg(
        9,
        "@Journaled method "
            + method
            + ": parameter "
            + index
            + " of type "
            + type
            + " cannot be encoded by the \"json\" codec ("
            + reason
            + "); change the type, or use codec \"jsonb\" (which the agent cannot read)");
  }

  static String badSetting(String key, String value, String reason) {
    return msg(10, "setting " + key + "=" + value + " is invalid: " + reason);
  }

  static String sharedDirectory(Path directory, Collection<String> names) {
    return msg(
        11,
        "logs "
            + names
            + " resolve to the same directory "
            + directory
            + "; each log needs its own directory (set nori.wal.<name>.directory)");
  }

  static String cannotOpen(String name, Path directory, Throwable cause) {
    return msg(12, "cannot open log \"" + name + "\" in " + directory + ": " + cause);
  }

  static String cannotOpenDamaged(String name, Path directory, Throwable cause) {
    return msg(
        12,
        "cannot open log \""
            + name
            + "\" in "
            + directory
            + ": "
            + cause
            + "; nothing was changed. To open it anyway set "
            + Settings.key(name, "recovery")
            + "=POINT_IN_TIME (cut the log at the damage, move the rest to quarantine/) or"
            + " SALVAGE (keep every valid record, quarantine the damaged spans)");
  }

  static String recoveryFailed(String name, Throwable cause) {
    return msg(
        13,
        "recovery of journal \""
            + name
            + "\" failed (reading its unfinished invocations, or a JournalRecovery observer"
            + " threw): "
            + cause);
  }

  static String journalWriteFailed(String name, Object method) {
    return msg(
        14,
        "cannot journal the call of "
            + method
            + " in log \""
            + name
            + "\"; the method was not run");
  }

  static String logNotOpen(String name) {
    return msg(
        15,
        "log \""
            + name
            + "\" is not open (the container is shutting down, or it was closed through"
            + " WalService)");
  }

  static String bindingNotFound(Object method) {
    return msg(16, "no @Journaled found for intercepted method " + method);
  }

  static String unknownSetting(String key, String value, String nearest) {
    return msg(
        18,
        "unknown setting "
            + key
            + "="
            + value
            + "; did you mean "
            + nearest
            + "? (settings of a log: "
            + String.join(", ", Settings.LOG_SETTINGS)
            + ")");
  }

  static String pendingUnobserved(String log, List<PendingInvocation> pending) {
    StringBuilder sb =
        new StringBuilder("journal \"")
            .append(log)
            .append("\" has ")
            .append(pending.size())
            .append(" unfinished invocation(s) and no observer of JournalRecovery receives them;")
            .append(" they stay unfinished:");
    for (PendingInvocation p : pending) {
      sb.append(' ')
          .append(p.invocationId())
          .append(' ')
          .append(p.beanClass())
          .append('#')
          .append(p.method())
          .append(" at ")
          .append(p.timestamp())
          .append(';');
    }
    return msg(19, sb.toString());
  }

  static String unknownLog(String name) {
    return msg(17, "no log named \"" + name + "\" is known to this deployment");
  }

  static String missingAtRunTime(String method, Throwable cause) {
    return msg(
        20,
        "@Journaled method "
            + method
            + " was seen when the application was built but is missing at run time: "
            + cause);
  }

  static String badKafkaSettings(String name, String reason) {
    return msg(21, "Kafka relay of log \"" + name + "\": " + reason);
  }

  static String noKafka(String name, String prefix) {
    return msg(
        22,
        prefix
            + "* settings are present for log \""
            + name
            + "\" but wal-kafka (dev.noriwal:wal-kafka) is not on the class path");
  }

  static String relayFailed(String name, Throwable cause) {
    return msg(23, "the Kafka relay of log \"" + name + "\" cannot start: " + cause);
  }
}
