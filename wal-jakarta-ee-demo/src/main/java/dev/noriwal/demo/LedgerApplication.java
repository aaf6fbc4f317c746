package dev.noriwal.demo;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;
import java.util.Set;

/**
 * The JAX-RS application, at the root: the page at {@code /}, the API under {@code /api}. Classes
 * are listed rather than scanned so the embedded runtime and every server see the same set.
 */
@ApplicationPath("/")
public class LedgerApplication extends Application {
  @Override
  public Set<Class<?>> getClasses() {
    return Set.of(
        PageResource.class,
        AccountsResource.class,
        TransfersResource.class,
        LogResource.class,
        ErrorMappers.Refused.class,
        ErrorMappers.Http.class,
        ErrorMappers.LogUnavailable.class,
        ErrorMappers.Unexpected.class);
  }

  /**
   * Jersey's WADL needs JAXB, which the embedded runtime leaves out; other runtimes ignore this.
   */
  @Override
  public Map<String, Object> getProperties() {
    return Map.of("jersey.config.server.wadl.disableWadl", true);
  }
}
