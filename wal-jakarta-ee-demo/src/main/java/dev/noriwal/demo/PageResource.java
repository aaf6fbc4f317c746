package dev.noriwal.demo;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The single page at {@code /}. It is a class-path resource served through JAX-RS, so the embedded
 * server and the WAR serve it the same way, with no static-file handler in either.
 */
@ApplicationScoped
@Path("/")
public class PageResource {
  private static final String PAGE = "index.html";

  @GET
  @Produces(MediaType.TEXT_HTML + ";charset=utf-8")
  public byte[] page() {
    try (InputStream in = PageResource.class.getResourceAsStream(PAGE)) {
      if (in == null) {
        throw new IllegalStateException("missing class-path resource " + PAGE);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
