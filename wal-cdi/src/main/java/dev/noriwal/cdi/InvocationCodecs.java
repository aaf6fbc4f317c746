package dev.noriwal.cdi;

import dev.noriwal.journal.InvocationCodec;
import dev.noriwal.journal.JsonInvocationCodec;
import java.lang.System.Logger.Level;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * The codecs one deployment can use, by id: the built-in {@code "json"}, {@code "jsonb"} when a
 * JSON-B implementation is visible, and every {@link InvocationCodec} registered with {@link
 * ServiceLoader} in the deployment's class loader (a registered codec may replace a built-in one by
 * using its id). Immutable once loaded; thread-safe.
 */
final class InvocationCodecs implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(InvocationCodecs.class.getName());

  private final Map<String, InvocationCodec> byId;

  private InvocationCodecs(Map<String, InvocationCodec> byId) {
    this.byId = Collections.unmodifiableMap(byId);
  }

  static InvocationCodecs load(ClassLoader loader) {
    Map<String, InvocationCodec> byId = new LinkedHashMap<>();
    byId.put(JsonInvocationCodec.ID, JsonInvocationCodec.instance());
    jsonb(loader).ifPresent(c -> byId.put(c.id(), c));
    try {
      for (InvocationCodec c : ServiceLoader.load(InvocationCodec.class, loader)) {
        byId.put(c.id(), c);
      }
    } catch (ServiceConfigurationError e) {
      LOG.log(Level.WARNING, "an InvocationCodec registered with ServiceLoader failed to load", e);
    }
    return new InvocationCodecs(byId);
  }

  private static Optional<InvocationCodec> jsonb(ClassLoader loader) {
    try {
      Class.forName("jakarta.json.bind.JsonbBuilder", false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      return Optional.empty();
    }
    try {
      // Only now is the class touching the JSON-B API loaded.
      return Optional.of(new JsonbInvocationCodec());
    } catch (RuntimeException | LinkageError e) { // API without an implementation
      return Optional.empty();
    }
  }

  Optional<InvocationCodec> find(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  Set<String> ids() {
    return byId.keySet();
  }

  @Override
  public void close() {
    for (InvocationCodec c : byId.values()) {
      if (c instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          LOG.log(Level.DEBUG, "closing codec " + c.id(), e);
        }
      }
    }
  }
}
