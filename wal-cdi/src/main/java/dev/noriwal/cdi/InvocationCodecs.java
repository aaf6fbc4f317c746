package dev.noriwal.cdi;

import dev.noriwal.journal.InvocationCodec;
import dev.noriwal.journal.JsonbInvocationCodec;
import java.lang.System.Logger.Level;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * The codecs one deployment can use, by id: {@code "json"} and {@code "jsonb"} when a JSON-B
 * implementation is visible (every Jakarta EE server has one; Quarkus with {@code quarkus-jsonb}),
 * and every {@link InvocationCodec} registered with {@link ServiceLoader} in the deployment's class
 * loader (a registered codec may replace a built-in one by using its id). Immutable once loaded;
 * thread-safe.
 */
final class InvocationCodecs implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(InvocationCodecs.class.getName());

  private final Map<String, InvocationCodec> byId;

  private InvocationCodecs(Map<String, InvocationCodec> byId) {
    this.byId = Collections.unmodifiableMap(byId);
  }

  static InvocationCodecs load(ClassLoader loader) {
    Map<String, InvocationCodec> byId = new LinkedHashMap<>();
    jsonb(loader).forEach(c -> byId.put(c.id(), c));
    try {
      for (InvocationCodec c : ServiceLoader.load(InvocationCodec.class, loader)) {
        byId.put(c.id(), c);
      }
    } catch (ServiceConfigurationError e) {
      LOG.log(Level.WARNING, "an InvocationCodec registered with ServiceLoader failed to load", e);
    }
    return new InvocationCodecs(byId);
  }

  private static List<InvocationCodec> jsonb(ClassLoader loader) {
    try {
      Class.forName("jakarta.json.bind.JsonbBuilder", false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      LOG.log(Level.DEBUG, "no JSON-B API visible: codecs json and jsonb are not available");
      return List.of();
    }
    try {
      // Only now is the class touching the JSON-B API loaded.
      return List.of(JsonbInvocationCodec.json(), JsonbInvocationCodec.jsonb());
    } catch (RuntimeException | LinkageError e) { // API without an implementation
      LOG.log(
          Level.WARNING,
          "the JSON-B API has no implementation here: codecs json and jsonb are not available",
          e);
      return List.of();
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
